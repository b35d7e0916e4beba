import type { FlowsAnswer, Topology } from "@netdive/model";
import type cytoscape from "cytoscape";
import { useEffect } from "react";
import { applyFlows, canvasLookup } from "./flow-canvas";
import { flowElements } from "./flow-elements";

/**
 * Draws the stream's flows (`--flows`) over the canvas after each read and after each change of
 * the picture (a container that came back gets its edges again). Nothing is laid out for them.
 */
export function useFlowLayer(
  cy: cytoscape.Core | null,
  elements: unknown,
  flows: FlowsAnswer | null,
  topology: Topology | null,
): void {
  useEffect(() => {
    if (!cy) return;
    const answer = flows ?? { windowSeconds: 10, readAt: "", flows: [], unavailable: [], sources: [] };
    applyFlows(cy, flowElements(answer, canvasLookup(cy), topology ?? undefined));
  }, [cy, flows, elements, topology]);
}
