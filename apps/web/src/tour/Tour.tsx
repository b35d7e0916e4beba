import type cytoscape from "cytoscape";
import type { GraphElement } from "../graph/to-elements";
import { STEP_COUNTS } from "./chapters";
import { useTour } from "./tour-state";
import { TourPanel } from "./TourPanel";
import { useTourKeys } from "./useTourKeys";

/**
 * The guided tour for instructors: the presenter's keys always, the panel and its spotlight
 * while open. `elements` are the canvas's, so a step lights only what is drawn.
 */
export function Tour({ cy, elements }: { cy: cytoscape.Core | null; elements: readonly GraphElement[] }) {
  useTourKeys(STEP_COUNTS);
  const open = useTour((s) => s.open);
  return open ? <TourPanel cy={cy} elements={elements} /> : null;
}
