import { describe, expect, it } from "vitest";
import { isValidRef, resolveRef } from "./refs";

const A = "a".repeat(12) + "1".repeat(52);
const B = "a".repeat(12) + "2".repeat(52);
const entries = {
  [A]: { id: A, name: "web" },
  [B]: { id: B, name: "db" },
};

describe("resolveRef", () => {
  it("finds by full id, by name and by unique id prefix", () => {
    expect(resolveRef(entries, A)).toEqual({ kind: "found", id: A });
    expect(resolveRef(entries, "db")).toEqual({ kind: "found", id: B });
    expect(resolveRef(entries, "a".repeat(12) + "2")).toEqual({ kind: "found", id: B });
  });

  it("reports a prefix shared by two ids as ambiguous", () => {
    expect(resolveRef(entries, "aaaa")).toEqual({ kind: "ambiguous", ids: [A, B] });
  });

  it("prefers an exact name over an id prefix, as the Docker CLI does", () => {
    const named = { ...entries, [`b${"0".repeat(63)}`]: { id: `b${"0".repeat(63)}`, name: "aaaa" } };
    expect(resolveRef(named, "aaaa")).toEqual({ kind: "found", id: `b${"0".repeat(63)}` });
  });

  it("finds nothing for unknown names and non-hex prefixes", () => {
    expect(resolveRef(entries, "nope")).toEqual({ kind: "none" });
    expect(resolveRef(entries, "constructor")).toEqual({ kind: "none" });
    expect(resolveRef(entries, "__proto__")).toEqual({ kind: "none" });
  });
});

describe("resolveRef across engines", () => {
  const C = "c".repeat(64);
  const two = {
    [A]: { id: A, name: "web", engineId: "local" },
    [C]: { id: C, name: "web", engineId: "private" },
  };
  it("finds <engineId>/<name> on that engine only", () => {
    expect(resolveRef(two, "private/web")).toEqual({ kind: "found", id: C });
    expect(resolveRef(two, "local/web")).toEqual({ kind: "found", id: A });
    expect(resolveRef(two, "local/ccc")).toEqual({ kind: "none" });
    expect(resolveRef(two, "other/web")).toEqual({ kind: "none" });
  });
  it("calls a bare name that two engines use ambiguous", () => {
    expect(resolveRef(two, "web")).toEqual({ kind: "ambiguous", ids: [A, C] });
  });
});

describe("isValidRef", () => {
  it("accepts names and ids Docker allows", () => {
    for (const ok of ["web", "my_net-1.x", A, "a", "local/web", "private-2/my_net"]) expect(isValidRef(ok)).toBe(true);
  });
  it("refuses paths, shell syntax, options, empty and overlong refs", () => {
    for (const bad of [
      "../etc",
      "a/b/c",
      "/web",
      "Local/web",
      "a;b",
      "$(id)",
      "-rf",
      "",
      ".hidden",
      "x".repeat(129),
      "a b",
      "a\nb",
    ]) {
      expect(isValidRef(bad)).toBe(false);
    }
  });
});
