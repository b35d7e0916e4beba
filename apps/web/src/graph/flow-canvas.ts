import type cytoscape from "cytoscape";
import type { CanvasLookup, FlowElement } from "./flow-elements";

/** How long a flow that left the window takes to fade out. */
const LEAVE_MS = 600;

/**
 * Puts the flow elements on the canvas by id, in one batch, and takes away those that left:
 * positions of everything else are never touched (flow elements carry `flow: true`, and the
 * element sync leaves them alone, canvas-sync.ts).
 */
export function applyFlows(cy: cytoscape.Core, elements: readonly FlowElement[]): void {
  const wanted = new Map(elements.map((e) => [e.data.id, e]));
  const wantedNode = new Set(elements.filter((e) => e.group === "nodes").map((e) => e.data.id));
  cy.batch(() => {
    cy.elements("[?flow]").forEach((ele) => {
      if (wanted.has(ele.id()) || ele.data("leaving")) return;
      ele.data("leaving", true);
      ele.animate(
        { style: { opacity: 0 } },
        { duration: LEAVE_MS, complete: () => void (ele.data("leaving") && ele.remove()) },
      );
    });
    const added: cytoscape.ElementDefinition[] = [];
    const onCanvas = (id: string) => cy.getElementById(id).nonempty() || wantedNode.has(id);
    // Outside nodes first: an edge needs both ends on the canvas.
    for (const e of [...elements].sort((a, b) => (a.group === b.group ? 0 : a.group === "nodes" ? -1 : 1))) {
      const existing = cy.getElementById(e.data.id);
      if (existing.nonempty() && existing.data("leaving")) {
        existing.stop();
        existing.removeData("leaving");
        existing.removeStyle("opacity");
      }
      if (existing.empty()) {
        if (e.group === "edges" && !(onCanvas(e.data.source) && onCanvas(e.data.target))) continue;
        added.push(
          e.group === "nodes"
            ? { group: "nodes", data: { ...e.data }, position: { ...e.position } }
            : { group: "edges", data: { ...e.data } },
        );
      } else if (
        e.group === "edges" &&
        (existing.data("fade") !== e.data.fade || existing.data("status") !== e.data.status)
      ) {
        existing.data({ fade: e.data.fade, status: e.data.status });
      }
    }
    if (added.length > 0) cy.add(added);
  });
}

/** Where the canvas's nodes are (flow elements themselves excluded: they never anchor each other). */
export function canvasLookup(cy: cytoscape.Core): CanvasLookup {
  const node = (id: string) => {
    const n = cy.getElementById(id);
    return n.nonempty() && n.isNode() && !n.data("flow") ? n : undefined;
  };
  return {
    positionOf: (id) => node(id)?.position(),
    boundsOf: (id) => node(id)?.boundingBox({ includeLabels: false }),
  };
}
