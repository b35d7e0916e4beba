import type cytoscape from "cytoscape";
import type { CanvasLookup, FlowElement } from "./flow-elements";
import { FLOW_FONT } from "./flow-style";
import { MIN_TEXT_PX } from "./lod";

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
  const font = flowFont(cy.zoom());
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
            ? { group: "nodes", data: { ...e.data, font }, position: { ...e.position } }
            : { group: "edges", data: { ...e.data, font } },
        );
      } else if (e.data.flow && "status" in e.data) {
        // A tag follows its room's corner (a closed room grows when a container joins it).
        if (e.group === "nodes") {
          const at = existing.position();
          if (at.x !== e.position.x || at.y !== e.position.y) existing.position({ ...e.position });
        }
        // A flow fades; a bundle (a closed room's edge or tag) also gains and loses flows.
        const { fade, status, label, count, ref } = e.data;
        const before = existing.data() as typeof e.data;
        if (before.fade !== fade || before.status !== status || before.label !== label || before.count !== count) {
          existing.data({ fade, status, label, count, ref });
        }
      }
    }
    if (added.length > 0) cy.add(added);
  });
}

/**
 * A flow's words are readable at every zoom: the figure's size close up, and from far away as
 * large as the rooms' cards are written (lod-classes.ts), so a tag on a card says what it is.
 */
export function flowFont(zoom: number): number {
  return Math.max(FLOW_FONT, (MIN_TEXT_PX + 1) / zoom);
}

/** Resizes the flows' words after a zoom. */
export function refreshFlowFont(cy: cytoscape.Core): void {
  const font = flowFont(cy.zoom());
  const edges = cy.elements("[?flow]").filter((e) => e.data("font") !== font);
  if (edges.nonempty()) cy.batch(() => void edges.data("font", font));
}

/**
 * Where the canvas's nodes are (flow elements themselves excluded: they never anchor each other).
 * `roomOf` (node id -> room id, over every element, on the canvas or not) lets a container of a
 * closed room be stood in for by that room (its frame, which from far away is its card).
 */
export function canvasLookup(cy: cytoscape.Core, roomOf?: ReadonlyMap<string, string>): CanvasLookup {
  const node = (id: string) => {
    const n = cy.getElementById(id);
    return n.nonempty() && n.isNode() && !n.data("flow") ? n : undefined;
  };
  return {
    positionOf: (id) => node(id)?.position(),
    boundsOf: (id) => node(id)?.boundingBox({ includeLabels: false }),
    standIn: (id) => {
      const room = roomOf?.get(id);
      if (!room) return undefined;
      return node(room) ? room : undefined;
    },
  };
}
