import { applyPatchCopy, generateHost, HOST_SHAPES, type Json, type Topology } from "@netdive/model";
import cytoscape from "cytoscape";
import { describe, expect, it } from "vitest";
import { syncCanvas } from "./canvas-sync";
import { barLines } from "./lod";
import { GRID } from "./room-packing";
import { EMPTY_LAYOUT, layout, type LayoutState } from "./layout";
import { mountedElements } from "./mount";
import { scenario } from "./scenarios.test-support";
import { ElementCache, toElements } from "./to-elements";

/**
 * The canvas patch (canvas-sync.ts): what it touches when nothing changed, and how a room that
 * folds or opens is restyled in place.
 */

function sync(cy: cytoscape.Core, els: ReturnType<typeof toElements>, state: LayoutState, keyChanged = false) {
  const open = new Set(Object.keys(state.rooms).filter((r) => !state.rooms[r]!.card));
  return syncCanvas(cy, {
    all: new Set(els.map((e) => e.data.id)),
    mounted: mountedElements(els, open, state),
    state,
    lod: "containers",
    keyChanged,
  });
}

describe("patching the canvas", () => {
  it("a bridge whose words take three lines in its room (a narrow room's) is a taller bar; others keep theirs", () => {
    const els = toElements(scenario("user-bridge"));
    const state = layout(els, EMPTY_LAYOUT);
    const cy = cytoscape({ headless: true, styleEnabled: false });
    sync(cy, els, state);
    const bridges = cy.nodes('[kind = "bridge"]');
    expect(bridges.length).toBeGreaterThan(0);
    bridges.forEach((b) => {
      const lines = barLines(String(b.data("wrap") ?? b.data("label")), Number(b.data("w")));
      expect(b.data("barH"), b.id()).toBe(lines >= 3 ? GRID.tallBar : GRID.bar);
    });
    // The words of a room one container wide: the name, then the bridge and its address broken apart.
    expect(barLines("nd-demo-iso-right\nbr-b0371d93e71f  172.29.0.1/16", 390)).toBe(3);
    expect(barLines("nd-demo-iso-vault\nbr-b43bff4337d9  172.30.0.1/16", 650)).toBe(2);
  });

  it("the same elements again touch no room (a room's words are fitted again only when they change)", () => {
    const els = toElements(scenario("user-bridge"));
    const state = layout(els, EMPTY_LAYOUT);
    const cy = cytoscape({ headless: true, styleEnabled: false });
    expect(sync(cy, els, state).size).toBeGreaterThan(0);
    expect([...sync(cy, els, state)]).toEqual([]);
  });

  it("a word an element no longer has is taken away (an engine that is back is no longer drawn down)", () => {
    const t = scenario("user-bridge");
    const engineId = Object.keys(t.engines)[0]!;
    const down = { ...t, engines: { ...t.engines, [engineId]: { ...t.engines[engineId]!, reachable: false } } };
    const cy = cytoscape({ headless: true, styleEnabled: false });
    const downEls = toElements(down);
    sync(cy, downEls, layout(downEls, EMPTY_LAYOUT));
    const host = cy.nodes('[kind = "host"]').first();
    expect(host.data("state")).toBe("unreachable");

    const els = toElements(t);
    const state = layout(els, EMPTY_LAYOUT);
    sync(cy, els, state);
    expect(host.data("state")).toBeUndefined();
    // And the next patch with nothing new writes nothing.
    let writes = 0;
    cy.on("data", () => writes++);
    sync(cy, els, state);
    expect(writes).toBe(0);
  });

  it("a patch looks only at the elements built from what it touched", () => {
    const t = generateHost(7, HOST_SHAPES.busy);
    const cache = new ElementCache();
    const els = cache.build(t);
    const state = layout(els, EMPTY_LAYOUT, 16 / 9, { canvas: { width: 1920, height: 1000 } });
    const cy = cytoscape({ headless: true, styleEnabled: false });
    sync(cy, els, state);
    const drawn = Object.values(t.containers).filter((c) => cy.getElementById(`ctr:${c.id}`).nonempty());
    const roomOf = (id: string) => cy.getElementById(`ctr:${id}`).data("room") as string;
    // Two containers in different rooms: the patch rebuilds the first's room (to-elements.ts), not the other's.
    const touched = drawn[0];
    const untouched = drawn.find((c) => roomOf(c.id) !== roomOf(touched!.id));
    // Written on the canvas behind netdive's back: only an element that is compared again is set right.
    for (const c of [touched!, untouched!]) cy.getElementById(`ctr:${c.id}`).data("label", "stale");
    const next = applyPatchCopy(t as unknown as Json, [
      { op: "replace", path: `/containers/${touched!.id}/name`, value: "renamed" },
    ]) as unknown as Topology;
    sync(cy, cache.build(next), state);
    expect(cy.getElementById(`ctr:${touched!.id}`).data("label")).toContain("renamed");
    expect(cy.getElementById(`ctr:${untouched!.id}`).data("label")).toBe("stale");
  });

  it("a folded room's shell is its card; laid out open, the same nodes are restyled as a room", () => {
    const t = generateHost(3, HOST_SHAPES.busy);
    const els = toElements(t);
    const canvas = { width: 1280, height: 640 };
    const folded = layout(els, EMPTY_LAYOUT, 2, { canvas });
    const room = Object.keys(folded.rooms).find((r) => folded.rooms[r]!.card)!;
    const cy = cytoscape({ headless: true, styleEnabled: false });
    sync(cy, els, folded);
    expect(cy.getElementById(room).hasClass("lod-roomfill")).toBe(true);
    expect(cy.nodes(`[kind = "netns"][room = "${room}"]`).length).toBe(0);

    const opened = layout(els, EMPTY_LAYOUT, 2, { canvas, keepOpen: new Set([room]) });
    sync(cy, els, opened, true);
    expect(cy.getElementById(room).data("folded")).toBe(false);
    expect(cy.getElementById(room).hasClass("lod-roomfill")).toBe(false);
    expect(cy.nodes(`[kind = "netns"][room = "${room}"]`).length).toBeGreaterThan(0);
    // The bridge takes the width of the room it now spans.
    const bridge = cy.nodes(`[kind = "bridge"][room = "${room}"]`).first();
    expect(bridge.data("w")).toBe(opened.widths[bridge.id()]);
  });
});
