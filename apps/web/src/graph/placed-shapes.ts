import type { GraphElement, NodeData } from "./elements";
import { placeSize, type LayoutState } from "./layout";
import type { Rect } from "./mount";
import { cardHeight, GRID } from "./room-packing";

/**
 * Where the layout's rooms and container boxes stand, as the page draws them (style.ts's sizes):
 * for checks of the layout without a browser (layout-properties.test.ts, the layout bench).
 */

/** An interface row, a box's padding and a title line, model units (style.ts). */
export const IFACE = { w: 200, h: 34 };
export const BOX_PAD = 10;
export const TITLE_LINE = 12;

/** Each container box with its title (close up) and its card's least height (from afar), by id. */
export function boxRects(els: readonly GraphElement[], state: LayoutState): Map<string, { rect: Rect; room: string }> {
  const nodes = els.filter((e) => e.group === "nodes").map((e) => e.data as NodeData);
  const kids = new Map<string, NodeData[]>();
  for (const n of nodes) if (n.parent) kids.set(n.parent, [...(kids.get(n.parent) ?? []), n]);
  const out = new Map<string, { rect: Rect; room: string }>();
  for (const box of nodes) {
    // A folded room's boxes are not drawn (room-folding.ts).
    if (box.kind !== "netns" || !box.room || state.rooms[box.room]?.card) continue;
    const items = (kids.get(box.id) ?? []).filter((k) => k.kind === "iface" || k.kind === "joined");
    const ys = items.map((k) => state.positions[k.id]!.y);
    const p = state.positions[box.id]!;
    const x = items.length > 0 ? state.positions[items[0]!.id]!.x : p.x;
    const top = (ys.length > 0 ? Math.min(...ys) : p.y) - IFACE.h / 2 - BOX_PAD;
    const bottom = (ys.length > 0 ? Math.max(...ys) : p.y) + IFACE.h / 2 + BOX_PAD;
    const title = top - (box.titleLines ?? 2) * TITLE_LINE - 4;
    const card = bottom - cardHeight(box.cardLines ?? 2);
    out.set(box.id, {
      rect: { x1: x - IFACE.w / 2 - BOX_PAD, x2: x + IFACE.w / 2 + BOX_PAD, y1: Math.min(title, card), y2: bottom },
      room: box.room,
    });
  }
  return out;
}

/** All each room may hold, as the layout gave it, by id. */
export function roomRects(state: LayoutState): Map<string, Rect> {
  return new Map(
    Object.entries(state.rooms).map(([id, r]) => [
      id,
      {
        x1: r.x0,
        x2: r.x0 + placeSize(r).w,
        y1: r.base + GRID.bar / 2 - placeSize(r).h,
        y2: r.base + GRID.bar / 2,
      },
    ]),
  );
}
