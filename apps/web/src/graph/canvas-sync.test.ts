import { generateHost, HOST_SHAPES } from "@netdive/model";
import cytoscape from "cytoscape";
import { describe, expect, it } from "vitest";
import { syncCanvas } from "./canvas-sync";
import { EMPTY_LAYOUT, layout, type LayoutState } from "./layout";
import { mountedElements } from "./mount";
import { scenario } from "./scenarios.test-support";
import { toElements } from "./to-elements";

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
  it("the same elements again touch no room (a room's words are fitted again only when they change)", () => {
    const els = toElements(scenario("user-bridge"));
    const state = layout(els, EMPTY_LAYOUT);
    const cy = cytoscape({ headless: true, styleEnabled: false });
    expect(sync(cy, els, state).size).toBeGreaterThan(0);
    expect([...sync(cy, els, state)]).toEqual([]);
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
