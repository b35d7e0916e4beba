import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildTopology } from "./build-topology";
import type { EngineInventory } from "./inventory";
import { explainReach, reachTargets } from "./reach";
import type { Container, Topology } from "./topology";

/** Inventories recorded from a real engine, merged into one engine as if every scenario ran at once. */
function merged(...names: string[]): Topology {
  const inventories = names.map(
    (name) =>
      JSON.parse(readFileSync(new URL(`../test/fixtures/${name}.json`, import.meta.url), "utf8")) as EngineInventory,
  );
  const [first] = inventories as [EngineInventory];
  const networks = new Map(inventories.flatMap((inv) => inv.networks.map((n) => [n.Id, n] as const)));
  return buildTopology([
    {
      ...first,
      networks: [...networks.values()],
      containers: inventories.flatMap((inv) => inv.containers),
      netns: Object.assign({}, ...inventories.map((inv) => inv.netns)) as EngineInventory["netns"],
    },
  ]);
}

const ALL = ["default-bridge", "user-bridge", "compose", "host", "none", "join-network", "join-pid", "join-both"];

function id(t: Topology, suffix: string): string {
  const found = Object.values(t.containers).find((c) => c.name.endsWith(suffix));
  if (!found) throw new Error(`no container *${suffix}`);
  return found.id;
}

function container(t: Topology, suffix: string): Container {
  return t.containers[id(t, suffix)] as Container;
}

describe("explainReach on the recorded scenarios", () => {
  const t = merged(...ALL);
  const ask = (a: string, b: string, lang: "en" | "es" = "en") => explainReach(t, id(t, a), id(t, b), lang);

  it("user-defined bridge: IP and name both work, through the shared bridge, to db's address", () => {
    const db = container(t, "mynet-db");
    const [netId, endpoint] = Object.entries(db.endpoints)[0] as [string, Container["endpoints"][string]];
    const r = ask("mynet-web", "mynet-db");
    expect(r.ip).toMatchObject({ reachable: true, code: "shared-network" });
    expect(r.ip.via).toEqual({ kind: "network", networkId: netId, address: endpoint.ipv4 });
    expect(r.dns).toMatchObject({ resolves: true, code: "embedded-dns", address: endpoint.ipv4 });
    expect(r.dns.names[0]).toBe(db.name);
    expect(r.ip.reason).toContain(endpoint.ipv4 as string);
    expect(r.dns.reason).toContain("127.0.0.11");
  });

  it("default bridge: IP works, names do not (no embedded DNS there)", () => {
    const r = ask("bridge-web", "bridge-db");
    expect(r.ip).toMatchObject({ reachable: true, code: "shared-network" });
    expect(r.dns).toMatchObject({ resolves: false, code: "default-bridge", address: null });
  });

  it("different bridges are isolated, both ways, by IP and by name", () => {
    for (const [a, b] of [
      ["bridge-web", "mynet-db"],
      ["mynet-web", "bridge-db"],
      ["mynet-web", "apache"],
    ] as const) {
      const r = ask(a, b);
      expect(r.ip, `${a} -> ${b}`).toMatchObject({ reachable: false, code: "isolated", via: null });
      expect(r.dns.resolves, `${a} -> ${b}`).toBe(false);
    }
    expect(ask("mynet-web", "apache").dns.code).toBe("not-on-shared-network");
  });

  it("compose: the service name resolves as an alias", () => {
    const r = ask("apache", "postgres");
    expect(r.ip.reachable).toBe(true);
    expect(r.dns.resolves).toBe(true);
    expect(r.dns.names).toContain("postgres");
  });

  it("host mode shares the host's stack: it reaches every bridge, and is reached at a gateway", () => {
    const out = ask("host-tools", "mynet-db");
    expect(out.ip).toMatchObject({ reachable: true, code: "from-host" });
    expect(out.dns).toMatchObject({ resolves: false, code: "from-host" });
    const into = ask("mynet-web", "host-tools");
    const gateway = Object.values(container(t, "mynet-web").endpoints)[0]?.gateway;
    expect(into.ip).toMatchObject({ reachable: true, code: "to-host" });
    expect(into.ip.via?.address).toBe(gateway);
    expect(into.dns).toMatchObject({ resolves: false, code: "to-no-endpoint" });
  });

  it("none: nothing in, nothing out", () => {
    expect(ask("none-tools", "mynet-db").ip).toMatchObject({ reachable: false, code: "from-none" });
    expect(ask("mynet-db", "none-tools").ip).toMatchObject({ reachable: false, code: "to-none" });
    expect(ask("none-tools", "mynet-db").dns.code).toBe("from-none");
    expect(reachTargets(t, id(t, "mynet-db"), id(t, "none-tools"))).toEqual([]);
  });

  it("a joined container behaves as the container whose netns it shares", () => {
    const same = ask("joinnet-tools", "joinnet-mysql");
    expect(same.ip).toMatchObject({ reachable: true, code: "same-netns" });
    expect(same.dns.resolves).toBe(true);
    // Its name has no DNS record: it has no endpoint of its own.
    const toJoined = ask("joinnet-mysql", "joinnet-tools");
    expect(toJoined.ip.reachable).toBe(true);
    expect(toJoined.dns).toMatchObject({ resolves: false, code: "to-joined" });
    // Reaching out, it is the owner: the owner's network is not mynet, so mynet is isolated from it.
    expect(ask("joinnet-tools", "mynet-db").ip).toMatchObject({ reachable: false, code: "isolated" });
    // A PID-only join keeps its own netns on the default bridge.
    expect(ask("joinpid-tools", "joinpid-owner").ip).toMatchObject({ reachable: true, code: "shared-network" });
    expect(ask("joinboth-tools", "joinboth-owner").ip.code).toBe("same-netns");
  });

  it("targets are the target's own addresses, or the host as the sender sees it", () => {
    const db = container(t, "mynet-db");
    expect(reachTargets(t, id(t, "bridge-web"), db.id)).toEqual(Object.values(db.endpoints).map((e) => e.ipv4));
    expect(reachTargets(t, id(t, "host-tools"), id(t, "host-tools"))).toContain("127.0.0.1");
    const gateway = Object.values(container(t, "bridge-web").endpoints)[0]?.gateway;
    expect(reachTargets(t, id(t, "bridge-web"), id(t, "host-tools"))).toEqual([gateway]);
    // The explainer's address is always one the probe tries.
    for (const a of Object.values(t.containers))
      for (const b of Object.values(t.containers)) {
        const r = explainReach(t, a.id, b.id);
        if (r.ip.via) expect(reachTargets(t, a.id, b.id), `${a.name} -> ${b.name}`).toContain(r.ip.via.address);
      }
  });

  it("says it in Spanish", () => {
    const r = ask("bridge-web", "bridge-db", "es");
    expect(r.dns.reason).toMatch(/puente por defecto/);
    expect(ask("bridge-web", "mynet-db", "es").ip.reason).toMatch(/aísla/);
  });

  it("stopped or unknown containers", () => {
    const stopped = structuredClone(t);
    const db = container(stopped, "mynet-db");
    db.state = "exited";
    expect(explainReach(stopped, id(t, "mynet-web"), db.id).ip).toMatchObject({ reachable: false, code: "to-stopped" });
    expect(explainReach(stopped, id(t, "mynet-web"), db.id).dns.code).toBe("to-stopped");
    expect(explainReach(t, "nope", id(t, "mynet-db")).ip.code).toBe("from-missing");
  });
});

describe("explainReach on network options", () => {
  it("ICC off: the shared bridge drops container-to-container traffic, the name still resolves", () => {
    const t = merged("user-bridge");
    const web = Object.values(t.containers).find((c) => c.name.endsWith("mynet-web")) as Container;
    const db = Object.values(t.containers).find((c) => c.name.endsWith("mynet-db")) as Container;
    const netId = Object.keys(db.endpoints)[0] as string;
    (t.networks[netId] as Topology["networks"][string]).icc = false;
    const r = explainReach(t, web.id, db.id);
    expect(r.ip).toMatchObject({ reachable: false, code: "icc-off" });
    expect(r.dns.resolves).toBe(true);
  });

  it("internal: containers on it reach each other but nothing else", () => {
    const t = merged("user-bridge", "default-bridge");
    const web = Object.values(t.containers).find((c) => c.name.endsWith("mynet-web")) as Container;
    const db = Object.values(t.containers).find((c) => c.name.endsWith("mynet-db")) as Container;
    const other = Object.values(t.containers).find((c) => c.name.endsWith("bridge-db")) as Container;
    (t.networks[Object.keys(db.endpoints)[0] as string] as Topology["networks"][string]).internal = true;
    expect(explainReach(t, web.id, db.id).ip.reachable).toBe(true);
    expect(explainReach(t, web.id, other.id).ip).toMatchObject({ reachable: false, code: "internal" });
  });

  it("multi-homed: a container on two bridges reaches both sides, which stay isolated from each other", () => {
    const t = merged("user-bridge", "default-bridge");
    const web = Object.values(t.containers).find((c) => c.name.endsWith("mynet-web")) as Container;
    const router = Object.values(t.containers).find((c) => c.name.endsWith("mynet-db")) as Container;
    const left = Object.values(t.containers).find((c) => c.name.endsWith("bridge-db")) as Container;
    // Give "router" a second endpoint on the default bridge, as `docker network connect bridge` would.
    const [bridgeId, leftEndpoint] = Object.entries(left.endpoints)[0] as [string, Container["endpoints"][string]];
    router.endpoints[bridgeId] = { ...leftEndpoint, ipv4: "172.17.0.250", mac: "02:42:ac:11:00:fa" };
    expect(explainReach(t, router.id, left.id).ip).toMatchObject({ reachable: true, code: "shared-network" });
    expect(explainReach(t, left.id, router.id).ip.via?.address).toBe("172.17.0.250");
    expect(explainReach(t, web.id, router.id).ip.reachable).toBe(true);
    expect(explainReach(t, web.id, left.id).ip).toMatchObject({ reachable: false, code: "isolated" });
  });
});
