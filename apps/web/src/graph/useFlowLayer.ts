import type { FlowsAnswer, Topology } from "@netdive/model";
import type cytoscape from "cytoscape";
import { useEffect, useMemo, useRef } from "react";
import type { GraphElement } from "./elements";
import { applyFlows, canvasLookup, refreshFlowFont } from "./flow-canvas";
import { flowElements } from "./flow-elements";
import { MOUNTED_EVENT, roomsOf } from "./mount";

const NO_FLOWS: FlowsAnswer = { windowSeconds: 10, readAt: "", flows: [], unavailable: [], sources: [] };

/**
 * Draws the stream's flows (`--flows`) over the canvas after each read, after each change of the
 * picture (a container that came back gets its edges again), and whenever rooms open or close
 * (a flow moves from a room's card to the container's box and back). Nothing is laid out for them.
 */
export function useFlowLayer(
  cy: cytoscape.Core | null,
  elements: readonly GraphElement[],
  flows: FlowsAnswer | null,
  topology: Topology | null,
): void {
  const roomOf = useMemo(() => roomsOf(elements), [elements]);
  const latest = useRef({ flows, topology, roomOf });
  latest.current = { flows, topology, roomOf };
  useEffect(() => {
    if (!cy) return;
    const draw = () => {
      const { flows: answer, topology: t, roomOf: rooms } = latest.current;
      applyFlows(cy, flowElements(answer ?? NO_FLOWS, canvasLookup(cy, rooms), t ?? undefined));
    };
    draw();
    cy.on(MOUNTED_EVENT, draw);
    return () => void cy.off(MOUNTED_EVENT, draw);
  }, [cy, flows, roomOf, topology]);
  // The flows' words follow the zoom, once a frame at most.
  useEffect(() => {
    if (!cy) return;
    let frame = 0;
    const onZoom = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        refreshFlowFont(cy);
      });
    };
    cy.on("zoom", onZoom);
    return () => {
      cy.off("zoom", onZoom);
      if (frame) cancelAnimationFrame(frame);
    };
  }, [cy]);
}
