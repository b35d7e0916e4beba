import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildTopology } from "./build-topology";
import type { EngineInventory, RawContainer } from "./inventory";
import type { Container, Topology } from "./topology";

/** Inventories recorded from a real engine (packages/lab/scripts/record-fixtures.ts). */
function fixture(name: string): EngineInventory {
  return JSON.parse(readFileSync(new URL(`../test/fixtures/${name}.json`, import.meta.url), "utf8")) as EngineInventory;
}

function byName(topology: Topology, suffix: string): Container {
  const found = Object.values(topology.containers).find((c) => c.name.endsWith(suffix));
  if (!found) throw new Error(`no container *${suffix}`);
  return found;
}

function raw(inv: EngineInventory, suffix: string): RawContainer {
  const found = inv.containers.find((c) => c.Name.endsWith(suffix));
  if (!found) throw new Error(`no raw container *${suffix}`);
  return found;
}

describe("buildTopology on recorded scenarios", () => {
  it("default bridge: each container's eth0 pairs with a docker0 veth, and there is no embedded DNS", () => {
    const inv = fixture("default-bridge");
    const t = buildTopology([inv]);
    const bridge = Object.values(t.networks).find((n) => n.name === "bridge");
    expect(bridge).toMatchObject({ bridge: "docker0", isDefaultBridge: true, embeddedDns: false, driver: "bridge" });
    for (const suffix of ["bridge-web", "bridge-db"]) {
      const c = byName(t, suffix);
      const r = raw(inv, suffix);
      const ep = r.NetworkSettings.Networks?.bridge;
      expect(c.endpoints[bridge!.id]).toMatchObject({
        ipv4: ep?.IPAddress,
        prefixLen: ep?.IPPrefixLen,
        mac: ep?.MacAddress,
        gateway: ep?.Gateway,
      });
      const eth0 = c.interfaces.find((i) => i.name === "eth0");
      const inner = (inv.netns[c.id] as { links: Array<{ ifname: string; link_index?: number }> }).links.find(
        (l) => l.ifname === "eth0",
      );
      const hostVeth = inv.host.ok ? inv.host.links.find((l) => l.ifindex === inner?.link_index) : undefined;
      expect(eth0?.hostPeer).toEqual({ name: hostVeth?.ifname, ifindex: hostVeth?.ifindex, bridge: "docker0" });
      expect(bridge!.containerIds).toContain(c.id);
    }
  });

  describe("a default bridge whose IPAM config names no gateway (a fresh Docker 20.10 daemon's)", () => {
    /** The recorded default bridge with `Gateway` taken out of its IPAM config, as that engine gives it. */
    function withoutIpamGateway(): EngineInventory {
      const inv = fixture("default-bridge");
      for (const n of inv.networks) for (const c of n.IPAM?.Config ?? []) delete c.Gateway;
      return inv;
    }
    const bridgeOf = (t: Topology) => Object.values(t.networks).find((n) => n.name === "bridge")!;

    it("takes the gateway from docker0's address in the subnet, as the kernel shows it", () => {
      const inv = withoutIpamGateway();
      const docker0 = inv.host.ok ? inv.host.links.find((l) => l.ifname === "docker0") : undefined;
      const kernel = docker0?.addr_info?.find((a) => a.family === "inet")?.local;
      expect(kernel, "the recording has docker0's address").toBeTruthy();
      // Endpoints say something else, so the test tells the kernel's answer from theirs.
      for (const c of inv.containers) for (const ep of Object.values(c.NetworkSettings.Networks ?? {})) ep.Gateway = "";
      expect(bridgeOf(buildTopology([inv])).subnets).toEqual([
        { subnet: "172.17.0.0/16", gateway: kernel, gatewaySource: "bridge" },
      ]);
    });

    it("without the kernel, takes the gateway the engine gives the network's endpoints", () => {
      const inv = withoutIpamGateway();
      inv.host = { ok: false, reason: "netdive is not running as root." };
      const ep = raw(inv, "bridge-web").NetworkSettings.Networks?.bridge;
      expect(bridgeOf(buildTopology([inv])).subnets[0]).toMatchObject({
        gateway: ep?.Gateway,
        gatewaySource: "endpoints",
      });
    });

    it("a dual-stack bridge: the IPv6 gateway is docker0's own address in the IPv6 subnet too", () => {
      const inv = withoutIpamGateway();
      const docker0 = inv.host.ok ? inv.host.links.find((l) => l.ifname === "docker0") : undefined;
      // As `ip -j addr` shows a bridge of `--ipv6 --subnet fd77:1::/64`: its link-local address first.
      docker0!.addr_info = [
        ...(docker0!.addr_info ?? []),
        { family: "inet6", local: "fe80::42:acff:fe11:1", prefixlen: 64 },
        { family: "inet6", local: "fd77:1::1", prefixlen: 64 },
      ];
      inv.networks.find((n) => n.Name === "bridge")!.IPAM!.Config!.push({ Subnet: "fd77:1::/64" });
      expect(bridgeOf(buildTopology([inv])).subnets[1]).toEqual({
        subnet: "fd77:1::/64",
        gateway: "fd77:1::1",
        gatewaySource: "bridge",
      });
    });

    it("says null when neither the kernel nor an endpoint names one: never a guess like .1", () => {
      const inv = withoutIpamGateway();
      inv.host = { ok: false, reason: "netdive is not running as root." };
      inv.containers = [];
      expect(bridgeOf(buildTopology([inv])).subnets[0]).toMatchObject({ gateway: null, gatewaySource: null });
    });
  });

  it("user-defined bridge: br-<12 hex> with the embedded DNS, members listed, names as aliases", () => {
    const inv = fixture("user-bridge");
    const t = buildTopology([inv]);
    const net = Object.values(t.networks).find((n) => n.name.endsWith("-mynet"))!;
    expect(net.bridge).toBe(`br-${net.id.slice(0, 12)}`);
    expect(net.embeddedDns).toBe(true);
    const rawNet = inv.networks.find((n) => n.Id === net.id);
    expect(net.subnets).toEqual([
      { subnet: rawNet?.IPAM?.Config?.[0]?.Subnet, gateway: rawNet?.IPAM?.Config?.[0]?.Gateway, gatewaySource: "ipam" },
    ]);
    const prefix = net.subnets[0]?.subnet.split("/")[1];
    expect(net.containerIds.map((id) => t.containers[id]?.name.split("-").pop()).sort()).toEqual(["db", "web"]);
    const web = byName(t, "mynet-web");
    expect(web.interfaces.map((i) => i.name)).toEqual(["lo", "eth0"]);
    expect(web.interfaces[1]?.hostPeer?.bridge).toBe(net.bridge);
    expect(web.interfaces[1]?.addresses).toContain(`${web.endpoints[net.id]?.ipv4}/${prefix}`);
  });

  it("compose: the project comes from labels on the network and the containers, service names are aliases", () => {
    const t = buildTopology([fixture("compose")]);
    const net = Object.values(t.networks).find((n) => n.name.endsWith("_default"))!;
    const project = net.name.replace(/_default$/, "");
    expect(net.composeProject).toBe(project);
    const apache = byName(t, "apache");
    expect(apache.composeProject).toBe(project);
    expect(apache.composeService).toBe("apache");
    expect(apache.endpoints[net.id]?.aliases).toContain("apache");
    expect(apache.ports).toContainEqual({
      containerPort: 80,
      protocol: "tcp",
      hostIp: "127.0.0.1",
      hostPort: expect.any(Number),
    });
  });

  it("host mode: no interfaces of its own and no IP", () => {
    const t = buildTopology([fixture("host")]);
    const c = byName(t, "host-tools");
    expect(c.networkMode).toBe("host");
    expect(c.interfaces).toEqual([]);
    expect(Object.values(c.endpoints).every((e) => e.ipv4 === null)).toBe(true);
  });

  it.each(["host", "none"])("%s mode: -p is kept as asked and ignored, never as published", (mode) => {
    const inv = structuredClone(fixture(mode));
    const r = raw(inv, `${mode}-tools`);
    r.HostConfig.PortBindings = { "80/tcp": [{ HostIp: "", HostPort: "9999" }], "53/udp": null };
    r.NetworkSettings.Ports = {};
    const c = byName(buildTopology([inv]), `${mode}-tools`);
    expect(c.ports).toEqual([]);
    expect(c.ignoredPorts).toEqual([
      { containerPort: 53, protocol: "udp" },
      { containerPort: 80, protocol: "tcp", hostPort: 9999 },
    ]);
  });

  it("a bridge container's -p is published, not ignored", () => {
    const c = byName(buildTopology([fixture("user-bridge")]), "mynet-web");
    expect(c.ignoredPorts).toBeUndefined();
  });

  it('a port a routed bridge maps to no host port (HostPort "") is exposed, not published on port 0', () => {
    const inv = structuredClone(fixture("user-bridge"));
    const web = raw(inv, "mynet-web");
    web.NetworkSettings.Ports = {
      "80/tcp": [{ HostIp: "", HostPort: "" }],
      "443/tcp": [{ HostIp: "0.0.0.0", HostPort: "8443" }],
    };
    const c = byName(buildTopology([inv]), "mynet-web");
    expect(c.ports).toEqual([
      { containerPort: 80, protocol: "tcp" },
      { containerPort: 443, protocol: "tcp", hostIp: "0.0.0.0", hostPort: 8443 },
    ]);
  });

  it("none mode: only lo", () => {
    const t = buildTopology([fixture("none")]);
    const c = byName(t, "none-tools");
    expect(c.interfaces.map((i) => i.name)).toEqual(["lo"]);
    expect(c.interfaces[0]?.hostPeer).toBeNull();
  });

  it("joined network namespace: no interfaces of its own, names its owner by full id", () => {
    for (const name of ["join-network", "join-both"]) {
      const inv = fixture(name);
      const t = buildTopology([inv]);
      const joined = Object.values(t.containers).find((c) => c.networkMode.startsWith("container:"))!;
      const ownerId = joined.networkMode.slice("container:".length);
      expect(t.containers[ownerId]).toBeDefined();
      expect(joined.netnsOwnerId).toBe(ownerId);
      expect(joined.interfaces).toEqual([]);
      expect(joined.endpoints).toEqual({});
    }
  });

  it("joined PID namespace: pidnsOwnerId set, own network untouched", () => {
    const t = buildTopology([fixture("join-pid")]);
    const joined = Object.values(t.containers).find((c) => c.pidnsOwnerId !== null)!;
    expect(t.containers[joined.pidnsOwnerId!]).toBeDefined();
    expect(joined.netnsOwnerId).toBeNull();
    expect(joined.interfaces.map((i) => i.name)).toContain("eth0");
  });

  it("both joins: owner of both namespaces is the same container", () => {
    const t = buildTopology([fixture("join-both")]);
    const joined = Object.values(t.containers).find((c) => c.pidnsOwnerId !== null)!;
    expect(joined.netnsOwnerId).toBe(joined.pidnsOwnerId);
  });

  it("never pairs a veth whose other end does not point back (ifindexes are per namespace)", () => {
    const inv = fixture("default-bridge");
    if (!inv.host.ok) throw new Error("fixture has no host");
    // Point each host veth's peer somewhere else: the container side alone must not pair.
    const tampered: EngineInventory = {
      ...inv,
      host: {
        ...inv.host,
        links: inv.host.links.map((l) => (l.linkinfo?.info_kind === "veth" ? { ...l, link_index: 9999 } : l)),
      },
    };
    const t = buildTopology([tampered]);
    for (const c of Object.values(t.containers)) for (const i of c.interfaces) expect(i.hostPeer).toBeNull();
  });

  it("marks kernel facts not visible, with the reason, when the host could not be read", () => {
    const inv = fixture("user-bridge");
    const reason = "netdive is not running as root.";
    const t = buildTopology([{ ...inv, host: { ok: false, reason }, netns: {} }]);
    expect(t.hosts[inv.engine.id]?.kernel).toEqual({ visible: false, reason });
    for (const c of Object.values(t.containers)) {
      expect(c.interfaces).toEqual([]);
      expect(c.kernel).toEqual({ visible: false, reason });
    }
  });

  it("is pure: the same inventory gives the same topology", () => {
    const inv = fixture("compose");
    expect(buildTopology([inv], 3)).toEqual(buildTopology([structuredClone(inv)], 3));
  });
});
