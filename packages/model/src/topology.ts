import { Type, type Static, type TSchema } from "@sinclair/typebox";

/**
 * The wire contract (v1): what the server sends and the page draws, as TypeBox schemas with the
 * TypeScript types derived from them (the server declares them as response schemas, the page
 * checks what it receives against them).
 *
 * Maps are keyed by id so that a JSON Patch path such as `/containers/<id>/state` stays valid
 * while other entries come and go. Field names are fixed (docs/api.md); fields may be
 * added, never renamed.
 */

/**
 * Version of this contract: the stream's snapshot carries it, a client may announce its own
 * (`hello`), and a mismatch is answered `incompatible`.
 */
export const PROTOCOL_VERSION = 2;

/**
 * Stream protocols whose recordings this netdive replays: 2 added `touched` to patches, and a
 * protocol 1 patch is a protocol 2 patch without it.
 */
export const REPLAYABLE_PROTOCOLS: readonly number[] = [1, 2];

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
/** A map keyed by id (or engine id, or network id). */
const ById = <T extends TSchema>(schema: T) => Type.Record(Type.String(), schema);

/** Whether kernel facts (interfaces, veth peers, DNS hooks) could be read, and why not. */
export const KernelVisibility = Type.Object({
  visible: Type.Boolean(),
  /** A sentence saying why the facts are not visible from here; null when visible. */
  reason: Nullable(Type.String()),
});
export type KernelVisibility = Static<typeof KernelVisibility>;

/** One Docker engine and whether netdive can reach it. */
export const Engine = Type.Object({
  /** netdive's own name for the engine ("local" for the default one); stable across restarts. */
  id: Type.String(),
  /** The engine host's name (`docker info` Name), or the id while it was never reached. */
  name: Type.String(),
  /** Where netdive talks to it, e.g. `unix:///var/run/docker.sock`. */
  url: Type.String(),
  reachable: Type.Boolean(),
  /** Docker's server version, e.g. "20.10.24+dfsg1". */
  version: Type.Optional(Type.String()),
  /** The Engine API version netdive negotiated with it, e.g. "1.41". */
  apiVersion: Type.Optional(Type.String()),
  /**
   * Where the engine writes its firewall rules (and the embedded DNS's NAT hooks): "iptables" or
   * "nftables", as `GET /info` FirewallBackend.Driver says from Engine API 1.49 (Docker 28) on;
   * absent for older engines, which have only iptables.
   */
  firewallBackend: Type.Optional(Type.String()),
  /** Why the engine is not reachable, as a sentence that says what to do. */
  error: Type.Optional(Type.String()),
});
export type Engine = Static<typeof Engine>;

export const InterfaceKind = Type.Union([
  Type.Literal("bridge"),
  Type.Literal("veth"),
  Type.Literal("physical"),
  Type.Literal("loopback"),
  Type.Literal("vxlan"),
  Type.Literal("other"),
]);
export type InterfaceKind = Static<typeof InterfaceKind>;

/** A network interface in the host's network namespace (from `ip -j -d addr show`). */
export const HostInterface = Type.Object({
  name: Type.String(),
  /** Kernel interface index, unique within the host's network namespace. */
  ifindex: Type.Integer(),
  kind: InterfaceKind,
  /** Link-layer address, lowercase, e.g. "02:42:ac:11:00:02"; "" when the link has none. */
  mac: Type.String(),
  /** Maximum transmission unit in bytes. */
  mtu: Type.Integer(),
  /** Kernel operational state, lowercase: "up", "down", "unknown", "lowerlayerdown", … */
  state: Type.String(),
  /** Addresses in CIDR notation, IPv4 and IPv6, in the kernel's order. */
  addresses: Type.Array(Type.String()),
  /** Name of the bridge this interface is enslaved to, or null. */
  master: Nullable(Type.String()),
  /** True for the interface that carries the host's default route (its "NIC" in the diagram). */
  defaultRoute: Type.Boolean(),
  /** For a veth: ifindex of its peer in the other namespace (`link_index`); else null. */
  peerIfindex: Nullable(Type.Integer()),
});
export type HostInterface = Static<typeof HostInterface>;

/** The Docker host as its kernel sees it. */
export const Host = Type.Object({
  hostname: Type.String(),
  /** The host's network interfaces; empty when `kernel.visible` is false. */
  interfaces: Type.Array(HostInterface),
  /** Whether netdive can read the host's kernel (root on the Docker host), and if not, why. */
  kernel: KernelVisibility,
});
export type Host = Static<typeof Host>;

export const GatewaySource = Nullable(
  Type.Union([Type.Literal("ipam"), Type.Literal("bridge"), Type.Literal("endpoints")]),
);
export type GatewaySource = Static<typeof GatewaySource>;

export const Subnet = Type.Object({
  /** CIDR, e.g. "172.18.0.0/16". */
  subnet: Type.String(),
  /**
   * The bridge's address on it, e.g. "172.18.0.1": from the IPAM config, else (a fresh Docker 20.10
   * daemon's `bridge` names none) the bridge's address in this subnet as the kernel shows it, else
   * the gateway the engine gives the network's endpoints; null when none of them says.
   */
  gateway: Nullable(Type.String()),
  /**
   * Where `gateway` came from: "ipam" (the network's IPAM config), "bridge" (the bridge's own
   * address as the kernel shows it: the IPAM config names none), "endpoints" (the gateway the
   * engine gives the network's endpoints: neither of the others says); null with no gateway.
   */
  gatewaySource: Type.Optional(GatewaySource),
});
export type Subnet = Static<typeof Subnet>;

/** A Docker network. */
export const Network = Type.Object({
  id: Type.String(),
  engineId: Type.String(),
  name: Type.String(),
  /** "bridge", "host", "null", "overlay", "macvlan", … as the engine reports it. */
  driver: Type.String(),
  /** "local", "swarm" or "global". */
  scope: Type.String(),
  /** True when the network has no route to the outside (`--internal`). */
  internal: Type.Boolean(),
  subnets: Type.Array(Subnet),
  /** The host interface of a bridge network ("docker0", "br-<12 hex>"); null for other drivers. */
  bridge: Nullable(Type.String()),
  /**
   * A macvlan or ipvlan network's parent interface on the host (option `parent`), and its mode
   * (`macvlan_mode`, "bridge" unless set; `ipvlan_mode`, "l2" unless set). Absent for other drivers.
   */
  parent: Type.Optional(Nullable(Type.String())),
  mode: Type.Optional(Type.String()),
  /**
   * A bridge's gateway mode per family (Docker 28+, options `…bridge.gateway_mode_ipv4` and
   * `_ipv6`): "nat" (the default), "nat-unprotected", "routed" or "isolated". Absent where the
   * engine does not know the option (before Docker 28 it ignores it: NAT, always).
   */
  gatewayMode: Type.Optional(Type.Object({ ipv4: Type.String(), ipv6: Type.String() })),
  /** Host interfaces allowed to reach the containers directly (`…bridge.trusted_host_interfaces`, Docker 28+). */
  trustedHostInterfaces: Type.Optional(Type.Array(Type.String())),
  /** The compose project that made it (label `com.docker.compose.project`), or null. */
  composeProject: Nullable(Type.String()),
  /** True when containers on it resolve each other by name through 127.0.0.11. */
  embeddedDns: Type.Boolean(),
  /** Containers with a live endpoint on this network (the engine's own membership). */
  containerIds: Type.Array(Type.String()),
  /** True for Docker's default `bridge` network (docker0). */
  isDefaultBridge: Type.Boolean(),
  /** Whether containers on this bridge may talk to each other (`enable_icc`); true elsewhere. */
  icc: Type.Boolean(),
  /** The network's labels (compose puts its project and network name here). */
  labels: Type.Record(Type.String(), Type.String()),
});
export type Network = Static<typeof Network>;

/** A container's attachment to one network (from `NetworkSettings.Networks`). */
export const Endpoint = Type.Object({
  networkName: Type.String(),
  /** IPv4 address without prefix, or null when the container has none (stopped, host mode). */
  ipv4: Nullable(Type.String()),
  /** IPv4 prefix length, or null with `ipv4`. */
  prefixLen: Nullable(Type.Integer()),
  /** MAC address, lowercase, or null when the endpoint has none. */
  mac: Nullable(Type.String()),
  gateway: Nullable(Type.String()),
  /** IPv6 address with its prefix in CIDR notation, or null. */
  ipv6: Nullable(Type.String()),
  /** DNS aliases on this network (compose service names, `--network-alias`). */
  aliases: Type.Array(Type.String()),
});
export type Endpoint = Static<typeof Endpoint>;

export const HostPeer = Type.Object({
  /** The host veth's name, e.g. "veth1a2b3c4". */
  name: Type.String(),
  ifindex: Type.Integer(),
  /** The bridge the host veth is enslaved to, or null. */
  bridge: Nullable(Type.String()),
});
export type HostPeer = Static<typeof HostPeer>;

/** An interface inside the container's network namespace (e.g. `lo`, `eth0`). */
export const ContainerInterface = Type.Object({
  name: Type.String(),
  ifindex: Type.Integer(),
  /** Lowercase MAC; "00:00:00:00:00:00" for lo. */
  mac: Type.String(),
  /** CIDR addresses, IPv4 and IPv6. */
  addresses: Type.Array(Type.String()),
  /** The host end of this interface's veth pair, when both ends point at each other. */
  hostPeer: Nullable(HostPeer),
  /** What the kernel says the link is (`linkinfo.info_kind`): "veth", "macvlan", "ipvlan", …; absent for lo. */
  kind: Type.Optional(Type.String()),
  /** A macvlan's or ipvlan's mode (`info_data.mode`): "bridge", "private", "vepa", "passthru"; "l2", "l3", "l3s". */
  mode: Type.Optional(Type.String()),
  /**
   * A macvlan's or ipvlan's parent: the host interface it rides on (its `link_index` in the
   * host's namespace). Null when the kernel names none that netdive can see.
   */
  parent: Type.Optional(Nullable(Type.Object({ name: Type.String(), ifindex: Type.Integer() }))),
});
export type ContainerInterface = Static<typeof ContainerInterface>;

/** A published port (`-p hostIp:hostPort:containerPort/protocol`), or an exposed one without host side. */
export const Port = Type.Object({
  containerPort: Type.Integer(),
  protocol: Type.Union([Type.Literal("tcp"), Type.Literal("udp"), Type.Literal("sctp")]),
  hostIp: Type.Optional(Type.String()),
  hostPort: Type.Optional(Type.Integer()),
});
export type Port = Static<typeof Port>;

/** A container, running or not. Environment variables and command lines are never included. */
export const Container = Type.Object({
  /** Full 64-hex id. */
  id: Type.String(),
  engineId: Type.String(),
  /** Name without the leading slash. */
  name: Type.String(),
  /** The image as the container was created with it, e.g. "netdive/lab:latest". */
  image: Type.String(),
  /** "created", "running", "paused", "restarting", "removing", "exited" or "dead". */
  state: Type.String(),
  /** `HostConfig.NetworkMode` as given: "default", "bridge", "host", "none", "container:<id>", a network name. */
  networkMode: Type.String(),
  /** Id of the container whose network namespace this one joined (`--network container:X`), or null. */
  netnsOwnerId: Nullable(Type.String()),
  /** Id of the container whose PID namespace this one joined (`--pid container:X`), or null. */
  pidnsOwnerId: Nullable(Type.String()),
  /** Keyed by network id. */
  endpoints: ById(Endpoint),
  /**
   * The interfaces in the container's own network namespace, read from the kernel. Empty for
   * host-mode containers (they use the host's), for containers that joined another's namespace
   * (they use the owner's), for containers that are not running, and when kernel facts are not
   * visible (see `kernel`).
   */
  interfaces: Type.Array(ContainerInterface),
  /** Whether `interfaces` could be read, and if not, why. */
  kernel: KernelVisibility,
  ports: Type.Array(Port),
  /**
   * Ports asked with `-p` that the engine ignores: a host- or none-mode container's
   * HostConfig.PortBindings ("-p 80:80 has no effect in host mode"). Absent when there are none.
   */
  ignoredPorts: Type.Optional(Type.Array(Port)),
  /** The compose project (label `com.docker.compose.project`), or null. */
  composeProject: Nullable(Type.String()),
  /** The compose service (label `com.docker.compose.service`), or null. */
  composeService: Nullable(Type.String()),
  /** The netdive lab scenario that made it (label `io.netdive.scenario`), or null. */
  labScenario: Nullable(Type.String()),
  /** The container's hostname inside its UTS namespace. */
  hostname: Type.String(),
  /** PID of the container's init process on the host; null when not running. */
  pid: Nullable(Type.Integer()),
});
export type Container = Static<typeof Container>;

/** The whole picture of every engine netdive watches. */
export const Topology = Type.Object({
  /** Increases by one on every change that is broadcast; 0 before the first collection. */
  revision: Type.Integer(),
  engines: ById(Engine),
  /** The Docker host behind each engine, keyed by engine id. */
  hosts: ById(Host),
  /** Keyed by the full Docker network id. */
  networks: ById(Network),
  /** Keyed by the full 64-hex container id. */
  containers: ById(Container),
});
export type Topology = Static<typeof Topology>;

/** One DOCKER_OUTPUT DNAT rule: queries to 127.0.0.11:53 go to the resolver's real port. */
export const DnsRule = Type.Object({
  proto: Type.Union([Type.Literal("udp"), Type.Literal("tcp")]),
  port: Type.Literal(53),
  /** Where the kernel sends the query, e.g. "127.0.0.11:35464". */
  target: Type.String(),
});
export type DnsRule = Static<typeof DnsRule>;

/** What `GET /api/containers/:ref` adds to a container: its files and DNS hooks. */
export const ContainerFiles = Type.Object({
  /** /etc/resolv.conf as the container sees it (read through the archive API), or null. */
  resolvConf: Nullable(Type.String()),
  /** /etc/hosts as the container sees it, or null. */
  hostsFile: Nullable(Type.String()),
  /** Embedded-DNS NAT rules in the container's netns, or null when not visible or not used. */
  dnsRules: Nullable(Type.Array(DnsRule)),
  /** Why a null field above is null, keyed by field name. */
  unavailable: Type.Object({
    resolvConf: Type.Optional(Type.String()),
    hostsFile: Type.Optional(Type.String()),
    dnsRules: Type.Optional(Type.String()),
  }),
});
export type ContainerFiles = Static<typeof ContainerFiles>;

/** `GET /api/containers/:ref`: one container with its files and DNS hooks. */
export const ContainerDetails = Type.Composite([Container, ContainerFiles]);
export type ContainerDetails = Static<typeof ContainerDetails>;

/** One member of a network as `GET /api/networks/:ref` lists it. */
export const NetworkMember = Type.Object({
  id: Type.String(),
  name: Type.String(),
  ipv4: Nullable(Type.String()),
  prefixLen: Nullable(Type.Integer()),
  mac: Nullable(Type.String()),
  aliases: Type.Array(Type.String()),
});

/** `GET /api/networks/:ref`: one network with a summary of each member's endpoint. */
export const NetworkDetails = Type.Composite([Network, Type.Object({ members: Type.Array(NetworkMember) })]);
export type NetworkDetails = Static<typeof NetworkDetails>;

/** An empty topology, before anything has been collected. */
export function emptyTopology(): Topology {
  return { revision: 0, engines: {}, hosts: {}, networks: {}, containers: {} };
}
