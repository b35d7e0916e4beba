import type { Container, HostInterface, Network, Topology } from "./topology";

/**
 * Small questions asked of a topology by every view of it (the canvas, the list, the tour), each
 * answered once here so they cannot drift apart.
 */

/** The first IPv4 address in a list of CIDRs, or "". */
export function firstV4(addresses: readonly string[]): string {
  return addresses.find((a) => !a.includes(":")) ?? "";
}

/** The network's IPv4 subnet in CIDR, e.g. "172.17.0.0/16"; "" when it has none. */
export function subnetOf(network: Network): string {
  return network.subnets.find((s) => !s.subnet.includes(":"))?.subnet ?? "";
}

/**
 * The bridge's own address in CIDR: the kernel's when visible (the truth, also when IPAM names no
 * gateway), else the network's gateway with the subnet's prefix, else the subnet itself.
 */
export function bridgeAddress(network: Network, hostInterfaces: readonly HostInterface[]): string {
  const fromKernel = firstV4(hostInterfaces.find((i) => i.name === network.bridge)?.addresses ?? []);
  if (fromKernel) return fromKernel;
  const subnet = network.subnets.find((s) => !s.subnet.includes(":"));
  if (subnet?.gateway) return `${subnet.gateway}/${subnet.subnet.split("/")[1]}`;
  return subnet?.subnet ?? "";
}

/**
 * The network a container is drawn in: the first by name of its bridge networks (or macvlan or
 * ipvlan ones, drawn as rooms too), among those `drawn` allows (all by default). Undefined for
 * host and none modes and for containers on no drawn network.
 */
export function homeNetwork(
  container: Container,
  topology: Topology,
  drawn: (network: Network) => boolean = () => true,
): Network | undefined {
  let home: Network | undefined;
  for (const id of Object.keys(container.endpoints)) {
    const n = topology.networks[id];
    if (!n || (n.bridge === null && !ridesOnParent(n)) || !drawn(n)) continue;
    if (!home || n.name.localeCompare(home.name) < 0) home = n;
  }
  return home;
}

/**
 * Whether a network's containers ride on a host interface (macvlan, ipvlan): their interfaces
 * are children of the parent, with no bridge, veth or NAT between.
 */
export function ridesOnParent(network: Network): boolean {
  return network.parent !== undefined;
}

/** The container's IPv4 address on a network (or on its first endpoint), without prefix; "" when none. */
export function ipOf(container: Container, network?: Network): string {
  const ep = network ? container.endpoints[network.id] : Object.values(container.endpoints).find((e) => e.ipv4);
  if (ep?.ipv4) return ep.ipv4;
  const eth0 = firstV4(container.interfaces.find((i) => i.name === "eth0")?.addresses ?? []);
  return eth0 ? (eth0.split("/")[0] as string) : "";
}

/** Whether the container is up: running, paused or restarting (not created, exited or dead). */
export function isLive(container: Container): boolean {
  return container.state === "running" || container.state === "paused" || container.state === "restarting";
}
