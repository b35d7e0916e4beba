import type { Container, ContainerDetails, Network, Topology } from "@netdive/model";
import { LAB_IMAGE, cidrs, kernelSource, type InspectedNetwork } from "@netdive/lab";
import { expect } from "vitest";
import { fact, factSet } from "./facts";
import { eth0, hostLinkWithAddress, type ContainerTruth, type HostTruth, type World } from "./truth";

/** What the scenario asked for, where the engine's answer alone would prove nothing. */
export interface Expected {
  networkMode: string;
  netnsOwnerId?: string | null;
  pidnsOwnerId?: string | null;
  compose?: { project: string; service: string } | null;
}

export function containerNamed(topology: Topology, name: string): Container {
  const found = Object.values(topology.containers).filter((c) => c.name === name);
  expect(found, `netdive lists exactly one container named ${name}`).toHaveLength(1);
  return found[0] as Container;
}

export function networkNamed(topology: Topology, name: string): Network {
  const found = Object.values(topology.networks).filter((n) => n.name === name);
  expect(found, `netdive lists exactly one network named ${name}`).toHaveLength(1);
  return found[0] as Network;
}

/** Name, id, state, image, modes, owners, ports, compose labels, hostname, pid. */
export function expectIdentity(c: Container, t: ContainerTruth, want: Expected): void {
  const who = t.lab.name;
  // Docker 20.10 keeps "default" as asked; newer engines store the default bridge as "bridge".
  const kept = want.networkMode === "default" ? ["default", "bridge"] : [want.networkMode];
  expect(kept, `${who}: the engine kept the network mode asked for`).toContain(t.inspect.HostConfig.NetworkMode);
  expect(t.inspect.HostConfig.Privileged, `${who}: lab containers are never privileged`).toBe(false);
  fact(c.id, t.lab.id, `${who}: id is the one docker printed when it made the container`);
  expect(t.inspect.Name, `${who}: docker inspect agrees on the name`).toBe(`/${t.lab.name}`);
  fact(c.name, t.lab.name, `${who}: name`);
  fact(c.engineId, "local", `${who}: engine`);
  fact(c.state, t.inspect.State.Status, `${who}: state`);
  fact(c.image, LAB_IMAGE, `${who}: image as given to docker run`);
  fact(c.networkMode, t.inspect.HostConfig.NetworkMode, `${who}: networkMode as the engine gives it`);
  fact(c.netnsOwnerId, want.netnsOwnerId ?? null, `${who}: netnsOwnerId`);
  fact(c.pidnsOwnerId, want.pidnsOwnerId ?? null, `${who}: pidnsOwnerId`);
  fact(c.pid, t.inspect.State.Pid, `${who}: pid`);
  fact(c.hostname, t.hostname, `${who}: hostname as the kernel gives its UTS namespace`);
  fact(c.composeProject, want.compose?.project ?? null, `${who}: composeProject`);
  fact(c.composeService, want.compose?.service ?? null, `${who}: composeService`);
  fact(c.kernel, { visible: true, reason: null }, `${who}: kernel facts are visible`);
  fact<unknown>(
    c.ports,
    t.ports
      .map((p) => ({ containerPort: p.containerPort, protocol: p.protocol, hostIp: p.hostIp, hostPort: p.hostPort }))
      .sort((a, b) => a.containerPort - b.containerPort || a.hostIp.localeCompare(b.hostIp)),
    `${who}: ports as \`docker port\` lists them`,
  );
}

/**
 * Endpoints: one per network docker inspect lists, keyed by that network's id; the address,
 * prefix and MAC are eth0's in the container's own netns, the gateway its default route's; null
 * without a netns of its own.
 */
export function expectEndpoints(c: Container, t: ContainerTruth, world: World, how: { ownNetns: boolean }): void {
  const who = t.lab.name;
  const networks = Object.entries(t.inspect.NetworkSettings.Networks ?? {});
  factSet(
    Object.keys(c.endpoints),
    networks.map(([name]) => (world.networks[name] as InspectedNetwork).Id),
    `${who}: endpoints are keyed by the ids of the networks docker lists`,
  );
  // A host-mode or joined container's namespace is the host's or the owner's: its eth0 is not its own.
  const eth = how.ownNetns ? eth0(t) : undefined;
  const inet = eth?.addr_info?.find((a) => a.family === "inet");
  for (const [name, ep] of networks) {
    const mine = c.endpoints[(world.networks[name] as InspectedNetwork).Id];
    fact(mine?.networkName, name, `${who}@${name}: networkName`);
    fact(mine?.ipv4, inet?.local ?? null, `${who}@${name}: ipv4 is eth0's address in the netns`);
    fact(mine?.prefixLen, inet?.prefixlen ?? null, `${who}@${name}: prefixLen is eth0's in the netns`);
    fact(mine?.mac, eth?.address?.toLowerCase() ?? null, `${who}@${name}: mac is eth0's in the netns`);
    fact(mine?.gateway, eth ? t.gateway : null, `${who}@${name}: gateway is the netns's default route`);
    fact(mine?.ipv6, null, `${who}@${name}: no global IPv6 (none configured)`);
    factSet(
      mine?.aliases ?? [],
      [...new Set([...(ep.Aliases ?? []), ...(ep.DNSNames ?? [])])],
      `${who}@${name}: aliases as docker inspect lists them`,
    );
  }
}

/**
 * The container's own interfaces exactly as `ip -j -d addr show` in its netns lists them, each
 * veth paired with the host veth whose ifindex is its link_index (and which points back).
 */
export function expectOwnInterfaces(c: Container, t: ContainerTruth, host: HostTruth): void {
  const who = t.lab.name;
  fact(
    c.interfaces.map((i) => i.name),
    t.links.map((l) => l.ifname),
    `${who}: interface names, in the kernel's order`,
  );
  t.links.forEach((link, i) => {
    const mine = c.interfaces[i];
    fact(mine?.ifindex, link.ifindex, `${who}/${link.ifname}: ifindex`);
    fact(mine?.mac, (link.address ?? "").toLowerCase(), `${who}/${link.ifname}: mac`);
    fact(mine?.addresses, cidrs(link), `${who}/${link.ifname}: addresses`);
    const peer =
      link.link_index === undefined
        ? undefined
        : host.links.find((h) => h.ifindex === link.link_index && h.link_index === link.ifindex);
    if (link.ifname === "eth0") expect(peer, `${who}: eth0 has a host veth`).toBeDefined();
    fact(
      mine?.hostPeer,
      peer ? { name: peer.ifname, ifindex: peer.ifindex, bridge: peer.master ?? null } : null,
      `${who}/${link.ifname}: host peer is the veth whose ifindex is its link_index`,
    );
  });
}

/** Host-mode and joined containers: interfaces are the host's or the owner's, never their own. */
export function expectNoOwnInterfaces(c: Container, t: ContainerTruth): void {
  fact(c.interfaces, [], `${t.lab.name}: no interfaces of its own`);
}

/** resolv.conf, /etc/hosts and the DNS hooks of GET /api/containers/:ref, against the container's own. */
export function expectDetails(d: ContainerDetails, t: ContainerTruth): void {
  const who = t.lab.name;
  fact(d.id, t.lab.id, `${who}: details are this container's`);
  fact(d.resolvConf, t.resolvConf, `${who}: resolvConf is the container's /etc/resolv.conf`);
  fact(d.hostsFile, t.hostsFile, `${who}: hostsFile is the container's /etc/hosts`);
  fact(
    d.dnsRules,
    t.dnsHooks.map((h) => ({ proto: h.proto, port: h.port, target: h.target })),
    `${who}: dnsRules are the DOCKER_OUTPUT DNAT rules of its netns`,
  );
  fact(d.unavailable, {}, `${who}: nothing unavailable`);
}

/**
 * A bridge network against docker network inspect, and its bridge against the host: the host
 * interface that holds the gateway address is the bridge netdive names.
 */
export function expectBridgeNetwork(
  n: Network,
  truth: InspectedNetwork,
  world: World,
  want: { isDefault: boolean; composeProject: string | null; runIds: readonly string[] },
): void {
  const who = `network ${truth.Name}`;
  fact(n.id, truth.Id, `${who}: id`);
  fact(n.name, truth.Name, `${who}: name`);
  fact(n.driver, truth.Driver, `${who}: driver`);
  fact(n.scope, truth.Scope, `${who}: scope`);
  fact(n.internal, truth.Internal, `${who}: internal`);
  // The gateway as Docker's IPAM config names it, else (a fresh Docker 20.10 daemon's `bridge`
  // names none) as the kernel has it: the source address of the bridge's own subnet route.
  const bridgeName = want.isDefault ? "docker0" : `br-${truth.Id.slice(0, 12)}`;
  const subnets = (truth.IPAM.Config ?? []).map((c) => {
    const kernel = kernelSource(world.host.routes, bridgeName, c.Subnet ?? "");
    return {
      subnet: c.Subnet,
      gateway: c.Gateway || kernel,
      gatewaySource: c.Gateway ? ("ipam" as const) : kernel ? ("bridge" as const) : null,
    };
  });
  fact<unknown>(n.subnets, subnets, `${who}: subnets`);
  const gateway = subnets[0]?.gateway;
  expect(gateway, `${who}: docker or the kernel gives a gateway`).toBeTruthy();
  const bridge = hostLinkWithAddress(world.host, gateway as string);
  expect(bridge?.linkinfo?.info_kind, `${who}: the host interface holding ${gateway} is a bridge`).toBe("bridge");
  fact(n.bridge, bridge?.ifname, `${who}: bridge is the host interface that holds the gateway address`);
  fact(n.bridge, bridgeName, `${who}: bridge name`);
  fact(n.isDefaultBridge, want.isDefault, `${who}: isDefaultBridge`);
  fact(n.composeProject, want.composeProject, `${who}: composeProject`);
  fact(n.labels, truth.Labels ?? {}, `${who}: labels`);
  fact(n.icc, (truth.Options ?? {})["com.docker.network.bridge.enable_icc"] !== "false", `${who}: icc`);
  expectMembers(n, truth, want.runIds);
}

/** Membership, limited to the run's containers (others may come and go on a shared engine). */
export function expectMembers(n: Network, truth: InspectedNetwork, runIds: readonly string[]): void {
  const ours = (ids: readonly string[]) => ids.filter((id) => runIds.includes(id));
  factSet(ours(n.containerIds), ours(Object.keys(truth.Containers ?? {})), `network ${truth.Name}: members`);
}

/** Whether the container's resolver is Docker's embedded one, read from its resolv.conf. */
export function usesEmbeddedDns(t: ContainerTruth): boolean {
  return /^nameserver 127\.0\.0\.11$/m.test(t.resolvConf);
}
