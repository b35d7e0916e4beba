import { readFileSync, readdirSync } from "node:fs";
import { Value } from "@sinclair/typebox/value";
import { describe, expect, it } from "vitest";
import { buildTopology } from "../build-topology";
import type { EngineInventory } from "../inventory";
import { ClientMessage, ServerMessage } from "../protocol";
import { Topology } from "../topology";
import { ReachQuery } from "./reach";

const FIXTURES = new URL("../../test/fixtures/", import.meta.url);
const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith(".json"));

function built(file: string): Topology {
  const inventory = JSON.parse(readFileSync(new URL(file, FIXTURES), "utf8")) as EngineInventory;
  return buildTopology([inventory]);
}

describe("the Topology schema against topologies built from recorded engines", () => {
  it.each(fixtures)("%s fits the schema, and the schema names every field it has", (file) => {
    const topology = built(file);
    expect([...Value.Errors(Topology, topology)].map((e) => `${e.path}: ${e.message}`)).toEqual([]);
    // A field the schema does not name would be dropped by the server's serializer.
    expect(Value.Clean(Topology, structuredClone(topology))).toEqual(topology);
  });
});

describe("stream messages", () => {
  it("a snapshot and a patch fit ServerMessage; a patch with a string revision or an unknown op does not", () => {
    const topology = built(fixtures[0] as string);
    expect(Value.Check(ServerMessage, { type: "snapshot", protocol: 1, revision: 3, topology })).toBe(true);
    const patch = { type: "patch", from: 3, revision: 4, ops: [{ op: "replace", path: "/revision", value: 4 }] };
    expect(Value.Check(ServerMessage, patch)).toBe(true);
    expect(Value.Check(ServerMessage, { ...patch, revision: "4" })).toBe(false);
    expect(Value.Check(ServerMessage, { ...patch, ops: [{ op: "move", path: "/a", from: "/b" }] })).toBe(false);
    expect(Value.Check(ServerMessage, { type: "snapshot", protocol: 1, revision: 3, topology: {} })).toBe(false);
  });

  it("a client may send resync or hello, nothing more", () => {
    expect(Value.Check(ClientMessage, { type: "resync" })).toBe(true);
    expect(Value.Check(ClientMessage, { type: "hello", protocol: 1 })).toBe(true);
    expect(Value.Check(ClientMessage, { type: "resync", extra: 1 })).toBe(false);
    expect(Value.Check(ClientMessage, { type: "__proto__" })).toBe(false);
  });
});

describe("ReachQuery: the one shape the page sends and the server checks", () => {
  it("takes two refs and a language, and nothing else", () => {
    expect(Value.Check(ReachQuery, { from: "nd-demo-web", to: "a1b2c3d4e5f6", lang: "es" })).toBe(true);
    expect(Value.Check(ReachQuery, { from: "nd-demo-web", to: "a1b2c3d4e5f6" })).toBe(true);
    expect(Value.Check(ReachQuery, { from: "nd-demo-web", to: "a1b2c3d4e5f6", lang: "fr" })).toBe(false);
    expect(Value.Check(ReachQuery, { from: "nd-demo-web", to: "x", extra: 1 })).toBe(false);
    expect(Value.Check(ReachQuery, { from: "nd-demo-web" })).toBe(false);
  });
});
