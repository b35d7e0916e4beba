import type cytoscape from "cytoscape";
import { fitRoomCard, lodClasses, MIN_TEXT_PX, type Lod } from "./lod";

export const LOD_CLASSES = "lod-hide lod-ghost lod-card lod-roomcard lod-roomfill lod-quiet lod-far lod-loud";

/** Marks `eles` for a level of detail (style.ts says what each class draws). */
export function applyLod(cy: cytoscape.Core, lod: Lod, eles: cytoscape.Collection = cy.elements()): void {
  cy.batch(() => {
    eles.removeClass(LOD_CLASSES);
    eles.forEach((ele) => {
      const classes = lodClasses(ele.isNode() ? "nodes" : "edges", ele.data() as { kind: string; room?: string }, lod);
      if (classes) ele.addClass(classes);
    });
  });
}

/**
 * Seen from far away, a room is one card, written by its label node over the room: its words are sized
 * for the zoom (a little over the least readable size) and fitted to the room's box. `only`: the
 * rooms whose members changed (a patch); without it every room and the host's own nodes (a zoom).
 * Only leaves change: the rooms' label nodes, the NIC, host-mode containers.
 */
export function fitFarLabels(cy: cytoscape.Core, more: string, only?: ReadonlySet<string>): void {
  const font = (MIN_TEXT_PX + 1) / cy.zoom();
  cy.batch(() => {
    const ids = only ? [...only] : cy.nodes('[kind = "room"]').map((r) => r.id());
    for (const id of ids) {
      const label = cy.getElementById(`label:${id}`);
      if (label.empty()) continue;
      // The room's extent from the layout (its columns) and from what stands in it (its rows).
      const width = Number(label.data("labelWidth"));
      const top = cy.getElementById(id).boundingBox({ includeLabels: false }).y1;
      const height = label.position().y - top - 10;
      label.data({ cardFont: font, fitted: fitRoomCard(label.data("card") as string, width, height, font, more) });
    }
    if (only) return;
    cy.nodes('[kind = "nic"], [kind = "hostmode"], [kind = "host"], [kind = "port"]').forEach((n) => {
      // A host-mode container's name as wide as its slot (layout.ts): two never run together.
      const slot = Number(n.data("slotWidth"));
      n.data({ cardFont: font, labelWidth: slot > 0 ? slot : Math.max(n.width(), 300) });
    });
  });
}
