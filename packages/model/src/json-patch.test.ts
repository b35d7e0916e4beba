import { describe, expect, it } from "vitest";
import { applyPatch, applyPatchCopy, cloneJson, diff, PatchError, type Json } from "./json-patch";

function roundTrip(a: Json, b: Json) {
  const ops = diff(a, b);
  expect(applyPatch(cloneJson(a), ops)).toEqual(b);
  return ops;
}

describe("diff and applyPatch", () => {
  it("round-trips maps keyed by id: apply(diff(a, b), a) equals b", () => {
    const a = { revision: 1, containers: { c1: { state: "running", ips: ["10.0.0.2"] }, c2: { state: "exited" } } };
    const b = { revision: 2, containers: { c1: { state: "exited", ips: [] }, c3: { state: "created" } } };
    roundTrip(a, b);
  });

  it("one container's change touches only that container's paths", () => {
    const many: Record<string, Json> = {};
    for (let i = 0; i < 500; i++) many[`c${i}`] = { state: "running", name: `n${i}` };
    const after = { ...many, c42: { state: "exited", name: "n42" } };
    const ops = roundTrip({ containers: many }, { containers: after });
    expect(ops).toEqual([{ op: "replace", path: "/containers/c42/state", value: "exited" }]);
  });

  it("adding one member to a long array costs one op", () => {
    const ids = Array.from({ length: 300 }, (_, i) => `id${String(i).padStart(3, "0")}`);
    const inserted = [...ids.slice(0, 100), "new", ...ids.slice(100)];
    expect(roundTrip({ ids }, { ids: inserted })).toEqual([{ op: "add", path: "/ids/100", value: "new" }]);
    expect(roundTrip({ ids: inserted }, { ids })).toEqual([{ op: "remove", path: "/ids/100" }]);
  });

  it("round-trips arrays that change in the middle, shrink, grow and change type", () => {
    roundTrip([1, 2, 3, 4, 5], [1, 9, 8, 5]);
    roundTrip([1, 2], [3, 4, 5, 6, 7]);
    roundTrip({ a: [1] }, { a: { b: 1 } });
    roundTrip({ a: null }, { a: [null, { x: "y" }] });
    roundTrip([{ a: 1 }, { a: 2 }], [{ a: 1 }, { a: 3 }]);
  });

  it("escapes keys with / and ~ in pointers", () => {
    const ops = roundTrip({ "a/b": 1, "c~d": 2 }, { "a/b": 3, "c~d": 4 });
    expect(ops.map((o) => o.path)).toEqual(["/a~1b", "/c~0d"]);
  });

  it("gives no ops for equal documents whatever their key order", () => {
    expect(diff({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toEqual([]);
  });

  it("refuses a patch that reaches for the prototype", () => {
    expect(() => applyPatch({}, [{ op: "add", path: "/__proto__/polluted", value: true }])).toThrow(PatchError);
    expect(() => applyPatch({}, [{ op: "add", path: "/constructor/prototype/x", value: 1 }])).toThrow(PatchError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses ops on paths that do not exist, and out-of-range indexes", () => {
    expect(() => applyPatch({ a: {} }, [{ op: "replace", path: "/a/b", value: 1 }])).toThrow(PatchError);
    expect(() => applyPatch({ a: {} }, [{ op: "add", path: "/x/y", value: 1 }])).toThrow(PatchError);
    expect(() => applyPatch({ a: [1] }, [{ op: "add", path: "/a/5", value: 1 }])).toThrow(PatchError);
    expect(() => applyPatch({ a: [1] }, [{ op: "remove", path: "/a/1" }])).toThrow(PatchError);
    expect(() => applyPatch({ a: 1 }, [{ op: "add", path: "a", value: 1 }])).toThrow(PatchError);
  });

  it("does not share structure between the document and the patch", () => {
    const value = { nested: [1] };
    const doc = applyPatch({}, [{ op: "add", path: "/x", value }]) as { x: { nested: number[] } };
    value.nested.push(2);
    expect(doc.x.nested).toEqual([1]);
  });
});

describe("applyPatchCopy", () => {
  it("gives the same result as applyPatch without changing the original", () => {
    const a = { containers: { c1: { state: "running", ips: ["1"] }, c2: { state: "exited" } }, revision: 1 };
    const b = { containers: { c1: { state: "exited", ips: ["1", "2"] }, c3: { state: "created" } }, revision: 2 };
    const before = JSON.stringify(a);
    expect(applyPatchCopy(a, diff(a, b))).toEqual(b);
    expect(JSON.stringify(a)).toBe(before);
  });

  it("keeps the identity of everything a patch did not touch", () => {
    const a = { containers: { c1: { state: "running" }, c2: { state: "exited", n: { deep: 1 } } } };
    const next = applyPatchCopy(a, [{ op: "replace", path: "/containers/c1/state", value: "paused" }]);
    expect(next.containers.c2).toBe(a.containers.c2);
    expect(next.containers.c1).not.toBe(a.containers.c1);
    expect(next).not.toBe(a);
  });

  it("refuses prototype paths like applyPatch", () => {
    expect(() => applyPatchCopy({}, [{ op: "add", path: "/__proto__/x", value: 1 }])).toThrow(PatchError);
  });
});
