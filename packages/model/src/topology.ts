/**
 * The wire contract (v1): what the server sends and the page draws.
 *
 * Maps are keyed by id so that a JSON Patch path such as `/containers/<id>/state` stays valid
 * while other entries come and go. Field names are fixed (README.md, "The API"); fields may be
 * added, never renamed.
 */

/** Version of this contract, sent with every stream message. */
export const PROTOCOL_VERSION = 1;

/** The whole picture of every engine netdive watches. */
export interface Topology {
  /** Increases by one on every change that is broadcast; 0 before the first collection. */
  revision: number;
  engines: Record<string, Engine>;
  /** The Docker host behind each engine, keyed by engine id. */
  hosts: Record<string, Host>;
  /** Keyed by the full Docker network id. */
  networks: Record<string, Network>;
  /** Keyed by the full 64-hex container id. */
  containers: Record<string, Container>;
}

/** One Docker engine and whether netdive can reach it. */
export interface Engine {
  /** netdive's own name for the engine ("local" for the default one); stable across restarts. */
  id: string;
  /** The engine host's name (`docker info` Name), or the id while it was never reached. */
  name: string;
  /** Where netdive talks to it, e.g. `unix:///var/run/docker.sock`. */
  url: string;
  reachable: boolean;
  /** Docker's server version, e.g. "20.10.24+dfsg1". */
  version?: string;
  /** The Engine API version netdive negotiated with it, e.g. "1.41". */
  apiVersion?: string;
  /** Why the engine is not reachable, as a sentence that says what to do. */
  error?: string;
}

/** The Docker host as its kernel sees it. */
export interface Host {
  hostname: string;
  /** The host's network interfaces; empty when `kernel.visible` is false. */
  interfaces: HostInterface[];
  /** Whether netdive can read the host's kernel (root on the Docker host), and if not, why. */
  kernel: KernelVisibility;
}

/** Whether kernel facts (interfaces, veth peers, DNS hooks) could be read, and why not. */
export interface KernelVisibility {
  visible: boolean;
  /** A sentence saying why the facts are not visible from here; null when visible. */
  reason: string | null;
}

export type InterfaceKind = "bridge" | "veth" | "physical" | "loopback" | "vxlan" | "other";

/** A network interface in the host's network namespace (from `ip -j -d addr show`). */
export interface HostInterface {
  name: string;
  /** Kernel interface index, unique within the host's network namespace. */
  ifindex: number;
  kind: InterfaceKind;
  /** Link-layer address, lowercase, e.g. "02:42:ac:11:00:02"; "" when the link has none. */
  mac: string;
  /** Maximum transmission unit in bytes. */
  mtu: number;
  /** Kernel operational state, lowercase: "up", "down", "unknown", "lowerlayerdown", … */
  state: string;
  /** Addresses in CIDR notation, IPv4 and IPv6, in the kernel's order. */
  addresses: string[];
  /** Name of the bridge this interface is enslaved to, or null. */
  master: string | null;
  /** True for the interface that carries the host's default route (its "NIC" in the diagram). */
  defaultRoute: boolean;
  /** For a veth: ifindex of its peer in the other namespace (`link_index`); else null. */
  peerIfindex: number | null;
}

/** A Docker network. */
export interface Network {
  id: string;
  engineId: string;
  name: string;
  /** "bridge", "host", "null", "overlay", "macvlan", … as the engine reports it. */
  driver: string;
  /** "local", "swarm" or "global". */
  scope: string;
  /** True when the network has no route to the outside (`--internal`). */
  internal: boolean;
  subnets: Subnet[];
  /** The host interface of a bridge network ("docker0", "br-<12 hex>"); null for other drivers. */
  bridge: string | null;
  /** The compose project that made it (label `com.docker.compose.project`), or null. */
  composeProject: string | null;
  /** True when containers on it resolve each other by name through 127.0.0.11. */
  embeddedDns: boolean;
  /** Containers with a live endpoint on this network (the engine's own membership). */
  containerIds: string[];
  /** True for Docker's default `bridge` network (docker0). */
  isDefaultBridge: boolean;
  /** Whether containers on this bridge may talk to each other (`enable_icc`); true elsewhere. */
  icc: boolean;
  /** The network's labels (compose puts its project and network name here). */
  labels: Record<string, string>;
}

export interface Subnet {
  /** CIDR, e.g. "172.18.0.0/16". */
  subnet: string;
  /**
   * The bridge's address on it, e.g. "172.18.0.1": from the IPAM config, else (a fresh Docker 20.10
   * daemon's `bridge` names none) the bridge's address in this subnet as the kernel shows it, else
   * the gateway the engine gives the network's endpoints; null when none of them says.
   */
  gateway: string | null;
}

/** A container, running or not. Environment variables and command lines are never included. */
export interface Container {
  /** Full 64-hex id. */
  id: string;
  engineId: string;
  /** Name without the leading slash. */
  name: string;
  /** The image as the container was created with it, e.g. "netdive/lab:latest". */
  image: string;
  /** "created", "running", "paused", "restarting", "removing", "exited" or "dead". */
  state: string;
  /** `HostConfig.NetworkMode` as given: "default", "bridge", "host", "none", "container:<id>", a network name. */
  networkMode: string;
  /** Id of the container whose network namespace this one joined (`--network container:X`), or null. */
  netnsOwnerId: string | null;
  /** Id of the container whose PID namespace this one joined (`--pid container:X`), or null. */
  pidnsOwnerId: string | null;
  /** Keyed by network id. */
  endpoints: Record<string, Endpoint>;
  /**
   * The interfaces in the container's own network namespace, read from the kernel. Empty for
   * host-mode containers (they use the host's), for containers that joined another's namespace
   * (they use the owner's), for containers that are not running, and when kernel facts are not
   * visible (see `kernel`).
   */
  interfaces: ContainerInterface[];
  /** Whether `interfaces` could be read, and if not, why. */
  kernel: KernelVisibility;
  ports: Port[];
  /** The compose project (label `com.docker.compose.project`), or null. */
  composeProject: string | null;
  /** The compose service (label `com.docker.compose.service`), or null. */
  composeService: string | null;
  /** The netdive lab scenario that made it (label `io.netdive.scenario`), or null. */
  labScenario: string | null;
  /** The container's hostname inside its UTS namespace. */
  hostname: string;
  /** PID of the container's init process on the host; null when not running. */
  pid: number | null;
}

/** A container's attachment to one network (from `NetworkSettings.Networks`). */
export interface Endpoint {
  networkName: string;
  /** IPv4 address without prefix, or null when the container has none (stopped, host mode). */
  ipv4: string | null;
  /** IPv4 prefix length, or null with `ipv4`. */
  prefixLen: number | null;
  /** MAC address, lowercase, or null when the endpoint has none. */
  mac: string | null;
  gateway: string | null;
  /** IPv6 address with its prefix in CIDR notation, or null. */
  ipv6: string | null;
  /** DNS aliases on this network (compose service names, `--network-alias`). */
  aliases: string[];
}

/** An interface inside the container's network namespace (e.g. `lo`, `eth0`). */
export interface ContainerInterface {
  name: string;
  ifindex: number;
  /** Lowercase MAC; "00:00:00:00:00:00" for lo. */
  mac: string;
  /** CIDR addresses, IPv4 and IPv6. */
  addresses: string[];
  /** The host end of this interface's veth pair, when both ends point at each other. */
  hostPeer: HostPeer | null;
}

export interface HostPeer {
  /** The host veth's name, e.g. "veth1a2b3c4". */
  name: string;
  ifindex: number;
  /** The bridge the host veth is enslaved to, or null. */
  bridge: string | null;
}

/** A published port (`-p hostIp:hostPort:containerPort/protocol`), or an exposed one without host side. */
export interface Port {
  containerPort: number;
  protocol: "tcp" | "udp" | "sctp";
  hostIp?: string;
  hostPort?: number;
}

/** What `GET /api/containers/:ref` adds to a container. */
export interface ContainerDetails extends Container {
  /** /etc/resolv.conf as the container sees it (read through the archive API), or null. */
  resolvConf: string | null;
  /** /etc/hosts as the container sees it, or null. */
  hostsFile: string | null;
  /** Embedded-DNS NAT rules in the container's netns, or null when not visible or not used. */
  dnsRules: DnsRule[] | null;
  /** Why a null field above is null, keyed by field name. */
  unavailable: Partial<Record<"resolvConf" | "hostsFile" | "dnsRules", string>>;
}

/** One DOCKER_OUTPUT DNAT rule: queries to 127.0.0.11:53 go to the resolver's real port. */
export interface DnsRule {
  proto: "udp" | "tcp";
  port: 53;
  /** Where the kernel sends the query, e.g. "127.0.0.11:35464". */
  target: string;
}

/** An empty topology, before anything has been collected. */
export function emptyTopology(): Topology {
  return { revision: 0, engines: {}, hosts: {}, networks: {}, containers: {} };
}
