/**
 * Which rooms the first screen folds to a card, room by room, so the rest can be drawn open at a
 * size that reads. A host too big for one screen is not drawn all as cards: the rooms that fit
 * open, and the largest rooms fold first (a folded room is one small card, the same size as
 * every other folded card), until the picture fits the canvas at a zoom where words read.
 */
import { CARD_FONT, DETAIL_FONT, MIN_TEXT_PX } from "./lod";
import { chooseWrap, HOST_MARGIN, needSize, pack, type RoomNeed } from "./room-packing";

/** A plan that opens more rooms is taken when it names this share of what the best plan names. */
const NEARLY = 0.97;

/** A room card's margins, model units: its words' inset on either side (layout.ts), and above and below them (fitFarLabels). */
export const CARD_MARGIN = { w: 48, h: 16 };

/**
 * The most lines a folded card is sized for, most first: a step at a time, since on a 1280x720
 * projector one line more or less per card decides whether nine names in ten are drawn.
 */
const CARD_LINES = [8, 7, 6, 5, 4, 3, 2];
/** The widest line a folded card is sized for, characters: wide first, narrower when many cards share the canvas. */
const CARD_CHARS = [26, 21, 16];

/** The canvas's margin when the picture is fitted to it (fit.ts), px on each side. */
const FIT_MARGIN = 24;

export interface FoldCanvas {
  /** What the picture may fill, CSS px. */
  width: number;
  height: number;
}

export interface FoldPlan {
  folded: Set<string>;
  /** The zoom the plan was made for: open rooms read at it (nothing folded: the zoom that fits the host). */
  zoom: number;
  /** Each folded room's card at that zoom, model units. */
  cards: Map<string, { w: number; h: number }>;
}

export interface FoldOptions {
  /** Rooms the user opened: never folded. */
  keepOpen?: ReadonlySet<string>;
  /** The least width of the host in model units (its row of host-mode containers). */
  minWidth?: number;
  /**
   * How many member names a room's card shows at a size (model units) and font; the plan that
   * names the most containers on the first screen wins. Without it, a card names none.
   */
  namesOnCard?: (room: string, w: number, h: number, font: number) => number;
  /**
   * A room's folded card's words, CSS px, a little over the least readable size: as wide as its
   * longest name (up to a limit) and as tall as its lines, at most `lines`. Without it, a fixed size.
   */
  cardPx?: (room: string, lines: number, chars: number) => { w: number; h: number };
  /** How many containers a room names when open (its boxes, and the containers joined to them); without it, its boxes. */
  namesInRoom?: (room: string) => number;
  /**
   * CSS px that words take below the host's bottom row from far away, at any zoom: host-mode
   * containers' names hang under their boxes at a readable size (style.ts), so the picture's
   * height there does not shrink with the zoom.
   */
  belowPx?: number;
}

/** Whether the rooms, some folded to `card`, fit the canvas at `zoom`. */
function fits(
  needs: readonly RoomNeed[],
  canvas: FoldCanvas,
  zoom: number,
  minWidth: number,
  belowPx: number,
): boolean {
  return fitZoom(needs, canvas, minWidth, belowPx) >= zoom;
}

interface Scored extends FoldPlan {
  /** Container names the first screen shows. */
  names: number;
  /** Containers drawn in open rooms (boxes, not a room's card), and whether close up (the figure). */
  open: number;
  figure: boolean;
}

/**
 * The folds for a first screen of `canvas`. Plans weighed, each at the zoom it is made for:
 * - for each level that draws rooms open (the figure close up at zoom 1, each container as a card
 *   at the least zoom its name reads), the fewest rooms folded, largest first, that let the rest
 *   fit;
 * - every room folded, at the closest zoom at which the cards fit;
 * - nothing folded, the whole host fitted (every room then a card over its own place).
 * Nothing folds while the whole host, fitted, names nearly as many containers as the best plan.
 * Otherwise the plan that names the most wins; among those that name nearly as many, the one that
 * draws the most containers open, then the one that folds the fewest rooms, then the figure.
 */
export function chooseFolds(needs: readonly RoomNeed[], canvas: FoldCanvas, opts: FoldOptions = {}): FoldPlan {
  const keep = opts.keepOpen ?? new Set<string>();
  const minWidth = opts.minWidth ?? 0;
  const belowPx = opts.belowPx ?? 0;
  const none: FoldPlan = { folded: new Set(), zoom: 0, cards: new Map() };
  if (needs.length === 0 || canvas.width <= 0 || canvas.height <= 0) return none;
  const known = new Map<string, { w: number; h: number }>();
  const cardPx = (id: string, lines: number, chars: number) => {
    const key = `${lines} ${chars} ${id}`;
    let px = known.get(key);
    if (!px) known.set(key, (px = opts.cardPx?.(id, lines, chars) ?? { w: 230, h: 110 }));
    return px;
  };
  const cardsAt = (ids: Iterable<string>, zoom: number, lines: number, chars = CARD_CHARS[0]!) =>
    new Map(
      [...ids].map((id) => {
        const px = cardPx(id, lines, chars);
        return [id, { w: px.w / zoom + CARD_MARGIN.w, h: px.h / zoom + CARD_MARGIN.h }];
      }),
    );
  const folding = (cards: ReadonlyMap<string, { w: number; h: number }>) =>
    needs.map((n) => {
      const card = cards.get(n.id);
      return card ? { ...n, card } : n;
    });
  // Scored at the zoom the fit will take (the plan's zoom or closer), where the cards' words are smaller.
  const score = (cards: Map<string, { w: number; h: number }>, planned: number): Scored => {
    const zoom = Math.max(planned, Math.min(1.6, fitZoom(folding(cards), canvas, minWidth, belowPx)));
    let names = 0;
    for (const n of needs) {
      const card = cards.get(n.id);
      names += card ? (opts.namesOnCard?.(n.id, card.w, card.h, (MIN_TEXT_PX + 1) / zoom) ?? 0) : inRoom(n);
    }
    const open = needs.reduce((sum, n) => sum + (cards.has(n.id) ? 0 : inRoom(n)), 0);
    // Nothing folded: the plan is the whole host, fitted.
    const at = cards.size > 0 ? planned : zoom;
    return { folded: new Set(cards.keys()), zoom: at, cards, names, open, figure: at >= 1 };
  };
  const plans: Scored[] = [];
  const inRoom = (n: RoomNeed) => opts.namesInRoom?.(n.id) ?? n.members;

  for (const zoom of [MIN_TEXT_PX / DETAIL_FONT, MIN_TEXT_PX / CARD_FONT]) {
    const each = cardsAt(
      needs.map((n) => n.id),
      zoom,
      CARD_LINES[0]!,
    );
    // Largest first; folding a room no bigger than its card gains nothing.
    const candidates = needs
      .filter((n) => !keep.has(n.id))
      .map((n) => ({ id: n.id, area: needSize(n).w * needSize(n).h, card: each.get(n.id)! }))
      .filter((c) => c.area > c.card.w * c.card.h)
      .sort((a, b) => b.area - a.area);
    // The fewest of them, by halving: folding more never makes the picture larger.
    const foldFirst = (k: number) => new Map(candidates.slice(0, k).map((c) => [c.id, c.card]));
    const fitsWith = (k: number) => fits(folding(foldFirst(k)), canvas, zoom, minWidth, belowPx);
    if (!fitsWith(candidates.length)) continue;
    let lo = 0;
    let hi = candidates.length;
    if (fitsWith(0)) hi = 0;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (fitsWith(mid)) hi = mid;
      else lo = mid;
    }
    const cards = foldFirst(hi);
    if (cards.size < needs.length) plans.push(score(cards, zoom));
  }

  // Every room a card, for each shape of card (wide or narrow, more lines or fewer): the closest
  // zoom at which they fit; the shape that names the most.
  if (keep.size === 0) {
    const ids = needs.map((n) => n.id);
    let folded: Scored | undefined;
    const fitsAt = (zoom: number, lines: number, chars: number) =>
      fits(folding(cardsAt(ids, zoom, lines, chars)), canvas, zoom, minWidth, belowPx);
    for (const chars of CARD_CHARS) {
      // Cards of fewer lines name fewer containers: from the most lines down, the first two
      // shapes that fit are the ones worth weighing.
      let tried = 0;
      for (const lines of CARD_LINES) {
        if (tried === 2) break;
        // The closest zoom at which cards sized for it fit, by halving (closer, the cards are larger).
        let lo = 0.04;
        let hi = 1;
        if (!fitsAt(lo, lines, chars)) continue;
        tried++;
        if (fitsAt(hi, lines, chars)) lo = hi;
        for (let step = 0; step < 7 && lo < hi; step++) {
          const mid = Math.sqrt(lo * hi);
          if (fitsAt(mid, lines, chars)) lo = mid;
          else hi = mid;
        }
        const plan = score(cardsAt(ids, lo, lines, chars), lo);
        if (!folded || plan.names > folded.names) folded = plan;
      }
    }
    if (folded) plans.push(folded);
  }

  // Nothing folded: the zoom that fits the whole host, each room a card over its place.
  const zoom = fitZoom(needs, canvas, minWidth, belowPx);
  let names = 0;
  for (const n of needs) {
    const size = needSize(n);
    names +=
      zoom >= MIN_TEXT_PX / CARD_FONT
        ? inRoom(n)
        : (opts.namesOnCard?.(n.id, size.w, size.h, (MIN_TEXT_PX + 1) / zoom) ?? 0);
  }
  const readable = zoom >= MIN_TEXT_PX / CARD_FONT;
  plans.push({
    ...none,
    zoom,
    names,
    open: readable ? needs.reduce((s, n) => s + inRoom(n), 0) : 0,
    figure: zoom >= 1,
  });
  // The most names; among plans that name nearly as many, the one that draws the most containers
  // open, then the one that folds the fewest rooms, then the one that draws them close up.
  const most = Math.max(...plans.map((p) => p.names));
  // Nothing folds while the whole host, fitted, names nearly as many: folding is for what does not fit.
  const whole = plans[plans.length - 1]!;
  if (whole.names >= most * NEARLY) return { folded: whole.folded, zoom: whole.zoom, cards: whole.cards };
  const near = plans.filter((p) => p.names >= most * NEARLY);
  near.sort(
    (a, b) =>
      b.open - a.open || a.folded.size - b.folded.size || Number(b.figure) - Number(a.figure) || b.names - a.names,
  );
  const best = near[0]!;
  return { folded: best.folded, zoom: best.zoom, cards: best.cards };
}

/**
 * The zoom at which the rooms, as they are sized, fit the canvas; from far away (where the rooms
 * are cards) less `belowPx` of its height, which the words under the host's bottom row take.
 */
function fitZoom(needs: readonly RoomNeed[], canvas: FoldCanvas, minWidth: number, belowPx = 0): number {
  const packed = pack(needs, chooseWrap(needs, canvas.width / canvas.height));
  const w = Math.max(packed.width, minWidth) + HOST_MARGIN.width;
  const h = packed.height + HOST_MARGIN.height;
  const at = (height: number) => Math.min((canvas.width - 2 * FIT_MARGIN) / w, (height - 2 * FIT_MARGIN) / h);
  const zoom = at(canvas.height);
  return zoom < MIN_TEXT_PX / CARD_FONT && belowPx > 0
    ? at(Math.max(canvas.height / 2, canvas.height - belowPx))
    : zoom;
}
