import type cytoscape from "cytoscape";
import { fitRoomCards, lodClasses, MIN_TEXT_PX, type CardExtras, type Lod } from "./lod";

/** Scratch key: which extras every room card says (fitFarLabels). */
const EXTRAS = "_netdiveCardExtras";

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
    const cards = ids.flatMap((id) => {
      const label = cy.getElementById(`label:${id}`);
      if (label.empty()) return [];
      // The room's extent from the layout (its columns) and from what stands in it (its rows).
      const width = Number(label.data("labelWidth"));
      const top = cy.getElementById(id).boundingBox({ includeLabels: false }).y1;
      return [{ label, width, height: label.position().y - top - 10, card: label.data("card") as string }];
    });
    // Every card says the same things (decided when all are fitted; a patch's few cards keep that decision).
    const { texts, allowed } = fitRoomCards(
      cards,
      font,
      more,
      only ? (cy.scratch(EXTRAS) as CardExtras | undefined) : undefined,
    );
    cy.scratch(EXTRAS, allowed);
    cards.forEach((c, k) => c.label.data({ cardFont: font, fitted: texts[k] }));
    if (only) return;
    cy.nodes('[kind = "nic"], [kind = "hostmode"], [kind = "host"], [kind = "port"]').forEach((n) => {
      // A host-mode container's name as wide as its slot (layout.ts): two never run together.
      const slot = Number(n.data("slotWidth"));
      n.data({ cardFont: font, labelWidth: slot > 0 ? slot : Math.max(n.width(), 300) });
    });
  });
}
