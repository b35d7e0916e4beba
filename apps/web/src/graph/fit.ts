import type cytoscape from "cytoscape";
import type { LayoutState } from "./layout";
import { CARD_FONT, MIN_TEXT_PX } from "./lod";

/** Margin around the whole drawing when it is fitted to the canvas, in pixels. */
const FIT_PADDING = 24;

/** Never closer than this when fitting: a lone small room is framed to read, not blown up. */
const FIT_MAX_ZOOM = 1.6;

/**
 * Fits the whole drawing into the canvas, less what drawers cover on either side (`inset`, px),
 * and sets the level of detail the zoom calls for.
 */
export function fitAll(cy: cytoscape.Core, inset: { left: number; right: number } = { left: 0, right: 0 }): void {
  const eles = cy.elements();
  if (eles.empty()) return;
  cy.stop(true);
  const bb = eles.boundingBox();
  const width = Math.max(cy.width() - inset.left - inset.right, cy.width() / 3) - 2 * FIT_PADDING;
  const height = cy.height() - 2 * FIT_PADDING;
  let zoom = Math.min(width / Math.max(bb.w, 1), height / Math.max(bb.h, 1), FIT_MAX_ZOOM);
  // A zoom just under a level's threshold would hide the words the fit was for: take the
  // threshold when the drawing still fits inside the padding.
  for (const threshold of [1, MIN_TEXT_PX / CARD_FONT]) {
    const slack = Math.min((width + FIT_PADDING) / bb.w, (height + FIT_PADDING) / bb.h);
    if (zoom < threshold && threshold <= slack) zoom = threshold;
  }
  zoom = Math.max(cy.minZoom(), Math.min(zoom, cy.maxZoom()));
  const left = inset.left + (cy.width() - inset.left - inset.right) / 2;
  cy.viewport({ zoom, pan: { x: left - zoom * (bb.x1 + bb.w / 2), y: cy.height() / 2 - zoom * (bb.y1 + bb.h / 2) } });
  cy.emit("zoom");
}

/**
 * About the zoom `fitAll` will choose for this layout, from where its nodes stand (their shapes
 * and the rooms' frames add a margin), so the first elements are added at the right detail.
 */
export function predictFitZoom(state: LayoutState, cy: cytoscape.Core, inset: { left: number; right: number }): number {
  let x1 = Infinity,
    y1 = Infinity,
    x2 = -Infinity,
    y2 = -Infinity;
  for (const p of Object.values(state.positions)) {
    x1 = Math.min(x1, p.x);
    y1 = Math.min(y1, p.y);
    x2 = Math.max(x2, p.x);
    y2 = Math.max(y2, p.y);
  }
  if (x1 > x2) return 1;
  const width = Math.max(cy.width() - inset.left - inset.right, cy.width() / 3) - 2 * FIT_PADDING;
  return Math.min(width / (x2 - x1 + 400), (cy.height() - 2 * FIT_PADDING) / (y2 - y1 + 400), FIT_MAX_ZOOM);
}
