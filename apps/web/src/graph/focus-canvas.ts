import type cytoscape from "cytoscape";

/** Margin around the focused elements, in screen pixels. */
const PADDING = 48;
/** Never closer than 1:1: closer hides the neighbours that say where the focus sits. */
const MAX_ZOOM = 1;
/** The least area (model units) brought into view, so one small node keeps its surroundings. */
const MIN_VIEW = { w: 900, h: 620 };

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
 * Zooms and pans (animated) so the elements fit in the part of the canvas above `bottomInset`
 * pixels (where the tour's panel lies; 0 for the reach panel). Only the viewport moves; every node keeps its position.
 */
export function focusCanvas(cy: cytoscape.Core, elementIds: readonly string[], bottomInset: number): void {
  let eles = cy.collection();
  for (const id of elementIds) eles = eles.union(cy.getElementById(id));
  if (eles.empty()) return;
  const box = eles.boundingBox({ includeLabels: true });
  const all = cy.elements().boundingBox({ includeLabels: true });
  const w = Math.max(box.w, MIN_VIEW.w);
  const h = Math.max(box.h, MIN_VIEW.h);
  const center = {
    x: viewStart(box.x1, box.x2, w, all.x1, all.x2) + w / 2,
    y: viewStart(box.y1, box.y2, h, all.y1, all.y2) + h / 2,
  };
  const width = cy.width();
  const height = Math.max(cy.height() - bottomInset, cy.height() / 3);
  const fit = Math.min((width - 2 * PADDING) / w, (height - 2 * PADDING) / h);
  const zoom = Math.max(cy.minZoom(), Math.min(fit, MAX_ZOOM));
  const pan = { x: width / 2 - zoom * center.x, y: height / 2 - zoom * center.y };
  const still = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches ?? false;
  cy.stop(true);
  if (still) cy.viewport({ zoom, pan });
  else cy.animate({ zoom, pan }, { duration: 450, easing: "ease-in-out-cubic" });
}
