import type cytoscape from "cytoscape";
import { extent, fitViewport, type Inset } from "./fit";
import { CARD_FONT, MIN_TEXT_PX } from "./lod";

/** The least zoom at which a container's card reads (lod.ts): a followed change is never framed farther out. */
const READABLE = MIN_TEXT_PX / CARD_FONT;
/** Around a followed change, px. */
const MARGIN = 24;
/** How long the view takes to move, ms: slow enough to see where it went, quick enough for 16x. */
const MOVE_MS = 500;

type Box = { x1: number; y1: number; x2: number; y2: number };
type Viewport = { zoom: number; pan: { x: number; y: number } };

/** What the canvas shows beside `inset`, in model units. */
function visibleBox(cy: cytoscape.Core, inset: Inset): Box {
  const zoom = cy.zoom();
  const pan = cy.pan();
  const top = inset.top ?? 0;
  return {
    x1: (inset.left - pan.x) / zoom,
    y1: (top - pan.y) / zoom,
    x2: (cy.width() - inset.right - pan.x) / zoom,
    y2: (cy.height() - pan.y) / zoom,
  };
}

const inside = (a: Box, b: Box) => a.x1 >= b.x1 && a.y1 >= b.y1 && a.x2 <= b.x2 && a.y2 <= b.y2;

/**
 * Where a view of `size` starts along one axis: around the change [lo, hi], moved back inside the
 * host [min, max] when it would show empty canvas past its edge, never losing the change.
 */
function viewStart(lo: number, hi: number, size: number, min: number, max: number): number {
  let start = (lo + hi) / 2 - size / 2;
  if (start + size > max) start = max - size;
  if (start < min) start = min;
  return Math.max(Math.min(start, lo), hi - size);
}

/**
 * As much of the host `whole` as reads (the containers' cards at least), around `box`: the
 * farthest zoom that reads, unless the box needs farther.
 */
function aroundChange(cy: cytoscape.Core, box: Box, whole: Box, inset: Inset): Viewport {
  const top = inset.top ?? 0;
  const free = { w: cy.width() - inset.left - inset.right - 2 * MARGIN, h: cy.height() - top - 2 * MARGIN };
  const zoom = Math.max(
    cy.minZoom(),
    Math.min(READABLE, free.w / Math.max(1, box.x2 - box.x1), free.h / Math.max(1, box.y2 - box.y1)),
  );
  const x1 = viewStart(box.x1, box.x2, free.w / zoom, whole.x1, whole.x2);
  const y1 = viewStart(box.y1, box.y2, free.h / zoom, whole.y1, whole.y2);
  return { zoom, pan: { x: inset.left + MARGIN - zoom * x1, y: top + MARGIN - zoom * y1 } };
}

/**
 * Brings what a replayed moment changed into view, the way an instructor would point at it.
 * `changed`: the elements that changed (drawn now), and `rooms`: the rooms that hold changed
 * elements not drawn (a closed or folded room's card stands for them). `jump`: the moment was
 * reached by a seek, not a step.
 *
 * - The whole host is framed when it reads fitted (its containers' cards at least): after a seek,
 *   and whenever a change falls outside the view or the view is too far out to read.
 * - Otherwise as much of the host as reads is framed around the change.
 * - A change already in a view that reads moves nothing: the view moves at most once per change,
 *   only when it must, and so never back and forth.
 *
 * Returns whether the view moves.
 */
export function followChange(
  cy: cytoscape.Core,
  changed: readonly string[],
  rooms: Iterable<string>,
  inset: Inset,
  jump: boolean,
): boolean {
  let targets = cy.collection();
  for (const id of changed) targets = targets.union(cy.getElementById(id));
  for (const id of rooms) targets = targets.union(cy.getElementById(id));
  const seen = targets.empty() || inside(extent(targets), visibleBox(cy, inset));
  if (!jump && seen && cy.zoom() >= READABLE) return false;

  // What stays: what left the engine is fading out (canvas-sync.ts) and is not framed.
  const staying = cy.elements().filter((e) => !e.data("leaving"));
  if (staying.empty()) return false;
  const whole = extent(staying);
  let viewport: Viewport = fitViewport(cy, whole, inset);
  if (viewport.zoom < READABLE && targets.nonempty()) viewport = aroundChange(cy, extent(targets), whole, inset);

  const pan = cy.pan();
  const still =
    Math.abs(viewport.zoom / cy.zoom() - 1) < 0.02 &&
    Math.abs(viewport.pan.x - pan.x) < 8 &&
    Math.abs(viewport.pan.y - pan.y) < 8;
  if (still) return false;
  cy.stop(true);
  // After a jump the picture was laid out afresh: there is nothing to follow from where the view was.
  const reduced = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches ?? false;
  if (reduced || jump) cy.viewport(viewport);
  else cy.animate(viewport, { duration: MOVE_MS, easing: "ease-in-out-cubic" });
  return true;
}
