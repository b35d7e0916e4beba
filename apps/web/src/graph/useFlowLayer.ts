import type { FlowsAnswer, Topology } from "@netdive/model";
import type cytoscape from "cytoscape";
import { useEffect, useMemo, useRef } from "react";
import type { GraphElement } from "./elements";
import { applyFlows, canvasLookup, refreshFlowFont } from "./flow-canvas";
import { flowElements } from "./flow-elements";
import { MOUNTED_EVENT, roomsOf } from "./mount";

const NO_ROOMS: ReadonlyMap<string, string> = new Map();

/**
 * Draws the stream's flows (`--flows`) over the canvas after each read, after each change of the
 * picture (a container that came back gets its edges again), and whenever rooms open or close
 * (a flow moves from a room's card to the container's box and back). Nothing is laid out for them.
 * Without flows (a server without --flows, a replay) it does nothing at all: no work is added to
 * a patch's way to the canvas.
 */
export function useFlowLayer(
  cy: cytoscape.Core | null,
  elements: readonly GraphElement[],
  flows: FlowsAnswer | null,
  topology: Topology | null,
): void {
  const on = flows !== null;
  const roomOf = useMemo(() => (on ? roomsOf(elements) : NO_ROOMS), [on, elements]);
  // The topology only names the bridge a host end used: read when drawing, never a reason to.
  const latest = useRef({ flows, topology, roomOf });
  latest.current = { flows, topology, roomOf };
  useEffect(() => {
    if (!cy) return;
    if (!on) {
      // Flows were turned off (another server): take away what was drawn.
      if (cy.elements("[?flow]").nonempty()) applyFlows(cy, []);
      return;
    }
    const draw = () => {
      const { flows: answer, topology: t, roomOf: rooms } = latest.current;
      if (answer) applyFlows(cy, flowElements(answer, canvasLookup(cy, rooms), t ?? undefined));
    };
    draw();
    // The flows' words follow the zoom, once a frame at most.
    let frame = 0;
    const onZoom = () => {
      frame ||= requestAnimationFrame(() => {
        frame = 0;
        refreshFlowFont(cy);
      });
    };
    cy.on(MOUNTED_EVENT, draw);
    cy.on("zoom", onZoom);
    return () => {
      cy.off(MOUNTED_EVENT, draw);
      cy.off("zoom", onZoom);
      if (frame) cancelAnimationFrame(frame);
    };
  }, [cy, on, flows, roomOf]);
}
