import type { Container, PatchMessage, Topology } from "@netdive/model";
import { describe, expect, it } from "vitest";
import { scenario } from "../graph/scenarios.test-support";
import { createNetdiveStore } from "./index";

function live(topology: Topology = scenario("user-bridge")) {
  const store = createNetdiveStore("en");
  store.getState().setSnapshot(topology);
  return { store, topology };
}

function firstContainer(t: Topology): Container {
  const c = Object.values(t.containers)[0];
  if (!c) throw new Error("no container");
  return c;
}

const patch = (from: number, ops: PatchMessage["ops"]): PatchMessage => ({
  type: "patch",
  from,
  revision: from + 1,
  ops,
});

describe("the topology slice", () => {
  it("a snapshot makes the picture live, and an unreachable engine is the problem it shows", () => {
    const { store, topology } = live();
    expect(store.getState()).toMatchObject({ topology, connection: "live", problem: null });
    const down = structuredClone(topology);
    for (const e of Object.values(down.engines)) Object.assign(e, { reachable: false, error: "cannot reach Docker" });
    store.getState().setSnapshot(down);
    expect(store.getState().problem).toBe("cannot reach Docker");
  });

  it("with several engines, one down is its own light's problem, not the page's; all down is", () => {
    const { store, topology } = live();
    const two = structuredClone(topology);
    const first = Object.values(two.engines)[0]!;
    two.engines.other = { ...first, id: "other", url: "unix:///other.sock", reachable: false, error: "refused" };
    store.getState().setSnapshot(two);
    expect(store.getState().problem).toBeNull();
    Object.assign(two.engines[first.id]!, { reachable: false, error: "gone" });
    store.getState().setSnapshot(structuredClone(two));
    expect(store.getState().problem).toBe(`${first.id}: gone; other: refused`);
  });

  it("a patch that follows the revision applies, and names what it changed", () => {
    const { store, topology } = live();
    const c = firstContainer(topology);
    const ok = store.getState().applyPatch(
      patch(topology.revision, [
        { op: "replace", path: "/revision", value: topology.revision + 1 },
        { op: "replace", path: `/containers/${c.id}/state`, value: "exited" },
      ]),
    );
    expect(ok).toBe(true);
    const now = store.getState();
    expect(now.topology?.containers[c.id]?.state).toBe("exited");
    expect(now.changes[`containers/${c.id}`]?.kind).toBe("changed");
    // The snapshot the store was given is not changed in place.
    expect(topology.containers[c.id]?.state).toBe(c.state);
  });

  it("an added container is marked added, not changed", () => {
    const { store, topology } = live();
    const added = { ...firstContainer(topology), id: "f".repeat(64), name: "new" };
    store
      .getState()
      .applyPatch(patch(topology.revision, [{ op: "add", path: `/containers/${added.id}`, value: added }]));
    expect(store.getState().changes[`containers/${added.id}`]?.kind).toBe("added");
  });

  it("a patch from another revision, or one that does not apply, is refused and leaves the picture as it was", () => {
    const { store, topology } = live();
    const c = firstContainer(topology);
    const gap = patch(topology.revision + 1, [{ op: "replace", path: `/containers/${c.id}/state`, value: "exited" }]);
    expect(store.getState().applyPatch(gap)).toBe(false);
    const broken = patch(topology.revision, [{ op: "replace", path: "/containers/nope/state", value: "exited" }]);
    expect(store.getState().applyPatch(broken)).toBe(false);
    expect(store.getState().topology).toBe(topology);
  });

  it("a patch whose touched ids do not name what its ops change is refused (the page resyncs)", () => {
    const { store, topology } = live();
    const [c, other] = Object.values(topology.containers);
    const ops: PatchMessage["ops"] = [
      { op: "replace", path: `/containers/${c!.id}/state`, value: "exited" },
      { op: "replace", path: "/revision", value: topology.revision + 1 },
    ];
    const touched = (containers: string[]) => ({ engines: [], networks: [], containers });
    // Names another container, or one more than it changes: refused.
    expect(store.getState().applyPatch({ ...patch(topology.revision, ops), touched: touched([other!.id]) })).toBe(
      false,
    );
    expect(
      store.getState().applyPatch({ ...patch(topology.revision, ops), touched: touched([c!.id, other!.id]) }),
    ).toBe(false);
    expect(store.getState().topology).toBe(topology);
    // Names exactly what it changes: applied.
    expect(store.getState().applyPatch({ ...patch(topology.revision, ops), touched: touched([c!.id]) })).toBe(true);
    expect(store.getState().topology?.containers[c!.id]?.state).toBe("exited");
  });

  it("before any snapshot, a patch is refused", () => {
    const store = createNetdiveStore("en");
    expect(store.getState().applyPatch(patch(0, []))).toBe(false);
    expect(store.getState().connection).toBe("connecting");
  });
});
