import type cytoscape from "cytoscape";
import { fitRoomCard, MIN_TEXT_PX, type Lod } from "./lod";

const LOD_CLASSES = "lod-hide lod-card lod-roomcard lod-quiet lod-far lod-loud";

/** Marks `eles` for a level of detail (style.ts says what each class draws). */
export function applyLod(cy: cytoscape.Core, lod: Lod, eles: cytoscape.Collection = cy.elements()): void {
  cy.batch(() => {
    eles.removeClass(LOD_CLASSES);
    const nodes = eles.nodes();
    const edges = eles.edges();
    if (lod === "detail") {
      edges.filter('[kind = "member"]').addClass("lod-hide");
      return;
    }
    if (lod === "containers") {
      nodes.filter('[kind = "iface"], [kind = "veth"], [kind = "joined"], [kind = "dns"]').addClass("lod-hide");
      edges.filter('[kind = "pair"], [kind = "master"], [kind = "unverified"], [kind = "dns"]').addClass("lod-hide");
      edges.filter('[kind = "nat"], [kind = "pid"]').addClass("lod-quiet");
      nodes.filter('[kind = "netns"], [kind = "hostmode"], [kind = "nic"]').addClass("lod-card");
      nodes.filter('[kind = "compose"]').addClass("lod-loud");
      return;
    }
    nodes.filter('[room][kind != "room"], [kind = "joined"]').addClass("lod-hide");
    edges.addClass("lod-hide");
    nodes.filter('[kind = "room"]').addClass("lod-roomcard");
    nodes.filter('[kind = "hostmode"], [kind = "nic"]').addClass("lod-card lod-far");
    nodes.filter('[kind = "host"]').addClass("lod-far");
  });
}

/**
 * Seen from far away, a room is one card: its words are sized for the zoom (a little over the
 * least readable size) and fitted to the room's box. Only the few room, NIC and host nodes change.
 */
export function fitFarLabels(cy: cytoscape.Core, more: string, only?: ReadonlySet<string>): void {
  const font = (MIN_TEXT_PX + 2) / cy.zoom();
  cy.batch(() => {
    let rooms = only ? cy.collection() : cy.nodes('[kind = "room"]');
    for (const id of only ?? []) rooms = rooms.union(cy.getElementById(id));
    rooms.forEach((room) => {
      if (room.empty() || room.data("kind") !== "room") return;
      const bb = room.boundingBox({ includeLabels: false });
      const width = Math.max(bb.w - 40, 10);
      room.data({
        cardFont: font,
        labelWidth: width,
        fitted: fitRoomCard(room.data("card") as string, width, bb.h - 30, font, more),
      });
    });
    if (only) return;
    cy.nodes('[kind = "nic"], [kind = "hostmode"], [kind = "host"]').forEach((n) => {
      n.data({ cardFont: font, labelWidth: Math.max(n.width(), 300) });
    });
  });
}
