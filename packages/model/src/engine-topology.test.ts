import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildTopology } from "./build-topology";
import { EngineTopology, EVERYTHING, type EnginePart, type TouchedIds } from "./engine-topology";
import { random as rng } from "./generated-host";
import type { EngineInventory, RawContainer } from "./inventory";

/**
 * The incremental builder against the whole one: after any sequence of reads, each naming what
 * it touched (as the engine watcher does), the part equals what `buildTopology` gives for the
 * same inventory, and only what changed is a new object.
 */

const FIXTURES = ["default-bridge", "user-bridge", "compose", "join-both", "join-network", "join-pid", "host", "none"];

function fixture(name: string): EngineInventory {
  return JSON.parse(readFileSync(new URL(`../test/fixtures/${name}.json`, import.meta.url), "utf8")) as EngineInventory;
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function expected(inv: EngineInventory): EnginePart {
  const t = buildTopology([inv]);
  const id = inv.engine.id;
  return { engine: t.engines[id]!, host: t.hosts[id]!, networks: t.networks, containers: t.containers };
}

/** One change as an engine event would bring it: the inventory after it, and what the watcher says it touched. */
function change(inv: EngineInventory, random: () => number, step: number): TouchedIds {
  const pick = <T>(list: readonly T[]): T | undefined => list[Math.floor(random() * list.length)];
  const c = pick(inv.containers);
  const kind = Math.floor(random() * 8);
  if (kind === 0 && c) {
    // destroy
    inv.containers = inv.containers.filter((x) => x !== c);
    delete inv.netns[c.Id];
    return { full: false, containers: [c.Id], networks: [], host: true };
  }
  if (kind === 1 && c) {
    // run one more like it: its namespace copied too, so its veth clashes with the original's
    const copy = clone(c) as RawContainer;
    copy.Id = `${step.toString(16).padStart(4, "0")}${c.Id.slice(4)}`;
    copy.Name = `${c.Name}-${step}`;
    inv.containers.push(copy);
    const netns = inv.netns[c.Id];
    if (netns) inv.netns[copy.Id] = clone(netns);
    return {
      full: false,
      containers: [copy.Id],
      networks: Object.values(copy.NetworkSettings.Networks ?? {}).map((e) => e.NetworkID),
      host: true,
    };
  }
  if (kind === 2 && c) {
    // stop
    c.State = { Status: "exited", Running: false, Pid: 0 };
    delete inv.netns[c.Id];
    return { full: false, containers: [c.Id], networks: [], host: true };
  }
  if (kind === 3 && c) {
    // disconnect from one network
    const name = pick(Object.keys(c.NetworkSettings.Networks ?? {}));
    if (name === undefined) return { full: false, containers: [c.Id], networks: [], host: false };
    const networkId = c.NetworkSettings.Networks![name]!.NetworkID;
    delete c.NetworkSettings.Networks![name];
    return { full: false, containers: [c.Id], networks: [networkId], host: true };
  }
  if (kind === 4 && c) {
    // rename
    c.Name = `/renamed-${step}`;
    return { full: false, containers: [c.Id], networks: [], host: false };
  }
  if (kind === 5) {
    // a network removed or relabelled
    const n = pick(inv.networks);
    if (!n) return EVERYTHING;
    if (random() < 0.5) inv.networks = inv.networks.filter((x) => x !== n);
    else n.Labels = { ...(n.Labels ?? {}), step: String(step) };
    return { full: false, containers: [], networks: [n.Id], host: false };
  }
  if (kind === 6 && inv.host.ok) {
    // a host veth gone (its container's pairing with it goes too)
    const veth = pick(inv.host.links.filter((l) => l.linkinfo?.info_kind === "veth"));
    if (veth) inv.host.links = inv.host.links.filter((l) => l !== veth);
    return { full: false, containers: [], networks: [], host: true };
  }
  return EVERYTHING;
}

describe("EngineTopology", () => {
  it("equals the whole build after every change, over 300 sequences of recorded hosts", () => {
    for (let seed = 1; seed <= 300; seed++) {
      const random = rng(seed);
      const inv = fixture(FIXTURES[seed % FIXTURES.length]!);
      const builder = new EngineTopology();
      expect(builder.update(inv, EVERYTHING).part).toEqual(expected(inv));
      for (let step = 1; step <= 12; step++) {
        const touched = change(inv, random, step);
        const { part } = builder.update(inv, touched);
        expect(part, `seed ${seed}, step ${step}, ${JSON.stringify(touched)}`).toEqual(expected(inv));
      }
    }
  });

  it("a change rebuilds what it touched; everything else stays the same object", () => {
    const inv = fixture("compose");
    const builder = new EngineTopology();
    const before = builder.update(inv, EVERYTHING).part;
    const [stopped, ...others] = inv.containers;
    stopped!.State = { Status: "exited", Running: false, Pid: 0 };
    delete inv.netns[stopped!.Id];
    const { part, changed } = builder.update(inv, {
      full: false,
      containers: [stopped!.Id],
      networks: [],
      host: false,
    });
    expect([...changed.containers]).toEqual([stopped!.Id]);
    expect(changed.host).toBe(false);
    expect(part.containers[stopped!.Id]).not.toBe(before.containers[stopped!.Id]);
    for (const c of others) expect(part.containers[c.Id]).toBe(before.containers[c.Id]);
    for (const id of Object.keys(before.networks)) expect(part.networks[id]).toBe(before.networks[id]);
  });

  it("a full read that finds nothing new keeps every object", () => {
    const inv = fixture("user-bridge");
    const builder = new EngineTopology();
    const before = builder.update(inv, EVERYTHING).part;
    const { part, changed } = builder.update(clone(inv), EVERYTHING);
    expect(changed).toEqual({ engine: false, host: false, networks: new Set(), containers: new Set() });
    expect(part.containers).toEqual(before.containers);
    for (const id of Object.keys(before.containers)) expect(part.containers[id]).toBe(before.containers[id]);
  });
});
