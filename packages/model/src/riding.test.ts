import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildTopology } from "./build-topology";
import type { EngineInventory } from "./inventory";
import { homeNetwork } from "./queries";
import { explainReach } from "./reach";
import { RIDING, withParentNetwork } from "./riding-host";
import type { Topology } from "./topology";

/**
 * macvlan and ipvlan (issue 27): a network whose containers ride on a host interface, read from
 * the engine's options and the kernel's link facts, and what the reach explainer says of it.
 * The live side (the kernel's own facts, live pings) is apps/server/test/drivers.int.test.ts.
 */

const recorded = JSON.parse(
  readFileSync(new URL("../test/fixtures/default-bridge.json", import.meta.url), "utf8"),
) as EngineInventory;

const riding = (driver: "macvlan" | "ipvlan", mode: string): Topology =>
  buildTopology([withParentNetwork(recorded, driver, mode)], 1);

describe("a network that rides on a host interface", () => {
  it("macvlan: the network names its parent and mode; each eth0 is a macvlan child of it, with no veth", () => {
    const t = riding("macvlan", "bridge");
    const n = t.networks[RIDING.id]!;
    expect(n).toMatchObject({ driver: "macvlan", bridge: null, parent: "eth9", mode: "bridge" });
    const members = Object.values(t.containers).filter((c) => c.endpoints[RIDING.id]);
    expect(members.length).toBe(2);
    for (const c of members) {
      const eth0 = c.interfaces.find((i) => i.name === "eth0")!;
      expect(eth0).toMatchObject({ kind: "macvlan", mode: "bridge", parent: { name: "eth9", ifindex: 9001 } });
      expect(eth0.hostPeer).toBeNull();
      // Drawn in its network's room, not as a container with no network.
      expect(homeNetwork(c, t)?.id).toBe(RIDING.id);
    }
    // Bridges keep what they had: no parent, no mode.
    const docker0 = Object.values(t.networks).find((x) => x.name === "bridge")!;
    expect(docker0.parent).toBeUndefined();
    expect(docker0.mode).toBeUndefined();
    const lo = members[0]!.interfaces.find((i) => i.name === "lo")!;
    expect(lo.parent).toBeUndefined();
  });

  it("a parent the kernel does not show (another namespace, gone) is null, not a guess", () => {
    const inv = withParentNetwork(recorded, "macvlan", "bridge");
    if (inv.host.ok) inv.host.links = inv.host.links.filter((l) => l.ifindex !== RIDING.parentIfindex);
    const t = buildTopology([inv], 1);
    for (const c of Object.values(t.containers).filter((x) => x.endpoints[RIDING.id]))
      expect(c.interfaces.find((i) => i.name === "eth0")?.parent).toBeNull();
  });

  it("Docker's defaults when no mode is given: macvlan bridge, ipvlan l2", () => {
    for (const [driver, want] of [
      ["macvlan", "bridge"],
      ["ipvlan", "l2"],
    ] as const) {
      const inv = withParentNetwork(recorded, driver, "x");
      const raw = inv.networks.find((n) => n.Id === RIDING.id)!;
      raw.Options = { parent: "eth9" };
      expect(buildTopology([inv], 1).networks[RIDING.id]?.mode).toBe(want);
    }
  });
});

describe("reach between children of one parent, by mode", () => {
  const pair = (t: Topology) => Object.values(t.containers).filter((c) => c.endpoints[RIDING.id]);

  it("macvlan bridge: the driver switches between children; no host bridge or firewall on the way", () => {
    const t = riding("macvlan", "bridge");
    const [a, b] = pair(t);
    const answer = explainReach(t, a!.id, b!.id);
    expect(answer.ip).toMatchObject({ reachable: true, code: "shared-parent" });
    expect(answer.ip.via).toEqual({ kind: "network", networkId: RIDING.id, address: b!.endpoints[RIDING.id]!.ipv4 });
    expect(answer.ip.reason).toContain("eth9");
  });

  it("macvlan private: nothing passes between children; VEPA: only through a switch that hairpins", () => {
    const [a, b] = pair(riding("macvlan", "private"));
    expect(explainReach(riding("macvlan", "private"), a!.id, b!.id).ip).toMatchObject({
      reachable: false,
      code: "parent-private",
    });
    const v = riding("macvlan", "vepa");
    const [c, d] = pair(v);
    const vepa = explainReach(v, c!.id, d!.id).ip;
    expect(vepa).toMatchObject({ reachable: false, code: "parent-vepa" });
    expect(vepa.reason).toContain("hairpin");
  });

  it("ipvlan l3: the parent routes, with no broadcast domain between the children; l2 switches", () => {
    const l3 = riding("ipvlan", "l3");
    const [a, b] = pair(l3);
    const routed = explainReach(l3, a!.id, b!.id).ip;
    expect(routed).toMatchObject({ reachable: true, code: "shared-parent" });
    expect(routed.reason).toContain("routes");
    const l2 = riding("ipvlan", "l2");
    const [c, d] = pair(l2);
    expect(explainReach(l2, c!.id, d!.id).ip.reason).toContain("switches");
  });

  it("says it in Spanish too", () => {
    const t = riding("macvlan", "private");
    const [a, b] = pair(t);
    expect(explainReach(t, a!.id, b!.id, "es").ip.reason).toContain("modo macvlan private");
  });
});
