import type cytoscape from "cytoscape";
import { extent } from "./fit";
import { CARD_FONT, lodClasses, MIN_TEXT_PX } from "./lod";
import { openRoomsOf } from "./mount";

/** Margin around the focused elements, in screen pixels. */
const PADDING = 48;
/** Never closer than 1:1: closer hides the neighbours that say where the focus sits. */
const MAX_ZOOM = 1;
/** The least area (model units) brought into view, so one small node keeps its surroundings. */
const MIN_VIEW = { w: 900, h: 620 };
/** Whether an element is drawn only close up (not at the cards' level of detail, lod.ts). */
function closeUpOnly(e: cytoscape.SingularElementArgument): boolean {
  const at = lodClasses(e.isNode() ? "nodes" : "edges", { kind: String(e.data("kind")) }, "containers");
  return at.includes("lod-hide") || at.includes("lod-ghost");
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
 * Zooms and pans (animated) so the elements fit in the part of the canvas that `inset` leaves
 * free, px: above the tour's panel (`bottom`), beside an open drawer (`right`, drawers.ts). Only
 * the viewport moves; every node keeps its position.
 */
export function focusCanvas(
  cy: cytoscape.Core,
  elementIds: readonly string[],
  inset: { bottom: number; right: number },
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
  const roomFor = (size: number) => (closeUp ? Math.max(size - 2 * PADDING, 1) : Infinity);
  let box = extent(eles);
  // What must be read close up comes first: when everything lit does not fit at zoom 1, the
  // close-up part is framed and the rest is left at the edges.
  if (closeUp && Math.min((width - 2 * PADDING) / box.w, (height - 2 * PADDING) / box.h) < 1) box = extent(near);
  const w = Math.max(box.w, Math.min(MIN_VIEW.w, roomFor(width)));
  const h = Math.max(box.h, Math.min(MIN_VIEW.h, roomFor(height)));
  const center = {
    x: viewStart(box.x1, box.x2, w, all.x1, all.x2) + w / 2,
    y: viewStart(box.y1, box.y2, h, all.y1, all.y2) + h / 2,
  };
  const fit = Math.min((width - 2 * PADDING) / w, (height - 2 * PADDING) / h);
  // Never so far that the cards' words are not drawn: what talks must be read.
  const zoom = Math.max(cy.minZoom(), MIN_TEXT_PX / CARD_FONT, Math.min(fit, MAX_ZOOM));
  const pan = { x: width / 2 - zoom * center.x, y: height / 2 - zoom * center.y };
  const still = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches ?? false;
  cy.stop(true);
  if (still) cy.viewport({ zoom, pan });
  else cy.animate({ zoom, pan }, { duration: 450, easing: "ease-in-out-cubic" });
}
