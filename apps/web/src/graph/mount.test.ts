import { describe, expect, it } from "vitest";
import { isolationTopology } from "../tour/isolation.test-support";
import type { GraphElement, NodeData } from "./elements";
import { EMPTY_LAYOUT, layout } from "./layout";
import { mountedElements, roomExtent, roomsHolding, roomsInView, roomsToOpen } from "./mount";
import { SCENARIOS, scenario } from "./scenarios.test-support";
import { toElements } from "./to-elements";

const TOPOLOGIES = [
  ...SCENARIOS.map((name) => [name, scenario(name)] as const),
  ["isolation", isolationTopology()] as const,
];

const nodes = (els: readonly GraphElement[]) => els.filter((e) => e.group === "nodes").map((e) => e.data as NodeData);

/** Parents before children, nodes before edges, both ends of every edge present. */
function expectAddable(els: readonly GraphElement[]): void {
  const seen = new Set<string>();
  let edges = false;
  for (const e of els) {
    if (e.group === "nodes") {
      expect(edges, `${e.data.id} after an edge`).toBe(false);
      if (e.data.parent) expect(seen.has(e.data.parent), `${e.data.id}'s parent first`).toBe(true);
      seen.add(e.data.id);
    } else {
      edges = true;
      expect(seen.has(e.data.source) && seen.has(e.data.target), `${e.data.id}'s ends`).toBe(true);
    }
  }
}

describe("mounted elements", () => {
  it.each(TOPOLOGIES)("%s: every room open is every element, as built", (_, topology) => {
    const els = toElements(topology);
    const state = layout(els, EMPTY_LAYOUT);
    expect(mountedElements(els, new Set(Object.keys(state.rooms)), state)).toEqual(els);
  });

  it.each(TOPOLOGIES)("%s: closed rooms keep their shell, a span each, and nothing inside", (_, topology) => {
    const els = toElements(topology);
    const state = layout(els, EMPTY_LAYOUT);
    const mounted = mountedElements(els, new Set(), state);
    expectAddable(mounted);
    const rooms = nodes(els).filter((n) => n.kind === "room");
    expect(rooms.length).toBeGreaterThan(0);
    const kept = nodes(mounted);
    for (const n of kept) {
      if (n.room) expect(["room", "roomlabel", "bridge", "roomspan"], n.id).toContain(n.kind);
    }
    // Every container is gone from the canvas, host-mode ones aside, and every room has a span.
    expect(kept.filter((n) => n.kind === "netns" || n.kind === "iface" || n.kind === "veth")).toEqual([]);
    expect(kept.filter((n) => n.kind === "roomspan").map((n) => n.parent)).toEqual(rooms.map((r) => r.id));
    // NAT still runs from each bridge to the NIC.
    const nat = (list: readonly GraphElement[]) => list.filter((e) => e.group === "edges" && e.data.kind === "nat");
    expect(nat(mounted)).toEqual(nat(els));
  });

  it("opens one room and leaves the others closed", () => {
    const els = toElements(isolationTopology());
    const state = layout(els, EMPTY_LAYOUT);
    const withBoxes = new Set(nodes(els).flatMap((n) => (n.kind === "netns" && n.room ? [n.room] : [])));
    const first = [...withBoxes][0];
    const others = Object.keys(state.rooms).filter((r) => r !== first);
    const mounted = nodes(mountedElements(els, new Set([first!]), state));
    expectAddable(mountedElements(els, new Set([first!]), state));
    expect(mounted.some((n) => n.room === first && n.kind === "netns")).toBe(true);
    expect(mounted.some((n) => n.id === `span:${first}`)).toBe(false);
    for (const room of others) {
      expect(mounted.some((n) => n.room === room && n.kind === "netns")).toBe(false);
      expect(mounted.some((n) => n.id === `span:${room}`)).toBe(true);
    }
  });

  it.each(TOPOLOGIES)("%s: a room's extent holds everything the layout put in it", (_, topology) => {
    const els = toElements(topology);
    const state = layout(els, EMPTY_LAYOUT);
    for (const [room, place] of Object.entries(state.rooms)) {
      const r = roomExtent(place);
      for (const n of nodes(els).filter((x) => x.room === room && x.kind !== "roomlabel")) {
        const p = state.positions[n.id];
        if (!p) continue;
        expect(p.x, n.id).toBeGreaterThanOrEqual(r.x1);
        expect(p.x, n.id).toBeLessThanOrEqual(r.x2);
        expect(p.y, n.id).toBeGreaterThanOrEqual(r.y1);
        expect(p.y, n.id).toBeLessThanOrEqual(r.y2);
      }
    }
  });
});

describe("rooms in view", () => {
  it("finds the room under the view and none far away", () => {
    const els = toElements(isolationTopology());
    const state = layout(els, EMPTY_LAYOUT);
    const [room, place] = Object.entries(state.rooms).at(-1)!;
    const r = roomExtent(place);
    const small = { x1: (r.x1 + r.x2) / 2 - 10, x2: (r.x1 + r.x2) / 2 + 10, y1: r.y2 - 30, y2: r.y2 - 10 };
    expect(roomsInView(state, small, 0)).toEqual([room]);
    expect(roomsInView(state, { x1: 1e6, x2: 1e6 + 500, y1: 1e6, y2: 1e6 + 300 })).toEqual([]);
    const everything = { x1: -1e5, x2: 1e5, y1: -1e5, y2: 1e5 };
    expect(roomsInView(state, everything).sort()).toEqual(Object.keys(state.rooms).sort());
  });
});

describe("rooms to open", () => {
  const els = toElements(isolationTopology());
  const state = layout(els, EMPTY_LAYOUT);
  const all = Object.keys(state.rooms);
  const [room, place] = Object.entries(state.rooms).at(-1)!;
  const r = roomExtent(place);
  const onRoom = { x1: r.x1 + 5, x2: r.x1 + 25, y1: r.y2 - 30, y2: r.y2 - 10 };
  const away = (d: number) => ({ x1: r.x1 + d, x2: r.x1 + d + 20, y1: r.y2 - 30, y2: r.y2 - 10 });

  it("closes every room from far away", () => {
    expect([...roomsToOpen(new Set(all), "rooms", state, onRoom)]).toEqual([]);
  });

  it("opens the room under the view, keeps an open room nearby, closes one far away", () => {
    expect([...roomsToOpen(new Set(), "containers", state, onRoom)]).toContain(room);
    // A view 20 wide: 10 beyond its right edge is inside the closing margin (one view width), 1e5 is not.
    // The room's area ends 20 right of its extent; this view starts 10 beyond that.
    const justBeside = { x1: r.x2 + 30, x2: r.x2 + 50, y1: onRoom.y1, y2: onRoom.y2 };
    expect(roomsToOpen(new Set(), "detail", state, justBeside).has(room)).toBe(false);
    expect(roomsToOpen(new Set([room]), "detail", state, justBeside).has(room)).toBe(true);
    expect(roomsToOpen(new Set([room]), "detail", state, away(1e5)).has(room)).toBe(false);
  });
});

describe("rooms holding elements", () => {
  it("finds a node's room, a joined container's owner's room, and both ends' rooms of an edge", () => {
    const els = toElements(scenario("join-network"));
    const all = nodes(els);
    const joined = all.find((n) => n.kind === "joined")!;
    const owner = all.find((n) => n.id === joined.parent)!;
    expect(owner.room).toBeDefined();
    expect([...roomsHolding(els, [joined.id])]).toEqual([owner.room]);
    const iface = all.find((n) => n.kind === "iface")!;
    expect([...roomsHolding(els, [iface.id])]).toEqual([iface.room]);
    const pair = els.find((e) => e.group === "edges" && e.data.kind === "pair")!;
    expect([...roomsHolding(els, [pair.data.id])]).toEqual([(pair.data as { room?: string }).room]);
    expect([...roomsHolding(els, ["nothing-here"])]).toEqual([]);
  });
});
