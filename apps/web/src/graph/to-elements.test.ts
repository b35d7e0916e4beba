import { readFileSync } from "node:fs";
import { buildTopology, RIDING, withParentNetwork, type EngineInventory } from "@netdive/model";
import { describe, expect, it } from "vitest";
import { messages } from "../i18n";
import { SCENARIOS, scenario } from "./scenarios.test-support";
import { DEFAULT_VIEW, ids, toElements, type EdgeData, type GraphElement, type NodeData } from "./to-elements";

const nodes = (els: GraphElement[]) => els.filter((e) => e.group === "nodes").map((e) => e.data as NodeData);
const edges = (els: GraphElement[]) => els.filter((e) => e.group === "edges").map((e) => e.data as EdgeData);
const node = (els: GraphElement[], id: string) => nodes(els).find((n) => n.id === id);

describe("toElements on every recorded scenario", () => {
  it.each(SCENARIOS)("%s: every edge joins two drawn nodes, every parent exists and comes first", (name) => {
    const els = toElements(scenario(name));
    const seen = new Set<string>();
    for (const n of nodes(els)) {
      if (n.parent) expect(seen.has(n.parent), `${n.id} before its parent ${n.parent}`).toBe(true);
      expect(seen.has(n.id), `duplicate ${n.id}`).toBe(false);
      seen.add(n.id);
    }
    for (const e of edges(els)) {
      expect(seen.has(e.source), `${e.id} source`).toBe(true);
      expect(seen.has(e.target), `${e.id} target`).toBe(true);
    }
    expect(edges(els).some((e) => e.source.startsWith("bridge:") && e.target.startsWith("bridge:"))).toBe(false);
  });

  it("default bridge: docker0 with its address, a veth per container linked to it, eth0 with IP and MAC in each box", () => {
    const t = scenario("default-bridge");
    const els = toElements(t);
    const net = Object.values(t.networks).find((n) => n.name === "bridge")!;
    // The room's words are on its bridge: the network's name, then the bridge and its address.
    expect(node(els, ids.bridge(net.id))?.label).toBe("bridge\ndocker0  172.17.0.1/16");
    expect(node(els, ids.bridge(net.id))?.parent).toBe(ids.room(net.id));
    expect(nodes(els).some((n) => n.kind === "dns")).toBe(false);
    for (const c of Object.values(t.containers)) {
      const eth0 = c.interfaces.find((i) => i.name === "eth0")!;
      const ifNode = node(els, ids.iface(c.id, "eth0"));
      expect(ifNode?.parent).toBe(ids.container(c.id));
      expect(ifNode?.label).toContain(eth0.addresses[0]);
      expect(ifNode?.label).toContain(eth0.mac);
      const veth = ids.veth(c.engineId, eth0.hostPeer!.name);
      expect(node(els, veth)?.parent).toBe(ids.room(net.id));
      expect(edges(els)).toContainEqual(
        expect.objectContaining({ kind: "pair", source: ids.iface(c.id, "eth0"), target: veth }),
      );
      expect(edges(els)).toContainEqual(
        expect.objectContaining({ kind: "master", source: veth, target: ids.bridge(net.id) }),
      );
    }
  });

  it("user-defined bridge: shows the embedded DNS at 127.0.0.11 beside its bridge", () => {
    const t = scenario("user-bridge");
    const net = Object.values(t.networks).find((n) => n.name.endsWith("-mynet"))!;
    const els = toElements(t);
    expect(node(els, ids.dns(net.id))?.label).toBe("embedded DNS\n127.0.0.11");
    expect(edges(els)).toContainEqual(
      expect.objectContaining({ kind: "dns", source: ids.dns(net.id), target: ids.bridge(net.id) }),
    );
  });

  it("compose: containers are grouped under their project, the published port is shown", () => {
    const t = scenario("compose");
    const els = toElements(t);
    const apache = Object.values(t.containers).find((c) => c.composeService === "apache")!;
    const box = node(els, ids.container(apache.id));
    expect(box?.parent).toBe(ids.compose(apache.engineId, apache.composeProject!));
    expect(box?.label).toMatch(/\n127\.0\.0\.1:\d+ → 80\/tcp$/);
  });

  it("host mode: the container sits inside the host box with no IP of its own", () => {
    const t = scenario("host");
    const c = Object.values(t.containers)[0]!;
    const els = toElements(t);
    expect(node(els, ids.container(c.id))).toMatchObject({ kind: "hostmode", parent: ids.host(c.engineId) });
    expect(nodes(els).filter((n) => n.parent === ids.container(c.id))).toEqual([]);
  });

  it("none mode: the box holds only lo and connects to nothing", () => {
    const t = scenario("none");
    const c = Object.values(t.containers)[0]!;
    const els = toElements(t);
    expect(
      nodes(els)
        .filter((n) => n.parent === ids.container(c.id))
        .map((n) => n.id),
    ).toEqual([ids.iface(c.id, "lo")]);
    expect(edges(els).filter((e) => e.source.includes(c.id) || e.target.includes(c.id))).toEqual([]);
  });

  it("joined network namespace: drawn inside the owner's box, with no veth of its own", () => {
    const t = scenario("join-network");
    const joined = Object.values(t.containers).find((c) => c.netnsOwnerId)!;
    const els = toElements(t);
    expect(node(els, ids.container(joined.id))).toMatchObject({
      kind: "joined",
      parent: ids.container(joined.netnsOwnerId!),
    });
    expect(edges(els).filter((e) => e.kind === "pair" && e.source.includes(joined.id))).toEqual([]);
  });

  it("joined PID namespace: a dashed pid link to the owner", () => {
    const t = scenario("join-pid");
    const joined = Object.values(t.containers).find((c) => c.pidnsOwnerId)!;
    expect(edges(toElements(t))).toContainEqual(
      expect.objectContaining({
        kind: "pid",
        source: ids.container(joined.id),
        target: ids.container(joined.pidnsOwnerId!),
      }),
    );
  });

  it("speaks Spanish when asked", () => {
    const t = scenario("user-bridge");
    const net = Object.values(t.networks).find((n) => n.name.endsWith("-mynet"))!;
    expect(node(toElements(t, DEFAULT_VIEW, messages.es), ids.dns(net.id))?.label).toBe("DNS embebido\n127.0.0.11");
  });

  it("filters by name, IP and network; hiding host and none modes hides those containers", () => {
    const t = scenario("user-bridge");
    const web = Object.values(t.containers).find((c) => c.name.endsWith("-web"))!;
    const ip = Object.values(web.endpoints)[0]!.ipv4!;
    for (const filter of ["mynet-web", ip]) {
      const boxes = nodes(toElements(t, { ...DEFAULT_VIEW, filter })).filter((n) => n.kind === "netns");
      expect(boxes.map((b) => b.id)).toEqual([ids.container(web.id)]);
    }
    expect(nodes(toElements(t, { ...DEFAULT_VIEW, filter: "mynet" })).filter((n) => n.kind === "netns")).toHaveLength(
      2,
    );
    const h = scenario("host");
    expect(nodes(toElements(h, { ...DEFAULT_VIEW, showSystem: false })).some((n) => n.kind === "hostmode")).toBe(false);
  });
});

describe("a macvlan or ipvlan network (issue 27)", () => {
  const recorded = () => {
    const url = new URL("../../../../packages/model/test/fixtures/default-bridge.json", import.meta.url);
    return JSON.parse(readFileSync(url, "utf8")) as EngineInventory;
  };

  it("is a room whose bar is the parent it rides on: each eth0 is tied to it, with no veth and no NAT", () => {
    const t = buildTopology([withParentNetwork(recorded(), "macvlan", "bridge")], 1);
    const els = toElements(t);
    const bar = node(els, ids.bridge(RIDING.id));
    expect(bar?.riding).toBe(true);
    expect(bar?.parent).toBe(ids.room(RIDING.id));
    expect(bar?.label).toBe(`${RIDING.name}\nmacvlan on eth9  ${RIDING.subnet}`);
    const members = Object.values(t.containers).filter((c) => c.endpoints[RIDING.id]);
    expect(members.length).toBe(2);
    for (const c of members) {
      // In its network's room, not in the room of containers with no network.
      expect(node(els, ids.container(c.id))?.room).toBe(ids.room(RIDING.id));
      const rides = edges(els).find((e) => e.id === ids.ridesEdge(c.id, "eth0"));
      expect(rides).toMatchObject({ kind: "rides", source: ids.iface(c.id, "eth0"), target: ids.bridge(RIDING.id) });
      expect(edges(els).some((e) => e.kind === "pair" && e.source === ids.iface(c.id, "eth0"))).toBe(false);
    }
    expect(edges(els).some((e) => e.id === ids.natEdge(RIDING.id))).toBe(false);
    // The parent is not the host's NIC here: no line to it.
    expect(edges(els).some((e) => e.id === ids.parentEdge(RIDING.id))).toBe(false);
    // From afar its card says what it rides on where a bridge's names the bridge.
    expect(node(els, ids.roomLabel(ids.room(RIDING.id)))?.card?.split("\n")[1]).toBe(
      `macvlan on eth9  ${RIDING.subnet}`,
    );
  });

  it("rides on the host's NIC: a line to the NIC says so; a mode that is not the default is named", () => {
    const inv = recorded();
    const nic = inv.host.ok
      ? inv.host.links.find((l) => inv.host.ok && inv.host.defaultRoutes.some((r) => r.dev === l.ifname))
      : undefined;
    expect(nic).toBeDefined();
    const t = buildTopology([withParentNetwork(inv, "ipvlan", "l3", nic!.ifname)], 1);
    const els = toElements(t);
    expect(node(els, ids.bridge(RIDING.id))?.label).toContain(`ipvlan l3 on ${nic!.ifname}`);
    const line = edges(els).find((e) => e.id === ids.parentEdge(RIDING.id));
    expect(line).toMatchObject({ kind: "parent", target: ids.nic(t.networks[RIDING.id]!.engineId, nic!.ifname) });
  });
});

describe("a bridge's gateway mode (Docker 28+)", () => {
  const withMode = (api: string, mode: string) => {
    const url = new URL("../../../../packages/model/test/fixtures/user-bridge.json", import.meta.url);
    const inv = JSON.parse(readFileSync(url, "utf8")) as EngineInventory;
    inv.engine.apiVersion = api;
    const net = inv.networks.find((n) => n.Name.endsWith("-mynet"))!;
    net.Options = { ...net.Options, "com.docker.network.bridge.gateway_mode_ipv4": mode };
    const t = buildTopology([inv], 1);
    return { t, net: Object.values(t.networks).find((n) => n.name.endsWith("-mynet"))! };
  };

  it("routed: the bar says so, and the way to the NIC is drawn solid and named, without NAT", () => {
    const { t, net } = withMode("1.48", "routed");
    const els = toElements(t);
    expect(node(els, ids.bridge(net.id))?.label.split("\n")[0]).toBe(`${net.name} (routed)`);
    expect(edges(els).find((e) => e.id === ids.natEdge(net.id))).toMatchObject({
      routed: true,
      label: messages.en.gRouted,
    });
  });

  it("isolated: no way to the NIC at all; on an engine that ignores the option, NAT as ever", () => {
    const { t, net } = withMode("1.48", "isolated");
    const els = toElements(t);
    expect(node(els, ids.bridge(net.id))?.label.split("\n")[0]).toBe(`${net.name} (isolated)`);
    expect(edges(els).some((e) => e.id === ids.natEdge(net.id))).toBe(false);
    const old = withMode("1.41", "isolated");
    const oldEls = toElements(old.t);
    expect(node(oldEls, ids.bridge(old.net.id))?.label.split("\n")[0]).toBe(old.net.name);
    expect(edges(oldEls).find((e) => e.id === ids.natEdge(old.net.id))?.label).toBe("NAT");
  });
});

describe("a dual-stack bridge (issue 27.2)", () => {
  it("says both families: the bar both addresses, each card both of its container's", () => {
    const url = new URL("../../../../packages/model/test/fixtures/user-bridge.json", import.meta.url);
    const inv = JSON.parse(readFileSync(url, "utf8")) as EngineInventory;
    const raw = inv.networks.find((n) => n.Name.endsWith("-mynet"))!;
    raw.IPAM = { Config: [...(raw.IPAM?.Config ?? []), { Subnet: "fd77:1::/64" }] };
    const bridge = raw.Options?.["com.docker.network.bridge.name"] ?? `br-${raw.Id.slice(0, 12)}`;
    const link = inv.host.ok ? inv.host.links.find((l) => l.ifname === bridge) : undefined;
    link!.addr_info = [
      ...(link!.addr_info ?? []),
      { family: "inet6", local: "fd77:1::1", prefixlen: 64 },
      { family: "inet6", local: "fe80::1", prefixlen: 64 },
    ];
    inv.containers.forEach((c, k) => {
      const ep = Object.values(c.NetworkSettings.Networks ?? {}).find((e) => e.NetworkID === raw.Id);
      if (ep) Object.assign(ep, { GlobalIPv6Address: `fd77:1::${k + 2}`, GlobalIPv6PrefixLen: 64 });
    });
    const t = buildTopology([inv], 1);
    const els = toElements(t);
    const bar = node(els, ids.bridge(raw.Id))!;
    expect(bar.label.split("\n")[1]).toMatch(/^br-\S+ {2}\d+\.\d+\.\d+\.\d+\/\d+ {2}fd77:1::1\/64$/);
    const members = Object.values(t.containers).filter((c) => c.endpoints[raw.Id]);
    expect(members.length).toBe(2);
    for (const c of members) {
      const card = node(els, ids.container(c.id))!.card!.split("\n");
      expect(card).toContain(c.endpoints[raw.Id]!.ipv4);
      expect(card).toContain(c.endpoints[raw.Id]!.ipv6!.split("/")[0]);
    }
  });
});
