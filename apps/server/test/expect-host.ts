import type { HostInterface, InterfaceKind, Topology } from "@netdive/model";
import { cidrs, type IpLinkJson } from "@netdive/lab";
import { expect } from "vitest";
import { fact } from "./facts";
import { eth0, type World } from "./truth";

/**
 * The host interfaces a reader of the run's picture needs: lo, the default-route NIC, docker0, the
 * run's bridges, and the host end of each run container's eth0, each as `ip -j -d addr show`
 * lists it. Kinds and peers are expected from the interface's role, not from netdive's rules.
 */
export function expectHostInterfaces(topology: Topology, world: World): void {
  const reported = topology.hosts.local?.interfaces ?? [];
  const want = new Map<string, { kind: InterfaceKind | null; peerIfindex: number | null }>();
  want.set("lo", { kind: "loopback", peerIfindex: null });
  for (const dev of world.host.defaultRouteDevices) want.set(dev, { kind: null, peerIfindex: null });
  for (const n of Object.values(world.networks)) {
    if (n.Driver !== "bridge") continue;
    want.set(n.Options?.["com.docker.network.bridge.name"] ?? `br-${n.Id.slice(0, 12)}`, {
      kind: "bridge",
      peerIfindex: null,
    });
  }
  for (const t of Object.values(world.containers)) {
    const eth = eth0(t);
    if (!eth || t.netns === world.host.netns || t.inspect.HostConfig.NetworkMode.startsWith("container:")) continue;
    const veth = world.host.links.find((l) => l.ifindex === eth.link_index);
    expect(veth, `${t.lab.name}: the host has the veth eth0 points at`).toBeDefined();
    want.set((veth as IpLinkJson).ifname, { kind: "veth", peerIfindex: eth.ifindex });
  }
  expect(want.size, "lo, a NIC, docker0, the run's bridges and veths").toBeGreaterThan(10);

  for (const [name, role] of want) {
    const truth = world.host.links.find((l) => l.ifname === name);
    expect(truth, `ip -j lists ${name}`).toBeDefined();
    const link = truth as IpLinkJson;
    const mine = reported.find((i) => i.name === name);
    fact(mine?.name, name, `host ${name}: reported`);
    const i = mine as HostInterface;
    fact(i.ifindex, link.ifindex, `host ${name}: ifindex`);
    fact(i.kind, role.kind ?? nicKind(link), `host ${name}: kind`);
    fact(i.mac, (link.address ?? "").toLowerCase(), `host ${name}: mac`);
    fact(i.mtu, link.mtu, `host ${name}: mtu`);
    fact(i.state, (link.operstate ?? "unknown").toLowerCase(), `host ${name}: state`);
    fact(i.addresses, cidrs(link), `host ${name}: addresses`);
    fact(i.master, link.master ?? null, `host ${name}: master`);
    fact(i.defaultRoute, world.host.defaultRouteDevices.includes(name), `host ${name}: defaultRoute`);
    fact(i.peerIfindex, role.peerIfindex, `host ${name}: peerIfindex is its container's eth0 ifindex`);
  }
}

/** The default-route NIC: a real device has no link kind; a virtual one names its kind. */
function nicKind(link: IpLinkJson): InterfaceKind {
  const kind = link.linkinfo?.info_kind;
  if (kind === undefined) return link.link_type === "ether" ? "physical" : "other";
  return kind === "bridge" || kind === "veth" || kind === "vxlan" ? kind : "other";
}
