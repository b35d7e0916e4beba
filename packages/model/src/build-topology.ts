import { LAB_SCENARIO_LABEL } from "./lab";
import type { EngineInventory, IpLink, IpRoute, NetnsRead, RawContainer, RawEndpoint, RawNetwork } from "./inventory";
import { ipv4InSubnet } from "./ipv4";
import { ipv6InSubnet } from "./ipv6";
import type {
  Container,
  ContainerInterface,
  Endpoint,
  HostInterface,
  InterfaceKind,
  KernelVisibility,
  Network,
  Port,
  Subnet,
  Topology,
} from "./topology";

const COMPOSE_PROJECT = "com.docker.compose.project";
const COMPOSE_SERVICE = "com.docker.compose.service";
const BRIDGE_NAME = "com.docker.network.bridge.name";
const DEFAULT_BRIDGE = "com.docker.network.bridge.default_bridge";
const ENABLE_ICC = "com.docker.network.bridge.enable_icc";
const GATEWAY_MODE_IPV4 = "com.docker.network.bridge.gateway_mode_ipv4";
const GATEWAY_MODE_IPV6 = "com.docker.network.bridge.gateway_mode_ipv6";
const TRUSTED_HOST_INTERFACES = "com.docker.network.bridge.trusted_host_interfaces";

const VISIBLE: KernelVisibility = { visible: true, reason: null };

/**
 * Turns raw engine and kernel inventories into a Topology. Pure: the same inventories always give
 * the same topology, so it is tested with JSON recorded from a real engine.
 */
export function buildTopology(inventories: readonly EngineInventory[], revision = 0): Topology {
  const topology: Topology = { revision, engines: {}, hosts: {}, networks: {}, containers: {} };
  for (const inventory of inventories) addEngine(topology, inventory);
  return topology;
}

function addEngine(topology: Topology, inv: EngineInventory): void {
  const engineId = inv.engine.id;
  topology.engines[engineId] = engineOf(inv);
  topology.hosts[engineId] = hostOf(inv);
  const hostLinks = inv.host.ok ? inv.host.links : [];

  const networksByName = new Map<string, Network>();
  for (const raw of inv.networks) {
    const network = toNetwork(raw, engineId, gatewayFinder(raw, hostLinks, inv.containers), inv.engine.apiVersion);
    topology.networks[network.id] = network;
    networksByName.set(network.name, network);
  }

  const resolve = containerResolver(inv.containers);
  const peers = new VethPeers(hostLinks);
  const built = inv.containers.map((raw) =>
    toContainer(raw, engineId, { networksByName, resolve, peers, netns: inv.netns[raw.Id], host: inv.host }),
  );
  // A host veth claimed by two namespaces (an ifindex clash) pairs with neither: never guess.
  for (const container of built) {
    for (const iface of container.interfaces) {
      if (iface.hostPeer && peers.claims(iface.hostPeer.ifindex) > 1) iface.hostPeer = null;
    }
    topology.containers[container.id] = container;
  }

  for (const raw of inv.containers) {
    for (const [name, ep] of Object.entries(raw.NetworkSettings.Networks ?? {})) {
      const network = networkOf(ep, name, topology.networks, networksByName);
      if (network && ep.EndpointID) network.containerIds.push(raw.Id);
    }
  }
  for (const network of Object.values(topology.networks)) network.containerIds.sort();
}

/** The engine's own entry: who it is and whether it answers. */
export function engineOf(inv: EngineInventory): Topology["engines"][string] {
  const engineId = inv.engine.id;
  return {
    id: engineId,
    name: inv.engine.name ?? engineId,
    url: inv.engine.url,
    reachable: inv.engine.reachable,
    ...(inv.engine.version === undefined ? {} : { version: inv.engine.version }),
    ...(inv.engine.apiVersion === undefined ? {} : { apiVersion: inv.engine.apiVersion }),
    ...(inv.engine.firewallBackend === undefined ? {} : { firewallBackend: inv.engine.firewallBackend }),
    ...(inv.engine.error === undefined ? {} : { error: inv.engine.error }),
  };
}

/** The host the engine runs on: its interfaces, as its kernel shows them. */
export function hostOf(inv: EngineInventory): Topology["hosts"][string] {
  const hostLinks = inv.host.ok ? inv.host.links : [];
  return {
    hostname: inv.engine.name ?? "",
    interfaces: inv.host.ok ? hostLinks.map((l) => toHostInterface(l, inv.host.ok ? inv.host.defaultRoutes : [])) : [],
    kernel: inv.host.ok ? VISIBLE : { visible: false, reason: inv.host.reason },
  };
}

/**
 * Where a network's gateway comes from when its IPAM config names none (a fresh Docker 20.10
 * daemon's `bridge` gives only `{"Subnet": "172.17.0.0/16"}`): the bridge's own address in that
 * subnet as the kernel shows it, else the gateway the engine gives the network's endpoints.
 */
export function gatewayFinder(
  raw: RawNetwork,
  hostLinks: readonly IpLink[],
  containers: readonly RawContainer[],
): (subnet: string) => Pick<Subnet, "gateway" | "gatewaySource"> {
  return (subnet) => {
    const bridge = raw.Driver === "bridge" ? bridgeName(raw) : null;
    const link = bridge ? hostLinks.find((l) => l.ifname === bridge) : undefined;
    for (const a of link?.addr_info ?? []) {
      // The bridge's own address in the subnet, IPv4 or IPv6 (a dual-stack network has both).
      const inside =
        a.family === "inet" ? ipv4InSubnet(a.local, subnet) : a.family === "inet6" && ipv6InSubnet(a.local, subnet);
      if (inside) return { gateway: a.local, gatewaySource: "bridge" };
    }
    for (const c of containers) {
      for (const ep of Object.values(c.NetworkSettings.Networks ?? {})) {
        if (ep.NetworkID === raw.Id && ep.Gateway && ipv4InSubnet(ep.Gateway, subnet)) {
          return { gateway: ep.Gateway, gatewaySource: "endpoints" };
        }
      }
    }
    return { gateway: null, gatewaySource: null };
  };
}

function bridgeName(raw: RawNetwork): string {
  return raw.Options?.[BRIDGE_NAME] ?? `br-${raw.Id.slice(0, 12)}`;
}

/** A macvlan or ipvlan network's parent and mode, as Docker's options give them (with Docker's defaults). */
function riding(driver: string, options: Record<string, string>): Pick<Network, "parent" | "mode"> {
  if (driver === "macvlan") return { parent: options.parent ?? null, mode: options.macvlan_mode || "bridge" };
  if (driver === "ipvlan") return { parent: options.parent ?? null, mode: options.ipvlan_mode || "l2" };
  return {};
}

/** Docker 28.0 (Engine API 1.48) first honours a bridge's gateway mode and trusted host interfaces. */
const GATEWAY_MODE_API = [1, 48];

function apiAtLeast(apiVersion: string | undefined, want: readonly number[]): boolean {
  if (!apiVersion) return false;
  const [major = 0, minor = 0] = apiVersion.split(".").map(Number);
  return major > want[0]! || (major === want[0] && minor >= want[1]!);
}

/** A bridge's gateway modes and trusted host interfaces, where the engine honours them. */
function gatewayOf(raw: RawNetwork, options: Record<string, string>, apiVersion?: string): Partial<Network> {
  if (raw.Driver !== "bridge" || !apiAtLeast(apiVersion, GATEWAY_MODE_API)) return {};
  const trusted = (options[TRUSTED_HOST_INTERFACES] ?? "").split(":").filter(Boolean);
  return {
    gatewayMode: { ipv4: options[GATEWAY_MODE_IPV4] || "nat", ipv6: options[GATEWAY_MODE_IPV6] || "nat" },
    ...(trusted.length > 0 ? { trustedHostInterfaces: trusted } : {}),
  };
}

export function toNetwork(
  raw: RawNetwork,
  engineId: string,
  findGateway: (subnet: string) => Pick<Subnet, "gateway" | "gatewaySource">,
  apiVersion?: string,
): Network {
  const options = raw.Options ?? {};
  const labels = raw.Labels ?? {};
  const isBridge = raw.Driver === "bridge";
  const isDefaultBridge = isBridge && options[DEFAULT_BRIDGE] === "true";
  return {
    id: raw.Id,
    engineId,
    name: raw.Name,
    driver: raw.Driver,
    scope: raw.Scope,
    internal: raw.Internal,
    subnets: (raw.IPAM?.Config ?? [])
      .filter((c): c is { Subnet: string; Gateway?: string } => typeof c.Subnet === "string" && c.Subnet !== "")
      .map((c) => ({
        subnet: c.Subnet,
        ...(c.Gateway ? { gateway: c.Gateway, gatewaySource: "ipam" as const } : findGateway(c.Subnet)),
      })),
    bridge: isBridge ? bridgeName(raw) : null,
    ...riding(raw.Driver, options),
    ...gatewayOf(raw, options, apiVersion),
    composeProject: labels[COMPOSE_PROJECT] ?? null,
    // Docker runs its resolver at 127.0.0.11 for every user-defined network; the default
    // bridge, host and none keep the host's resolv.conf.
    embeddedDns: !isDefaultBridge && raw.Driver !== "host" && raw.Driver !== "null",
    containerIds: [],
    isDefaultBridge,
    icc: isBridge ? options[ENABLE_ICC] !== "false" : true,
    labels: { ...labels },
  };
}

export interface ContainerContext {
  networksByName: Map<string, Network>;
  resolve: (ref: string) => string | null;
  peers: VethPeers;
  netns: NetnsRead | undefined;
  host: EngineInventory["host"];
}

export function toContainer(raw: RawContainer, engineId: string, ctx: ContainerContext): Container {
  const networkMode = raw.HostConfig.NetworkMode ?? "default";
  const pidMode = raw.HostConfig.PidMode ?? "";
  const labels = raw.Config.Labels ?? {};
  const netnsOwnerId = joinedOwner(networkMode, ctx.resolve);
  const running = raw.State.Running && raw.State.Pid > 0;

  const endpoints: Record<string, Endpoint> = {};
  for (const [name, ep] of Object.entries(raw.NetworkSettings.Networks ?? {})) {
    const network = ep.NetworkID ? { id: ep.NetworkID } : ctx.networksByName.get(name);
    if (network) endpoints[network.id] = toEndpoint(name, ep);
  }

  let interfaces: ContainerInterface[] = [];
  let kernel: KernelVisibility = VISIBLE;
  if (networkMode.startsWith("container:") || networkMode === "host") {
    // Their interfaces are the owner's or the host's, drawn there; they have none of their own.
  } else if (!running) {
    kernel = { visible: false, reason: "The container is not running, so it has no network namespace." };
  } else if (!ctx.host.ok) {
    kernel = { visible: false, reason: ctx.host.reason };
  } else if (!ctx.netns) {
    kernel = { visible: false, reason: "netdive did not read this container's network namespace." };
  } else if (!ctx.netns.ok) {
    kernel = { visible: false, reason: ctx.netns.reason };
  } else {
    interfaces = ctx.netns.links.map((link) => toContainerInterface(link, ctx.peers));
  }

  return {
    id: raw.Id,
    engineId,
    name: raw.Name.replace(/^\//, ""),
    image: raw.Config.Image,
    state: raw.State.Status,
    networkMode,
    netnsOwnerId,
    pidnsOwnerId: joinedOwner(pidMode, ctx.resolve),
    endpoints,
    interfaces,
    kernel,
    ports: toPorts(raw.NetworkSettings.Ports ?? {}),
    ...ignoredPortsOf(networkMode, raw.HostConfig.PortBindings),
    composeProject: labels[COMPOSE_PROJECT] ?? null,
    composeService: labels[COMPOSE_SERVICE] ?? null,
    labScenario: labels[LAB_SCENARIO_LABEL] ?? null,
    hostname: raw.Config.Hostname,
    pid: running ? raw.State.Pid : null,
  };
}

function toEndpoint(networkName: string, ep: RawEndpoint): Endpoint {
  const ipv4 = ep.IPAddress ? ep.IPAddress : null;
  const ipv6 = ep.GlobalIPv6Address ? `${ep.GlobalIPv6Address}/${ep.GlobalIPv6PrefixLen ?? 64}` : null;
  const aliases = new Set<string>([...(ep.Aliases ?? []), ...(ep.DNSNames ?? [])]);
  return {
    networkName,
    ipv4,
    prefixLen: ipv4 ? ep.IPPrefixLen : null,
    mac: ep.MacAddress ? ep.MacAddress.toLowerCase() : null,
    gateway: ep.Gateway ? ep.Gateway : null,
    ipv6,
    aliases: [...aliases],
  };
}

export function networkOf(
  ep: RawEndpoint,
  name: string,
  byId: Record<string, Network>,
  byName: Map<string, Network>,
): Network | undefined {
  return (ep.NetworkID ? byId[ep.NetworkID] : undefined) ?? byName.get(name);
}

/** `container:<id or name>` -> the full id of that container, when it is on this engine. */
function joinedOwner(mode: string, resolve: (ref: string) => string | null): string | null {
  if (!mode.startsWith("container:")) return null;
  return resolve(mode.slice("container:".length));
}

export function containerResolver(containers: readonly RawContainer[]): (ref: string) => string | null {
  const byName = new Map(containers.map((c) => [c.Name.replace(/^\//, ""), c.Id]));
  return (ref) => {
    const exact = containers.find((c) => c.Id === ref);
    if (exact) return exact.Id;
    const named = byName.get(ref);
    if (named) return named;
    const prefixed = containers.filter((c) => c.Id.startsWith(ref));
    return prefixed.length === 1 && prefixed[0] ? prefixed[0].Id : null;
  };
}

/**
 * `-p` asked of a container whose network mode has no NAT to carry it (host: the container's
 * sockets are the host's; none: nothing to forward to). The engine keeps the bindings in
 * HostConfig.PortBindings and publishes nothing (NetworkSettings.Ports stays empty).
 */
function ignoredPortsOf(
  networkMode: string,
  bindings: RawContainer["HostConfig"]["PortBindings"],
): { ignoredPorts?: Port[] } {
  if (networkMode !== "host" && networkMode !== "none") return {};
  const ports: Port[] = [];
  for (const [key, list] of Object.entries(bindings ?? {})) {
    const [portText, protoText] = key.split("/");
    const containerPort = Number(portText);
    const protocol = protoText === "udp" || protoText === "sctp" ? protoText : "tcp";
    if (!Number.isInteger(containerPort)) continue;
    for (const b of list?.length ? list : [{}]) {
      const hostPort = Number(b.HostPort);
      ports.push({
        containerPort,
        protocol,
        ...(b.HostIp ? { hostIp: b.HostIp } : {}),
        ...(Number.isInteger(hostPort) && hostPort > 0 ? { hostPort } : {}),
      });
    }
  }
  return ports.length > 0 ? { ignoredPorts: ports.sort((x, y) => x.containerPort - y.containerPort) } : {};
}

function toPorts(raw: Record<string, Array<{ HostIp: string; HostPort: string }> | null>): Port[] {
  const ports: Port[] = [];
  for (const [key, bindings] of Object.entries(raw)) {
    const [portText, protoText] = key.split("/");
    const containerPort = Number(portText);
    const protocol = protoText === "udp" || protoText === "sctp" ? protoText : "tcp";
    if (!Number.isInteger(containerPort)) continue;
    if (!bindings || bindings.length === 0) {
      ports.push({ containerPort, protocol });
      continue;
    }
    for (const b of bindings) {
      // A routed bridge (Docker 28 gateway mode) maps no host port: inspect gives HostPort "".
      const hostPort = Number(b.HostPort);
      if (b.HostPort === "" || !Number.isInteger(hostPort) || hostPort <= 0) ports.push({ containerPort, protocol });
      else ports.push({ containerPort, protocol, hostIp: b.HostIp, hostPort });
    }
  }
  return ports.sort(
    (a, b) =>
      a.containerPort - b.containerPort ||
      a.protocol.localeCompare(b.protocol) ||
      (a.hostIp ?? "").localeCompare(b.hostIp ?? ""),
  );
}

function kindOf(link: IpLink): InterfaceKind {
  if (link.link_type === "loopback") return "loopback";
  const kind = link.linkinfo?.info_kind;
  if (kind === "bridge" || kind === "veth" || kind === "vxlan") return kind;
  if (kind === undefined && link.link_type === "ether") return "physical";
  return "other";
}

function addressesOf(link: IpLink): string[] {
  return (link.addr_info ?? []).map((a) => `${a.local}/${a.prefixlen}`);
}

function macOf(link: IpLink): string {
  return link.link_type === "ether" || link.link_type === "loopback" ? (link.address ?? "").toLowerCase() : "";
}

function toHostInterface(link: IpLink, defaultRoutes: readonly IpRoute[]): HostInterface {
  return {
    name: link.ifname,
    ifindex: link.ifindex,
    kind: kindOf(link),
    mac: macOf(link),
    mtu: link.mtu,
    state: (link.operstate ?? "unknown").toLowerCase(),
    addresses: addressesOf(link),
    master: link.master ?? null,
    defaultRoute: defaultRoutes.some((r) => r.dev === link.ifname),
    peerIfindex: kindOf(link) === "veth" ? (link.link_index ?? null) : null,
  };
}

function toContainerInterface(link: IpLink, peers: VethPeers): ContainerInterface {
  const kind = link.linkinfo?.info_kind;
  const rides = kind === "macvlan" || kind === "ipvlan";
  const mode = link.linkinfo?.info_data?.mode;
  return {
    name: link.ifname,
    ifindex: link.ifindex,
    mac: macOf(link),
    addresses: addressesOf(link),
    hostPeer: peers.pair(link),
    ...(kind ? { kind } : {}),
    ...(rides && typeof mode === "string" ? { mode } : {}),
    ...(rides ? { parent: peers.parent(link) } : {}),
  };
}

/**
 * Pairs a container's interface with its host veth only when both ends name each other: the
 * container side's `link_index` is the host veth's ifindex and the host veth's `link_index` is
 * the container side's ifindex. Interface indexes are per namespace, so one side alone could
 * point at an unrelated interface.
 */
export class VethPeers {
  private readonly byIfindex = new Map<number, IpLink>();
  private readonly hostLinks = new Map<number, IpLink>();
  private readonly claimed = new Map<number, number>();

  constructor(hostLinks: readonly IpLink[]) {
    for (const link of hostLinks) {
      this.hostLinks.set(link.ifindex, link);
      if (link.linkinfo?.info_kind === "veth") this.byIfindex.set(link.ifindex, link);
    }
  }

  /**
   * A macvlan's or ipvlan's parent in the host's namespace: the kernel gives its ifindex there
   * (`link_index`, with `link_netnsid` naming the other namespace). Null when no host link has it.
   */
  parent(inner: IpLink): { name: string; ifindex: number } | null {
    if (inner.link_index === undefined || inner.link_netnsid === undefined) return null;
    const host = this.hostLinks.get(inner.link_index);
    return host ? { name: host.ifname, ifindex: host.ifindex } : null;
  }

  pair(inner: IpLink): ContainerInterface["hostPeer"] {
    if (inner.link_index === undefined || inner.link_netnsid === undefined) return null;
    const host = this.byIfindex.get(inner.link_index);
    if (!host || host.link_index !== inner.ifindex) return null;
    this.claimed.set(host.ifindex, (this.claimed.get(host.ifindex) ?? 0) + 1);
    return { name: host.ifname, ifindex: host.ifindex, bridge: host.master ?? null };
  }

  claims(ifindex: number): number {
    return this.claimed.get(ifindex) ?? 0;
  }
}
