/**
 * Level of detail: what the canvas draws at a zoom so that every word on screen is readable
 * (at least {@link MIN_TEXT_PX} CSS pixels) or not drawn, and no shape is drawn without its words.
 *
 * - "detail": the document's figure: interfaces with IP and MAC, veths, pair and bridge lines.
 * - "containers": each room with its network, bridge and subnet, each container as a card (name, IP).
 * - "rooms": each room as one card (network, bridge, subnet, how many containers, the names that fit).
 */
export type Lod = "detail" | "containers" | "rooms";

/** The smallest text drawn, in CSS pixels. */
export const MIN_TEXT_PX = 12;
/** Font sizes in model units: the figure's small print, and the cards' and rooms' titles. */
export const DETAIL_FONT = 12;
export const CARD_FONT = 30;

export function lodAt(zoom: number): Lod {
  if (zoom * DETAIL_FONT >= MIN_TEXT_PX) return "detail";
  if (zoom * CARD_FONT >= MIN_TEXT_PX) return "containers";
  return "rooms";
}

/** Widest likely advance of a character, as a share of the font size (system-ui, sans-serif, bold). */
export const CHAR_WIDTH = 0.66;
/** A room card's line height, as a share of its font size (style.ts draws it so). */
export const CARD_LINE_HEIGHT = 1.1;

/**
 * Splits a line into lines of at most `chars` characters, at spaces or after a separator
 * (-, _, ., ,), never inside a name's token: only a token longer than a whole line is cut.
 */
function wrapLine(line: string, chars: number): string[] {
  if (line.length <= chars) return [line];
  const out: string[] = [];
  let rest = line;
  while (rest.length > chars) {
    const head = rest.slice(0, chars + 1);
    // A space first (between names, or a bridge and its subnet), else after a name's separator.
    const space = head.lastIndexOf(" ");
    const cut = space > 0 ? space : Math.max(...["-", "_", ".", ","].map((s) => head.lastIndexOf(s, chars - 1) + 1));
    const at = cut > 0 ? cut : chars;
    out.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest) out.push(rest);
  return out;
}

/**
 * How many lines a bar's words take at `font` in `width` model units: each of its lines wrapped
 * at spaces and separators, as the canvas wraps them (the zero-width spaces that mark where a
 * name may break count for nothing).
 */
export function barLines(text: string, width: number, font: number = CARD_FONT): number {
  const chars = Math.max(6, Math.floor(width / (font * CHAR_WIDTH)));
  return text
    .replace(/\u200b/g, "")
    .split("\n")
    .reduce((sum, line) => sum + wrapLine(line, chars).length, 0);
}

/**
 * A room's card as it fits a box of `width` x `height` model units at `font`. `card` is the
 * builder's text: the network's name, its bridge and subnet, the count, then one name per line.
 * What a card says, first to last to give up its place: the network's name (always, whole), its
 * subnet, the members' names (as many as fit, then "+N more"), the bridge's name, the count. So
 * every card names its network and members before it says anything else, and the count, which
 * "+N more" and the names already say, goes first.
 */
export function fitRoomCard(card: string, width: number, height: number, font: number, more: string): string {
  return fitRoomCardParts(card, width, height, font, more).text;
}

/**
 * Room cards fitted together so that every card says the same things: each its network's name,
 * subnet and members, and a count only if every card has room for one. The bridge's name stays
 * wherever it fits (docker0 is what the document teaches; a narrow card gives it up alone).
 * `allowed`: a decision already taken for these cards' neighbours.
 */
export function fitRoomCards(
  cards: ReadonlyArray<{ card: string; width: number; height: number }>,
  font: number,
  more: string,
  allowed?: CardExtras,
): { texts: string[]; allowed: CardExtras } {
  if (!allowed) {
    const fitted = cards.map((c) => fitRoomCardParts(c.card, c.width, c.height, font, more));
    allowed = { bridge: true, count: fitted.every((f) => f.count) };
  }
  const extras = allowed;
  return { texts: cards.map((c) => fitRoomCardParts(c.card, c.width, c.height, font, more, extras).text), allowed };
}

/** What a card may say past its network's name, subnet and members: its bridge's name, its count. */
export interface CardExtras {
  bridge: boolean;
  count: boolean;
}

/**
 * {@link fitRoomCard}, saying which extras the card found room for; `allowed` leaves out those
 * the other cards have no room for, so that every card says the same things.
 */
export function fitRoomCardParts(
  card: string,
  width: number,
  height: number,
  font: number,
  more: string,
  allowed: CardExtras = { bridge: true, count: true },
): { text: string } & CardExtras {
  const [name = "", fullWhere = "", count = "", ...names] = card.split("\n");
  // Without the bridge, the address line is the subnet alone.
  const where = allowed.bridge ? fullWhere : (fullWhere.split("  ")[1] ?? fullWhere);
  const chars = Math.max(6, Math.floor(width / (font * CHAR_WIDTH)));
  const maxLines = Math.max(1, Math.floor(height / (font * CARD_LINE_HEIGHT)));
  const [bridge = "", subnet = ""] = fullWhere.split("  ");
  const title = wrapLine(name, chars);
  // The bridge and subnet on one line when they fit it, else the subnet alone (the bridge may come back below).
  const whole = where.length <= chars;
  const address = (whole ? [where] : wrapLine(subnet || bridge, chars)).filter(Boolean);
  let bridgeShown = allowed.bridge && whole && where.includes("  ");
  const addressShown = title.length + address.length <= maxLines;
  if (addressShown) title.push(...address);
  const lines = [...title];
  const list = (entries: readonly string[]) => {
    const wrapped = (k: number) => {
      const rest = entries.length - k;
      return wrapLine(entries.slice(0, k).join(", ") + (rest > 0 ? ` +${rest}\u00a0${more}` : ""), chars);
    };
    const fits = (k: number) => lines.length + wrapped(k).length <= maxLines;
    // The most names that fit, by halving: more names never take fewer lines.
    let lo = 0;
    let hi = entries.length;
    if (hi > 0 && fits(hi)) lo = hi;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (fits(mid)) lo = mid;
      else hi = mid;
    }
    return { shown: lo, listed: lo > 0 ? wrapped(lo) : [] };
  };
  // Each member is its name and its published host ports; when that leaves names out, names alone.
  let { shown, listed } = list(names);
  if (shown < names.length) {
    const bare = list(names.map((n) => n.split(" ")[0] ?? n));
    if (bare.shown > shown) ({ shown, listed } = bare);
  }
  // No name fits: at least how many there are.
  if (shown === 0 && names.length > 0 && count && lines.length < maxLines) listed = [count];
  lines.push(...listed);
  bridgeShown &&= addressShown;
  const done = (countShown: boolean) => ({ text: lines.join("\n"), bridge: bridgeShown, count: countShown });
  if (shown < names.length) return done(false);
  // Every name is there: the bridge's own line, then the count, where there is room for them.
  let at = title.length;
  if (allowed.bridge && !whole && bridge && subnet && lines.length < maxLines && bridge.length <= chars) {
    lines.splice(addressShown ? at - address.length : at, 0, bridge);
    bridgeShown = true;
    at++;
  }
  if (allowed.count && count && names.length > 0 && lines.length < maxLines) {
    lines.splice(at, 0, count);
    return done(true);
  }
  if (names.length === 0 && lines.length < maxLines) {
    lines.push(count);
    return done(true);
  }
  return done(false);
}

/**
 * The level-of-detail classes an element takes at `lod` (style.ts draws them): the same rules as
 * lod-classes.ts's `applyLod`, for elements about to be added, so they are styled once.
 */
export function lodClasses(
  group: "nodes" | "edges",
  data: { kind: string; room?: string; flow?: boolean; folded?: boolean },
  at: Lod,
): string {
  const { kind } = data;
  // A folded room is its card at every zoom (room-folding.ts).
  const lod = data.folded ? "rooms" : at;
  // Flows (flow-canvas.ts) are drawn at every level: from far away between the rooms' cards.
  if (data.flow) return "";
  if (group === "edges") {
    if (lod === "rooms") return "lod-hide";
    if (lod === "detail") return kind === "member" ? "lod-hide" : "";
    if (kind === "pair" || kind === "master" || kind === "unverified" || kind === "dns" || kind === "rides")
      return "lod-hide";
    return kind === "nat" || kind === "parent" || kind === "pid" || kind === "publish" ? "lod-quiet" : "";
  }
  // A closed room's span is never seen (style.ts), at every level.
  if (kind === "roomspan" || lod === "detail") return "";
  if (lod === "containers") {
    // A box keeps its size from its interfaces (hidden, still there); veths and DNS go entirely.
    if (kind === "iface" || kind === "joined") return "lod-ghost";
    if (kind === "veth" || kind === "dns") return "lod-hide";
    if (kind === "netns" || kind === "hostmode" || kind === "nic" || kind === "port") return "lod-card";
    return kind === "compose" ? "lod-loud" : "";
  }
  // Rooms: boxes, bridges and compose groups keep the room's extent, unseen; what they hold goes.
  if (kind === "room") return "lod-roomfill";
  if (kind === "roomlabel") return "lod-roomcard";
  if (kind === "netns" || kind === "bridge" || kind === "compose") return "lod-ghost";
  if ((data.room && kind !== "room") || kind === "joined") return "lod-hide";
  // A selected container's published paths (port-elements.ts) are drawn where they read: closer.
  if (kind === "port") return "lod-hide";
  if (kind === "hostmode" || kind === "nic") return "lod-card lod-far";
  return kind === "host" ? "lod-far" : "";
}
