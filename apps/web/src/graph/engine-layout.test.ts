import { readFileSync } from "node:fs";
import { buildTopology, type EngineInventory, type Topology } from "@netdive/model";
import { describe, expect, it } from "vitest";
import { EMPTY_HOST_WIDTH, HOST_GAP, layoutEngines } from "./engine-layout";
import { EMPTY_LAYOUT, layout, type LayoutState } from "./layout";
import { roomWidth } from "./room-packing";
import { SCENARIOS } from "./scenarios.test-support";
import { toElements, type GraphElement, type NodeData } from "./to-elements";

function inventory(name: string): EngineInventory {
  const url = new URL(`../../../../packages/model/test/fixtures/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")) as EngineInventory;
}

/** The same recorded engine as a second engine: its own id, and every Docker id made its own. */
function asEngine(inv: EngineInventory, engineId: string): EngineInventory {
  let text = JSON.stringify(inv);
  const dockerIds = [...inv.networks.map((n) => n.Id), ...inv.containers.map((c) => c.Id)];
  dockerIds.forEach((id, i) => {
    text = text.split(id).join(`${i.toString(16).padStart(4, "0")}${"e".repeat(id.length - 4)}`);
  });
  const copy = JSON.parse(text) as EngineInventory;
  copy.engine = { ...copy.engine, id: engineId, url: `unix:///tmp/${engineId}/docker.sock` };
  return copy;
}

/** Every node's box, from where its leaves stand: the host boxes' horizontal extents by engine. */
function hostSpans(els: readonly GraphElement[], state: LayoutState): Map<string, { x1: number; x2: number }> {
  const nodes = els.flatMap((e) => (e.group === "nodes" ? [e.data as NodeData] : []));
  const parent = new Map(nodes.map((n) => [n.id, n.parent]));
  const hostOf = (id: string): string | undefined => {
    for (let p: string | undefined = id, d = 0; p !== undefined && d < 10; p = parent.get(p), d++) {
      if (p.startsWith("host:")) return p;
    }
    return undefined;
  };
  const spans = new Map<string, { x1: number; x2: number }>();
  for (const [id, p] of Object.entries(state.positions)) {
    const host = hostOf(id);
    if (!host) continue;
    const s = spans.get(host) ?? { x1: Infinity, x2: -Infinity };
    spans.set(host, { x1: Math.min(s.x1, p.x - 130), x2: Math.max(s.x2, p.x + 130) });
  }
  for (const [id, room] of Object.entries(state.rooms)) {
    const host = hostOf(id)!;
    const s = spans.get(host)!;
    spans.set(host, { x1: Math.min(s.x1, room.x0), x2: Math.max(s.x2, room.x0 + roomWidth(room.cols)) });
  }
  return spans;
}

const two = (a: string, b: string): Topology => buildTopology([inventory(a), asEngine(inventory(b), "lab2")], 1);

describe("several engines side by side", () => {
  it.each(SCENARIOS)("%s: one engine is laid out exactly as before", (name) => {
    const els = toElements(buildTopology([inventory(name)], 1));
    expect(layoutEngines(els, EMPTY_LAYOUT, 16 / 9)).toEqual(layout(els, EMPTY_LAYOUT, 16 / 9));
  });

  it.each(SCENARIOS)("%s beside compose: two host boxes in a row, apart, on one base line", (name) => {
    const els = toElements(two(name, "compose"));
    const state = layoutEngines(els, EMPTY_LAYOUT, 16 / 9);
    const spans = hostSpans(els, state);
    const local = spans.get("host:local")!;
    const other = spans.get("host:lab2")!;
    expect(other.x1 - local.x2, "the second box starts right of the first, a gap apart").toBeGreaterThanOrEqual(
      HOST_GAP - 1,
    );
    // Both NICs stand on the same line (y 0), the second engine's right of the first engine's rooms.
    const nics = els.filter((e) => e.group === "nodes" && (e.data as NodeData).kind === "nic").map((e) => e.data.id);
    expect(nics.map((id) => state.positions[id]!.y)).toEqual(nics.map(() => 0));
    // No room of one engine overlaps a room of the other.
    const rooms = Object.entries(state.rooms);
    for (const [a, ra] of rooms) {
      for (const [b, rb] of rooms) {
        if (a >= b) continue;
        const apart = ra.x0 + roomWidth(ra.cols) <= rb.x0 || rb.x0 + roomWidth(rb.cols) <= ra.x0 || ra.base !== rb.base;
        expect(apart, `${a} and ${b} do not overlap`).toBe(true);
      }
    }
  });

  it("keeps each box where it stood when a container comes, and the other engine's positions untouched", () => {
    const t = two("user-bridge", "compose");
    const first = layoutEngines(toElements(t), EMPTY_LAYOUT, 16 / 9);
    const grown = structuredClone(t);
    const template = Object.values(grown.containers).find((c) => c.engineId === "lab2" && c.interfaces.length > 0)!;
    const id = "f".repeat(64);
    grown.containers[id] = { ...structuredClone(template), id, name: "newcomer" };
    const next = layoutEngines(toElements(grown), first, 16 / 9);
    for (const [node, p] of Object.entries(first.positions)) expect(next.positions[node], node).toEqual(p);
  });

  it("draws an engine that cannot be read as an empty box of its own, right of the live one", () => {
    const down = asEngine(inventory("user-bridge"), "lab2");
    const t = buildTopology(
      [
        inventory("user-bridge"),
        {
          engine: { id: "lab2", url: down.engine.url, reachable: false, error: "connection refused" },
          networks: [],
          containers: [],
          host: { ok: false, reason: "The Docker engine is not reachable." },
          netns: {},
        },
      ],
      1,
    );
    const els = toElements(t);
    const host = els.find((e) => e.data.id === "host:lab2")!.data as NodeData;
    expect(host.state).toBe("unreachable");
    const why = els.find((e) => e.data.id === "down:lab2")!.data as NodeData;
    expect(why).toMatchObject({ kind: "hostdown", parent: "host:lab2", label: "connection refused" });
    const state = layoutEngines(els, EMPTY_LAYOUT, 16 / 9);
    const live = hostSpans(els, state).get("host:local")!;
    expect(state.positions["down:lab2"]!.x - EMPTY_HOST_WIDTH / 2).toBeGreaterThanOrEqual(live.x2 + HOST_GAP - 131);
  });
});
