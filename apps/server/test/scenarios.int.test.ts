import {
  cleanup,
  execIn,
  leftovers,
  newRun,
  tearDown,
  upAll,
  type LabObject,
  type ScenarioName,
  type ScenarioRun,
} from "@netdive/lab";
import { mapLimit } from "@netdive/model";
import type { ContainerDetails, Topology } from "@netdive/model";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINE_URL } from "./engine";
import { buildServer } from "../src/app";
import {
  containerNamed,
  expectBridgeNetwork,
  expectDetails,
  expectEndpoints,
  expectIdentity,
  expectMembers,
  expectNoOwnInterfaces,
  expectOwnInterfaces,
  networkNamed,
  usesEmbeddedDns,
} from "./expect-facts";
import { fact, factsAsserted } from "./facts";
import { getJson } from "./inject";
import { expectHostInterfaces } from "./expect-host";
import { readWorld, type ContainerTruth, type World } from "./truth";

const DOCKER_HOST = ENGINE_URL;
const run = newRun();
let scenarios: Record<ScenarioName, ScenarioRun> | undefined;
let world: World;
let server: FastifyInstance | undefined;
let topology: Topology;
const details: Record<string, ContainerDetails> = {};

beforeAll(async () => {
  scenarios = await upAll(run);
  // The truth first, then netdive: its first collection (at ready) is timed by Fastify.
  world = await readWorld(Object.values(scenarios));
  server = await buildServer({ dockerHost: DOCKER_HOST });
  await server.ready();
  topology = (await getJson<Topology>(server, "/api/topology?fresh=1")).body;
  // A few at a time: each reads two files through the archive API and a NAT table.
  await mapLimit(Object.keys(world.containers), 4, async (name) => {
    details[name] = (await getJson<ContainerDetails>(server as FastifyInstance, `/api/containers/${name}`)).body;
  });
});

afterAll(async () => {
  await server?.close();
  await (scenarios ? tearDown(run, Object.values(scenarios)) : cleanup(run.id));
  expect(await leftovers(run.id), `nothing labelled io.netdive.run=${run.id} is left`).toEqual({
    containers: [],
    networks: [],
  });
  console.log(`netdive scenarios: ${factsAsserted()} facts asserted against independent reads (run ${run.id})`);
});

const scenario = (name: ScenarioName) => scenarios?.[name] as ScenarioRun;
const lab = (name: ScenarioName, role: string) => scenario(name).containers[role] as LabObject;
const truth = (o: LabObject) => world.containers[o.name] as ContainerTruth;
const netdive = (o: LabObject) => containerNamed(topology, o.name);
const runIds = () => Object.values(world.containers).map((t) => t.lab.id);

describe("default bridge: web and db on docker0", () => {
  const both = () => [lab("default-bridge", "web"), lab("default-bridge", "db")];

  it("each container is itself: name, state, image, network mode, pid, hostname", () => {
    for (const o of both()) expectIdentity(netdive(o), truth(o), { networkMode: "default" });
  });

  it("each endpoint holds eth0's address, prefix and MAC and the netns's default gateway", () => {
    for (const o of both()) expectEndpoints(netdive(o), truth(o), world, { ownNetns: true });
  });

  it("each container has lo and eth0 as ip -j shows them, eth0 paired with its host veth on docker0", () => {
    for (const o of both()) {
      expectOwnInterfaces(netdive(o), truth(o), world.host);
      fact(netdive(o).interfaces.find((i) => i.name === "eth0")?.hostPeer?.bridge, "docker0", `${o.name}: on docker0`);
    }
  });

  it("the network is docker0, present on the host with the gateway address, and holds both containers", () => {
    const bridge = networkNamed(topology, "bridge");
    expectBridgeNetwork(bridge, world.networks.bridge!, world, {
      isDefault: true,
      composeProject: null,
      runIds: runIds(),
    });
    fact(bridge.embeddedDns, usesEmbeddedDns(truth(lab("default-bridge", "web"))), "bridge: embeddedDns");
    for (const o of both()) fact(bridge.containerIds.includes(o.id), true, `bridge: holds ${o.name}`);
  });

  it("containers keep the host's resolver: their own files, and no DNS hooks (an empty list)", () => {
    for (const o of both()) {
      expect(usesEmbeddedDns(truth(o)), `${o.name} does not use 127.0.0.11`).toBe(false);
      expectDetails(details[o.name]!, truth(o));
      fact(details[o.name]!.dnsRules, [], `${o.name}: dnsRules is an empty list on the default bridge`);
    }
  });
});

describe("user-defined bridge: web and db on mynet", () => {
  const both = () => [lab("user-bridge", "web"), lab("user-bridge", "db")];
  const mynet = () => scenario("user-bridge").networks.mynet as LabObject;

  it("each container is itself, with mynet as its network mode", () => {
    for (const o of both()) expectIdentity(netdive(o), truth(o), { networkMode: mynet().name });
  });

  it("each endpoint is on mynet with eth0's address, prefix, MAC, the gateway and the engine's aliases", () => {
    for (const o of both()) {
      expectEndpoints(netdive(o), truth(o), world, { ownNetns: true });
      fact(Object.keys(netdive(o).endpoints), [mynet().id], `${o.name}: only on mynet`);
    }
  });

  it("eth0's host veth is enslaved to br-<12 hex of mynet's id>", () => {
    for (const o of both()) {
      expectOwnInterfaces(netdive(o), truth(o), world.host);
      const peer = netdive(o).interfaces.find((i) => i.name === "eth0")?.hostPeer;
      fact(peer?.bridge, `br-${mynet().id.slice(0, 12)}`, `${o.name}: veth master`);
    }
  });

  it("the network's bridge exists on the host with the gateway address; it has embedded DNS", () => {
    const n = networkNamed(topology, mynet().name);
    expectBridgeNetwork(n, world.networks[mynet().name]!, world, {
      isDefault: false,
      composeProject: null,
      runIds: runIds(),
    });
    fact(n.embeddedDns, usesEmbeddedDns(truth(lab("user-bridge", "web"))), "mynet: embeddedDns");
    fact(n.embeddedDns, true, "mynet: embeddedDns on a user-defined bridge");
  });

  it("dnsRules are the udp and tcp DNAT targets of 127.0.0.11:53 in each container's netns", () => {
    for (const o of both()) {
      expect(
        truth(o).dnsHooks.map((h) => h.proto),
        `${o.name}: the netns has both hooks`,
      ).toEqual(["tcp", "udp"]);
      expectDetails(details[o.name]!, truth(o));
      for (const rule of details[o.name]!.dnsRules ?? []) expect(rule.target).toMatch(/^127\.0\.0\.11:\d+$/);
    }
  });
});

describe("compose: the simpleweb stack", () => {
  const services = () => ({ apache: lab("compose", "apache"), postgres: lab("compose", "postgres") });
  const project = () => scenario("compose").compose!.project;
  const networkName = () => `${project()}_default`;

  it("each service's container carries the project and service, on <project>_default", () => {
    for (const [service, o] of Object.entries(services())) {
      expectIdentity(netdive(o), truth(o), { networkMode: networkName(), compose: { project: project(), service } });
    }
  });

  it("endpoints and interfaces are the netns's, on the project's bridge", () => {
    const bridge = `br-${world.networks[networkName()]!.Id.slice(0, 12)}`;
    for (const o of Object.values(services())) {
      expectEndpoints(netdive(o), truth(o), world, { ownNetns: true });
      expectOwnInterfaces(netdive(o), truth(o), world.host);
      fact(netdive(o).interfaces.find((i) => i.name === "eth0")?.hostPeer?.bridge, bridge, `${o.name}: veth master`);
    }
  });

  it("each service name is an alias that the other service resolves to the container's address", async () => {
    const { apache, postgres } = services();
    for (const [service, o, asker] of [
      ["apache", apache, postgres],
      ["postgres", postgres, apache],
    ] as const) {
      const ep = Object.values(netdive(o).endpoints)[0];
      fact(ep?.aliases.includes(service), true, `${o.name}: service alias`);
      const answer = await execIn(asker.id, ["nslookup", "-type=a", service]);
      const resolved = [...answer.matchAll(/^Address:\s*(\d+\.\d+\.\d+\.\d+)$/gm)].map((m) => m[1]);
      fact([ep?.ipv4], resolved, `${o.name}: ${service} resolves to the endpoint's address`);
    }
  });

  it("apache is published on 127.0.0.1:<port> -> 80/tcp, and answers there", async () => {
    const { hostPort } = scenario("compose").compose!;
    const ports = netdive(services().apache).ports;
    fact(ports, [{ containerPort: 80, protocol: "tcp", hostIp: "127.0.0.1", hostPort }], "apache: published port");
    const page = await fetch(`http://127.0.0.1:${hostPort}/`, { signal: AbortSignal.timeout(5_000) });
    expect(await page.text(), "httpd answers on the published port").toContain("netdive lab");
  });

  it("the project's network names the project and uses embedded DNS", () => {
    const n = networkNamed(topology, networkName());
    expectBridgeNetwork(n, world.networks[networkName()]!, world, {
      isDefault: false,
      composeProject: project(),
      runIds: runIds(),
    });
    fact(n.embeddedDns, usesEmbeddedDns(truth(services().apache)), `${networkName()}: embeddedDns`);
  });

  it("resolvConf, hostsFile and dnsRules are each container's own", () => {
    for (const o of Object.values(services())) {
      expect(truth(o).dnsHooks, `${o.name}: the netns has DNS hooks`).toHaveLength(2);
      expectDetails(details[o.name]!, truth(o));
    }
  });
});

describe("host mode", () => {
  const tools = () => lab("host", "tools");

  it("a host-mode container has no interfaces and no address of its own", () => {
    const t = truth(tools());
    expect(t.netns, "the container's process is in the host's netns").toBe(world.host.netns);
    expectIdentity(netdive(tools()), t, { networkMode: "host" });
    expectEndpoints(netdive(tools()), t, world, { ownNetns: false });
    expectNoOwnInterfaces(netdive(tools()), t);
  });

  it("the host network lists the container", () => {
    expectMembers(networkNamed(topology, "host"), world.networks.host!, runIds());
    fact(networkNamed(topology, "host").bridge, null, "host network: no bridge");
  });

  it("its files are its own and its DNS hooks are the host's NAT table's", () => {
    expectDetails(details[tools().name]!, truth(tools()));
  });

  it("the host's interfaces that matter here are reported as ip -j shows them", () => {
    expectHostInterfaces(topology, world);
  });
});

describe("none", () => {
  const tools = () => lab("none", "tools");

  it("a none-mode container has lo and nothing else", () => {
    const t = truth(tools());
    expect(
      t.links.map((l) => l.ifname),
      "ip -j in its netns",
    ).toEqual(["lo"]);
    expectIdentity(netdive(tools()), t, { networkMode: "none" });
    expectEndpoints(netdive(tools()), t, world, { ownNetns: true });
    expectOwnInterfaces(netdive(tools()), t, world.host);
    expectMembers(networkNamed(topology, "none"), world.networks.none!, runIds());
  });

  it("its files are its own and it has no DNS hooks", () => {
    expectDetails(details[tools().name]!, truth(tools()));
    fact(details[tools().name]!.dnsRules, [], "none: dnsRules");
  });
});

describe("join-network: a tools container in a mysql stand-in's network namespace", () => {
  const mysql = () => lab("join-network", "mysql");
  const tools = () => lab("join-network", "tools");
  const dbnet = () => scenario("join-network").networks.dbnet as LabObject;

  it("the owner is an ordinary container on the user bridge", () => {
    expectIdentity(netdive(mysql()), truth(mysql()), { networkMode: dbnet().name });
    expectEndpoints(netdive(mysql()), truth(mysql()), world, { ownNetns: true });
    expectOwnInterfaces(netdive(mysql()), truth(mysql()), world.host);
  });

  it("joined container has no interfaces of its own and names its owner", () => {
    const t = truth(tools());
    expect(t.netns, "the kernel puts both in one netns").toBe(truth(mysql()).netns);
    expect(t.pidns, "but not in one PID namespace").not.toBe(truth(mysql()).pidns);
    expectIdentity(netdive(tools()), t, { networkMode: `container:${mysql().id}`, netnsOwnerId: mysql().id });
    expectEndpoints(netdive(tools()), t, world, { ownNetns: false });
    expectNoOwnInterfaces(netdive(tools()), t);
  });

  it("what the joiner sees in its netns is exactly its owner's interfaces", () => {
    expectOwnInterfaces(netdive(mysql()), truth(tools()), world.host);
  });

  it("only the owner is a member of the network", () => {
    expectBridgeNetwork(networkNamed(topology, dbnet().name), world.networks[dbnet().name]!, world, {
      isDefault: false,
      composeProject: null,
      runIds: runIds(),
    });
    fact(networkNamed(topology, dbnet().name).containerIds.includes(tools().id), false, "dbnet: joiner not a member");
  });

  it("the joiner's files are its own and its DNS hooks are those of the netns it shares", () => {
    expect(truth(tools()).dnsHooks, "the shared netns has both hooks").toHaveLength(2);
    expectDetails(details[tools().name]!, truth(tools()));
    expectDetails(details[mysql().name]!, truth(mysql()));
  });
});

describe("join-pid: --pid container:X", () => {
  const owner = () => lab("join-pid", "owner");
  const tools = () => lab("join-pid", "tools");

  it("the joiner names its PID-namespace owner and keeps a network namespace of its own", () => {
    const t = truth(tools());
    expect(t.pidns, "the kernel puts both in one PID namespace").toBe(truth(owner()).pidns);
    expect(t.netns, "but not in one netns").not.toBe(truth(owner()).netns);
    expectIdentity(netdive(owner()), truth(owner()), { networkMode: "default" });
    expectIdentity(netdive(tools()), t, { networkMode: "default", pidnsOwnerId: owner().id });
    for (const o of [owner(), tools()]) {
      expectEndpoints(netdive(o), truth(o), world, { ownNetns: true });
      expectOwnInterfaces(netdive(o), truth(o), world.host);
      expectDetails(details[o.name]!, truth(o));
    }
  });
});

describe("join-both: --network container:X --pid container:X", () => {
  const owner = () => lab("join-both", "owner");
  const tools = () => lab("join-both", "tools");

  it("joined container has no interfaces of its own and names its owner for both namespaces", () => {
    const t = truth(tools());
    expect(t.netns, "one netns").toBe(truth(owner()).netns);
    expect(t.pidns, "one PID namespace").toBe(truth(owner()).pidns);
    expectIdentity(netdive(owner()), truth(owner()), { networkMode: "default" });
    expectIdentity(netdive(tools()), t, {
      networkMode: `container:${owner().id}`,
      netnsOwnerId: owner().id,
      pidnsOwnerId: owner().id,
    });
    expectEndpoints(netdive(tools()), t, world, { ownNetns: false });
    expectNoOwnInterfaces(netdive(tools()), t);
    expectOwnInterfaces(netdive(owner()), t, world.host);
    for (const o of [owner(), tools()]) expectDetails(details[o.name]!, truth(o));
  });
});

describe("the REST API", () => {
  it("every container is the same whether asked by name, 12-hex prefix or full id", async () => {
    const get = (ref: string) => getJson<ContainerDetails>(server!, `/api/containers/${ref}`);
    await mapLimit(Object.values(world.containers), 3, async ({ lab: o }) => {
      const [byPrefix, byId] = await Promise.all([get(o.id.slice(0, 12)), get(o.id)]);
      const byName = details[o.name]!;
      fact([byPrefix.status, byId.status], [200, 200], `${o.name}: found by 12-hex prefix and by full id`);
      fact(byName.id, o.id, `${o.name}: by name, the container docker made`);
      fact(byPrefix.body, byName, `${o.name}: by 12-hex prefix, the same container`);
      fact(byId.body, byName, `${o.name}: by full id, the same container`);
    });
  });

  it("a malformed reference gets 400 JSON", async () => {
    for (const base of ["/api/containers/", "/api/networks/"]) {
      for (const ref of ["..%2Fetc", "a;b", "x".repeat(200), "%00", "-rf"]) {
        const reply = await getJson<{ statusCode: number; message: string }>(server!, base + ref);
        fact(
          [reply.status, reply.contentType.startsWith("application/json")],
          [400, true],
          `${base}${ref.slice(0, 12)}`,
        );
        fact(reply.body.statusCode, 400, `${base}${ref.slice(0, 12)}: statusCode in the body`);
      }
    }
  });

  it("an unknown reference gets 404 JSON", async () => {
    for (const url of [`/api/containers/${run.prefix}nosuch`, `/api/networks/${run.prefix}nosuch`]) {
      const reply = await getJson<{ statusCode: number }>(server!, url);
      fact(
        [reply.status, reply.contentType.startsWith("application/json"), reply.body.statusCode],
        [404, true, 404],
        url,
      );
    }
  });

  it("a network is the same by name, prefix or id, and lists its members' endpoints as the engine does", async () => {
    const net = scenario("user-bridge").networks.mynet as LabObject;
    const reply = await getJson<{
      id: string;
      members: Array<{ id: string; ipv4: string; prefixLen: number; mac: string }>;
    }>(server!, `/api/networks/${net.name}`);
    fact(reply.status, 200, "network by name: 200");
    fact(reply.body.id, net.id, "network by name: the network docker made");
    for (const ref of [net.id.slice(0, 12), net.id]) {
      const other = await getJson<unknown>(server!, `/api/networks/${ref}`);
      fact([other.status, other.body], [200, reply.body], `network by ${ref.length}-hex ref: the same network`);
    }
    const engine = world.networks[net.name]!.Containers ?? {};
    fact(
      reply.body.members
        .map((m) => ({ id: m.id, cidr: `${m.ipv4}/${m.prefixLen}`, mac: m.mac }))
        .sort((a, b) => a.id.localeCompare(b.id)),
      Object.entries(engine)
        .map(([id, c]) => ({ id, cidr: c.IPv4Address, mac: c.MacAddress }))
        .sort((a, b) => a.id.localeCompare(b.id)),
      "mynet members as docker network inspect lists them",
    );
  });

  it("health says ok: the engine answers and the kernel is visible", async () => {
    const reply = await getJson<{ status: string; engines: Array<Record<string, unknown>> }>(server!, "/api/health");
    fact(reply.status, 200, "health: 200");
    fact(reply.body.status, "ok", "health: ok");
    const engine = reply.body.engines.find((e) => e.id === "local");
    fact(engine?.reachable, true, "health: engine reachable");
    fact(engine?.version, world.host.engine.version, "health: engine version as docker version says");
    fact(engine?.apiVersion, world.host.engine.apiVersion, "health: API version as docker version says");
    fact(engine?.kernel, { visible: true, reason: null }, "health: kernel visible");
    // The engine says its firewall backend from API 1.49 on; before, iptables is the only one.
    // The kernel's side: the firewall holding a user-defined network's DNS hooks (Docker 28.5
    // with the nftables backend still writes its bridge rules with iptables-nft).
    const [major = 0, minor = 0] = String(engine?.apiVersion).split(".").map(Number);
    const says = major > 1 || minor >= 49;
    const kernel = truth(lab("user-bridge", "web")).dnsFirewall;
    fact(engine?.firewallBackend, says ? kernel : undefined, "health: firewall backend as the DNS hooks show it");
    if (!says) fact(kernel, "iptables", "an engine before API 1.49 wrote its DNS hooks with iptables");
    // The engine matrix names the backend it started the engine with: make sure it is the one tested.
    const asked = /^sid-(iptables|nftables)$/.exec(process.env.NETDIVE_ENGINE_NAME ?? "")?.[1];
    if (asked) fact(kernel, asked, `the ${process.env.NETDIVE_ENGINE_NAME} engine writes its DNS hooks with ${asked}`);
    fact(topology.hosts.local?.hostname, world.host.hostname, "host: hostname");
  });
});
