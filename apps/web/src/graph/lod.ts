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

/** Average advance of a character, as a share of the font size (system-ui, sans-serif). */
const CHAR_WIDTH = 0.55;
const LINE_HEIGHT = 1.25;

/** Splits a line into lines of at most `chars` characters, at spaces or separators where it can. */
function wrapLine(line: string, chars: number): string[] {
  if (line.length <= chars) return [line];
  const out: string[] = [];
  let rest = line;
  while (rest.length > chars) {
    const head = rest.slice(0, chars + 1);
    const cut = Math.max(head.lastIndexOf(" "), head.lastIndexOf("-") + 1, head.lastIndexOf(",") + 1);
    const at = cut > chars / 3 ? cut : chars;
    out.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest) out.push(rest);
  return out;
}

/**
 * A room's card as it fits a box of `width` x `height` model units at `font`: the title lines
 * (network, bridge and subnet, count), then the members' names, as many as fit, then "+N more".
 * `card` is the builder's text: three title lines, then one name per line.
 */
export function fitRoomCard(card: string, width: number, height: number, font: number, more: string): string {
  const [name = "", bridge = "", count = "", ...names] = card.split("\n");
  const chars = Math.max(6, Math.floor(width / (font * CHAR_WIDTH)));
  const maxLines = Math.max(1, Math.floor(height / (font * LINE_HEIGHT)));
  const lines = [name, bridge, count]
    .filter(Boolean)
    .flatMap((l) => wrapLine(l, chars))
    .slice(0, maxLines);
  let shown = 0;
  while (shown < names.length) {
    const rest = names.length - shown - 1;
    const candidate = wrapLine(names.slice(0, shown + 1).join(", ") + (rest > 0 ? ` +${rest} ${more}` : ""), chars);
    if (lines.length + candidate.length > maxLines) break;
    shown++;
  }
  if (shown > 0) {
    const rest = names.length - shown;
    lines.push(...wrapLine(names.slice(0, shown).join(", ") + (rest > 0 ? ` +${rest} ${more}` : ""), chars));
  }
  return lines.join("\n");
}
