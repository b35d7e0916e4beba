import { readFileSync } from "node:fs";
import { generateHost, HOST_SHAPES, parseRecording, RecordingTimeline, type Topology } from "@netdive/model";
import { describe, expect, it } from "vitest";
import { EMPTY_LAYOUT, GRID, layout, type LayoutState } from "./layout";
import { roomRects } from "./placed-shapes";
import { SCENARIOS, scenario } from "./scenarios.test-support";
import { isolationTopology } from "../tour/isolation.test-support";
import type { EdgeData } from "./elements";
import { ids, toElements, type NodeData } from "./to-elements";

function withExtraContainer(t: Topology): Topology {
  const template = Object.values(t.containers).find((c) => c.interfaces.some((i) => i.hostPeer))!;
  const id = "f".repeat(64);
  const copy = structuredClone(template);
  copy.id = id;
  copy.name = "newcomer";
  copy.interfaces = copy.interfaces.map((i) => ({
    ...i,
    hostPeer: i.hostPeer ? { ...i.hostPeer, name: "vethnew" } : null,
  }));
  const next = structuredClone(t);
  next.containers[id] = copy;
  return next;
}

describe("layout", () => {
  it.each(SCENARIOS)("%s: places every leaf node, host at the bottom, containers above the bridges", (name) => {
    const els = toElements(scenario(name));
    const state = layout(els, EMPTY_LAYOUT);
    const leaves = els.filter(
      (e) => e.group === "nodes" && !els.some((c) => c.group === "nodes" && (c.data as NodeData).parent === e.data.id),
    );
    for (const leaf of leaves) expect(state.positions[leaf.data.id], leaf.data.id).toBeDefined();
    const y = (kind: string) =>
      els
        .filter((e) => e.group === "nodes" && (e.data as NodeData).kind === kind)
        .map((e) => state.positions[e.data.id]!.y);
    for (const bridgeY of y("bridge")) {
      for (const ifaceY of y("iface")) expect(ifaceY).toBeLessThan(bridgeY);
      for (const nicY of y("nic")) expect(nicY).toBeGreaterThan(bridgeY);
    }
  });

  it("adding a container moves nothing already placed (0 px)", () => {
    for (const name of ["default-bridge", "user-bridge", "compose"] as const) {
      const before = layout(toElements(scenario(name)), EMPTY_LAYOUT);
      const after = layout(toElements(withExtraContainer(scenario(name))), before);
      for (const [id, p] of Object.entries(before.positions)) expect(after.positions[id], id).toEqual(p);
      expect(after.positions[`if:${"f".repeat(64)}:eth0`]).toBeDefined();
    }
  });

  it("never puts two container boxes in the same slot", () => {
    let t = scenario("user-bridge");
    let state = layout(toElements(t), EMPTY_LAYOUT);
    for (let i = 0; i < 20; i++) {
      t = withExtraContainer(t);
      const id = `${i}`.padStart(64, "a");
      const c = t.containers["f".repeat(64)]!;
      delete t.containers["f".repeat(64)];
      t.containers[id] = { ...c, id, name: `n${i}` };
      state = layout(toElements(t), state);
    }
    const boxes = Object.entries(state.positions).filter(([id]) => id.startsWith("if:") && id.endsWith(":eth0"));
    const spots = new Set(boxes.map(([, p]) => `${p.x},${p.y}`));
    expect(spots.size).toBe(boxes.length);
  });
});

describe("layout of a multi-homed container", () => {
  it("stands each of its veths apart, under its own interface's side", () => {
    const t = isolationTopology();
    const router = Object.values(t.containers).find((c) => c.name.endsWith("iso-router"))!;
    const state = layout(toElements(t), EMPTY_LAYOUT);
    const veths = router.interfaces.flatMap((i) => (i.hostPeer ? [ids.veth(router.engineId, i.hostPeer.name)] : []));
    expect(veths).toHaveLength(2);
    const [a, b] = veths.map((id) => state.positions[id]!);
    expect(Math.hypot(a!.x - b!.x, a!.y - b!.y)).toBeGreaterThan(60);
  });
});

describe("a host that grows network by network", () => {
  /** `t` with only its first `k` networks, and the containers on them alone. */
  function firstNetworks(t: Topology, k: number): Topology {
    const keep = new Set(Object.keys(t.networks).slice(0, k));
    const next = structuredClone(t);
    for (const id of Object.keys(next.networks)) if (!keep.has(id)) delete next.networks[id];
    for (const [id, c] of Object.entries(next.containers)) {
      const nets = Object.keys(c.endpoints);
      if (nets.length === 0 || !nets.every((n) => keep.has(n))) delete next.containers[id];
    }
    return next;
  }
  const aspectOf = (state: LayoutState) => {
    const rects = [...roomRects(state).values()];
    const w = Math.max(...rects.map((r) => r.x2)) - Math.min(0, ...rects.map((r) => r.x1));
    const h = Math.max(0, ...rects.map((r) => r.y2)) - Math.min(...rects.map((r) => r.y1));
    return w / h;
  };

  it.each([1, 2, 3])(
    "seed %i: keeps about the canvas's shape, new rooms joining the rows before any reflow",
    (seed) => {
      const host = generateHost(seed, HOST_SHAPES.manySmallNetworks);
      const aspect = 16 / 9;
      const count = Object.keys(host.networks).length;
      let state = layout(toElements(firstNetworks(host, 1)), EMPTY_LAYOUT, aspect);
      let reflows = 0;
      for (let k = 2; k <= count; k++) {
        state = layout(toElements(firstNetworks(host, k)), state, aspect);
        if (state.reflowed) reflows++;
        const drift = Math.max(aspect / aspectOf(state), aspectOf(state) / aspect);
        expect(drift, `${k} networks`).toBeLessThanOrEqual(1.5 * 1.25);
      }
      // Rows fill before the host is laid out again: far fewer reflows than networks.
      expect(reflows).toBeLessThan(count / 3);
    },
  );
});

describe("containers that share a PID namespace", () => {
  /** Each PID arrow whose two boxes share a room, and whether they stand side by side in one row. */
  const pidPairs = (t: Topology) => {
    const els = toElements(t);
    const state = layout(els, EMPTY_LAYOUT);
    const roomOf = new Map(
      els.filter((e) => e.group === "nodes").map((e) => [e.data.id, (e.data as NodeData).room ?? null]),
    );
    return els
      .flatMap((e) => (e.group === "edges" && e.data.kind === "pid" ? [e.data as EdgeData] : []))
      .filter((e) => roomOf.get(e.source) && roomOf.get(e.source) === roomOf.get(e.target))
      .map((e) => {
        const a = state.positions[e.source]!;
        const b = state.positions[e.target]!;
        return { id: e.id, beside: Math.abs(a.x - b.x) === GRID.column && Math.abs(a.y - b.y) < GRID.row / 2 };
      });
  };

  it("stand side by side in one row of their room, so the arrow crosses no name", () => {
    const pairs = pidPairs(scenario("join-pid"));
    expect(pairs.length).toBeGreaterThan(0);
    expect(pairs.filter((p) => !p.beside)).toEqual([]);
  });

  it("do so in the workshop demo's busiest room too, where the row would have wrapped between them", () => {
    const demo = new RecordingTimeline(
      parseRecording(readFileSync(new URL("../../../../packages/lab/demo/workshop.ndjson", import.meta.url), "utf8")),
    );
    const pairs = pidPairs(demo.topologyAt(demo.moments.length - 1));
    expect(pairs.length).toBeGreaterThan(0);
    expect(pairs.filter((p) => !p.beside)).toEqual([]);
  });
});
