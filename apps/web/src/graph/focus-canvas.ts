import type cytoscape from "cytoscape";
import { extent } from "./fit";
import { CARD_FONT, DETAIL_FONT, lodClasses, MIN_TEXT_PX } from "./lod";
import { openRoomsOf } from "./mount";

/** Margin around the focused elements, in screen pixels; tighter where the words must be large. */
const MARGIN = 48;
const TIGHT_PADDING = 16;
/** Never closer than 1:1: closer hides the neighbours that say where the focus sits. */
const MAX_ZOOM = 1;
/** The least area (model units) brought into view, so one small node keeps its surroundings. */
const MIN_VIEW = { w: 900, h: 620 };
/** Whether an element is drawn only close up (not at the cards' level of detail, lod.ts). */
function closeUpOnly(e: cytoscape.SingularElementArgument): boolean {
  const at = lodClasses(e.isNode() ? "nodes" : "edges", { kind: String(e.data("kind")) }, "containers");
  return at.includes("lod-hide") || at.includes("lod-ghost");
}

/** The spotlight's halo around what it lights (style.ts: a projector's line x 4), model units. */
const HALO = 14;

/** A box grown by the spotlight's halo: framing it frames what the room sees lit, halo and all. */
function haloed(b: { x1: number; y1: number; x2: number; y2: number }) {
  return {
    x1: b.x1 - HALO,
    y1: b.y1 - HALO,
    x2: b.x2 + HALO,
    y2: b.y2 + HALO,
    w: b.x2 - b.x1 + 2 * HALO,
    h: b.y2 - b.y1 + 2 * HALO,
  };
}

/**
 * Where a view of `size` starts along one axis: around the focus [lo, hi], moved back inside
 * the drawing [min, max] when it would show empty canvas beyond it, never losing the focus.
 */
function viewStart(lo: number, hi: number, size: number, min: number, max: number): number {
  let start = (lo + hi) / 2 - size / 2;
  if (start + size > max) start = max - size;
  if (start < min) start = min;
  return Math.max(Math.min(start, lo), hi - size);
}

/**
 * The zoom nearest `preferred` at which the focus's words read at `readablePx` CSS pixels: a
 * close-up element's small print ({@link DETAIL_FONT}) is drawn only at the figure's level of
 * detail; a box or a bridge is drawn with the cards' words ({@link CARD_FONT}) below that level
 * and with the small print at it (lod.ts). Null when no such zoom fits the focus (`most`).
 */
export function readableZoom(preferred: number, closeUp: boolean, readablePx: number, most: number): number | null {
  const detail = Math.max(MIN_TEXT_PX / DETAIL_FONT, readablePx / DETAIL_FONT);
  const cards = readablePx / CARD_FONT;
  // Just under the figure's level: still cards, so the card-sized words stay.
  const underDetail = (MIN_TEXT_PX / DETAIL_FONT) * 0.999;
  const valid = (z: number) => z <= most && (z >= detail || (!closeUp && z >= cards && z < MIN_TEXT_PX / DETAIL_FONT));
  if (valid(preferred)) return preferred;
  const candidates = (closeUp ? [detail] : [cards, underDetail, detail]).filter(valid);
  if (candidates.length === 0) return null;
  return candidates.reduce((best, z) => (Math.abs(z - preferred) < Math.abs(best - preferred) ? z : best));
}

/**
 * Zooms and pans (animated) so the elements fit in the part of the canvas that `inset` leaves
 * free, px: above the tour's panel (`bottom`), beside an open drawer (`right`, drawers.ts), with
 * their words at `readablePx` or more where the focus still fits (18 on a projector, for the
 * back of a room). Only the viewport moves; every node keeps its position.
 */
export function focusCanvas(
  cy: cytoscape.Core,
  elementIds: readonly string[],
  inset: { bottom: number; right: number },
  readablePx: number = MIN_TEXT_PX,
): void {
  openRoomsOf(cy, elementIds);
  let eles = cy.collection();
  for (const id of elementIds) eles = eles.union(cy.getElementById(id));
  if (eles.empty()) return;
  const all = cy.elements().boundingBox({ includeLabels: true });
  const width = Math.max(cy.width() - inset.right, cy.width() / 3);
  const height = Math.max(cy.height() - inset.bottom, cy.height() / 3);
  // Surroundings are kept while they fit; a close-up focus gives them up before its words.
  const near = eles.filter(closeUpOnly);
  const closeUp = near.nonempty();
  // On a projector the words' size comes before the margin around them.
  const PADDING = readablePx > MIN_TEXT_PX ? TIGHT_PADDING : MARGIN;
  const roomFor = (size: number) => (closeUp ? Math.max(size - 2 * PADDING, 1) : Infinity);
  const fitOf = (b: { w: number; h: number }) => Math.min((width - 2 * PADDING) / b.w, (height - 2 * PADDING) / b.h);
  // The zoom a box would get: its surroundings kept while they fit, never closer than 1:1, never
  // so far that the cards' words are not drawn (what talks must be read).
  const preferredFor = (b: { w: number; h: number }) => {
    const w = Math.max(b.w, Math.min(MIN_VIEW.w, roomFor(width)));
    const h = Math.max(b.h, Math.min(MIN_VIEW.h, roomFor(height)));
    return Math.max(cy.minZoom(), MIN_TEXT_PX / CARD_FONT, Math.min(fitOf({ w, h }), MAX_ZOOM));
  };
  // Everything lit, with its words at the readable size, when it fits so; else everything lit at
  // the size that fits (the figure's words stay at least MIN_TEXT_PX); and only when not even
  // that fits, the close-up part, readable, with the rest left at the edges.
  const measure = (c: cytoscape.Collection) => haloed(extent(c));
  let box = measure(eles);
  let zoom = readableZoom(preferredFor(box), closeUp, readablePx, fitOf(box));
  if (zoom === null && closeUp && fitOf(box) < 1) {
    box = measure(near);
    zoom = readableZoom(preferredFor(box), closeUp, readablePx, fitOf(box));
  }
  zoom ??= preferredFor(box);
  const view = { w: (width - 2 * PADDING) / zoom, h: (height - 2 * PADDING) / zoom };
  const center = {
    x: viewStart(box.x1, box.x2, view.w, all.x1, all.x2) + view.w / 2,
    y: viewStart(box.y1, box.y2, view.h, all.y1, all.y2) + view.h / 2,
  };
  const pan = { x: width / 2 - zoom * center.x, y: height / 2 - zoom * center.y };
  const still = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches ?? false;
  cy.stop(true);
  if (still) cy.viewport({ zoom, pan });
  else cy.animate({ zoom, pan }, { duration: 450, easing: "ease-in-out-cubic" });
}
