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
/** What covers the canvas's edges, px: drawers on either side, floating toggles along the top. */
export interface Inset {
  left: number;
  right: number;
  top?: number;
}

export function fitAll(cy: cytoscape.Core, inset: Inset = { left: 0, right: 0 }): void {
  if (cy.elements().empty()) return;
  cy.stop(true);
  // What is displayed depends on the zoom, and the zoom on what is displayed (a room with its
  // embedded DNS is wider close up): fit, let the level of detail follow, fit once more.
  const setLod = cy.scratch(LOD_HOOK) as ((zoom: number) => void) | undefined;
  for (let pass = 0; pass < 2; pass++) {
    const zoom = fitOnce(cy, inset);
    setLod?.(zoom);
  }
  cy.emit("zoom");
}

/** Where `fitAll` finds the canvas's level-of-detail setter (GraphCanvas puts it there). */
export const LOD_HOOK = "netdive:setLod";

function fitOnce(cy: cytoscape.Core, inset: Inset): number {
  // All of it, also what this zoom does not display: the fit's zoom may display it.
  const viewport = fitViewport(cy, extent(cy.elements()), inset);
  cy.viewport(viewport);
  return viewport.zoom;
}

/** The viewport that fits the box `bb` (model units) into the canvas beside `inset`, as `fitAll` frames it. */
export function fitViewport(
  cy: cytoscape.Core,
  bb: { x1: number; y1: number; w: number; h: number },
  inset: Inset,
): { zoom: number; pan: { x: number; y: number } } {
  const top = inset.top ?? 0;
  const width = Math.max(cy.width() - inset.left - inset.right, cy.width() / 3) - 2 * FIT_PADDING;
  const height = cy.height() - top - 2 * FIT_PADDING;
  let zoom = Math.min(width / Math.max(bb.w, 1), height / Math.max(bb.h, 1), FIT_MAX_ZOOM);
  // A zoom just under a level's threshold would hide the words the fit was for: take the
  // threshold when the drawing still fits inside the padding.
  for (const threshold of [1, MIN_TEXT_PX / CARD_FONT]) {
    const slack = Math.min((width + FIT_PADDING) / bb.w, (height + FIT_PADDING) / bb.h);
    if (zoom < threshold && threshold <= slack) zoom = threshold;
  }
  zoom = Math.max(cy.minZoom(), Math.min(zoom, cy.maxZoom()));
  const left = inset.left + (cy.width() - inset.left - inset.right) / 2;
  const middle = top + (cy.height() - top) / 2;
  return { zoom, pan: { x: left - zoom * (bb.x1 + bb.w / 2), y: middle - zoom * (bb.y1 + bb.h / 2) } };
}

/**
 * About the zoom `fitAll` will choose for this layout, from where its nodes stand (their shapes
 * and the rooms' frames add a margin), so the first elements are added at the right detail.
 */
export function predictFitZoom(state: LayoutState, cy: cytoscape.Core, inset: Inset): number {
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
  const height = cy.height() - (inset.top ?? 0) - 2 * FIT_PADDING;
  return Math.min(width / (x2 - x1 + 400), height / (y2 - y1 + 400), FIT_MAX_ZOOM);
}

/**
 * Where the elements stand, whether drawn at this zoom or not (from far away an interface is not
 * displayed, and Cytoscape gives it no bounding box): drawn ones by their box, others by their
 * position and size, an edge by its ends.
 */
export function extent(eles: cytoscape.Collection): {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  w: number;
  h: number;
} {
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  const add = (b: { x1: number; y1: number; x2: number; y2: number }) => {
    x1 = Math.min(x1, b.x1);
    y1 = Math.min(y1, b.y1);
    x2 = Math.max(x2, b.x2);
    y2 = Math.max(y2, b.y2);
  };
  eles.forEach((e) => {
    // From afar a container's box grows upwards until its card fits (style.ts's min-height):
    // where it stands at any zoom, so a view framed close up still holds it once its card shows.
    const cardH = Number(e.data("cardH"));
    if (cardH > 0 && e.isNode()) {
      const b = e.boundingBox({ includeLabels: false });
      add({ x1: b.x1, x2: b.x2, y1: b.y2 - cardH, y2: b.y2 });
    }
    if (e.style("display") !== "none")
      return add(e.boundingBox({ includeLabels: true, useCache: false } as cytoscape.BoundingBoxOptions));
    if (e.isNode()) {
      const p = e.position();
      return add({
        x1: p.x - e.width() / 2,
        y1: p.y - e.height() / 2,
        x2: p.x + e.width() / 2,
        y2: p.y + e.height() / 2,
      });
    }
    const a = (e as cytoscape.EdgeSingular).source().position();
    const b = (e as cytoscape.EdgeSingular).target().position();
    add({ x1: Math.min(a.x, b.x), y1: Math.min(a.y, b.y), x2: Math.max(a.x, b.x), y2: Math.max(a.y, b.y) });
  });
  return { x1, y1, x2, y2, w: x2 - x1, h: y2 - y1 };
}
