import type { Topology } from "@netdive/model";
import { describe, expect, it } from "vitest";
import { EMPTY_LAYOUT, layout } from "./layout";
import { SCENARIOS, scenario } from "./scenarios.test-support";
import { isolationTopology } from "../tour/isolation.test-support";
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
