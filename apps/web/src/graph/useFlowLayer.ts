import type { FlowsAnswer } from "@netdive/model";
import type cytoscape from "cytoscape";
import { useEffect } from "react";
import { applyFlows } from "./flow-canvas";
import { flowElements } from "./flow-elements";

/**
 * Draws the stream's flows (`--flows`) over the canvas after each read and after each change of
 * the picture (a container that came back gets its edges again). Nothing is laid out for them.
 */
export function useFlowLayer(cy: cytoscape.Core | null, elements: unknown, flows: FlowsAnswer | null): void {
  useEffect(() => {
    if (!cy) return;
    const answer = flows ?? { windowSeconds: 10, readAt: "", flows: [], unavailable: [], sources: [] };
    applyFlows(
      cy,
      flowElements(answer, (id) => {
        const node = cy.getElementById(id);
        return node.nonempty() && node.isNode() ? node.position() : undefined;
      }),
    );
  }, [cy, flows, elements]);
}
