/**
 * Raw inventories: what the collector reads from an engine and a kernel, before netdive makes
 * sense of it. Shapes follow the Engine API and `ip -j -d addr show` field for field (a subset:
 * only what netdive uses), so fixtures recorded from a real engine can be fed to the builder.
 */

/** A subset of `GET /networks` (one element). */
export interface RawNetwork {
  Id: string;
  Name: string;
  Driver: string;
  Scope: string;
  Internal: boolean;
  EnableIPv6?: boolean;
  IPAM?: { Config?: Array<{ Subnet?: string; Gateway?: string }> | null } | null;
  Options?: Record<string, string> | null;
  Labels?: Record<string, string> | null;
}

/** A subset of `GET /containers/{id}/json`; `Config.Env` and `Config.Cmd` are never kept. */
export interface RawContainer {
  Id: string;
  /** With the leading slash, as the engine gives it. */
  Name: string;
  State: { Status: string; Running: boolean; Pid: number };
  Config: {
    Image: string;
    Hostname: string;
    Labels?: Record<string, string> | null;
  };
  HostConfig: {
    NetworkMode?: string;
    PidMode?: string;
    /** The `-p` bindings as asked; a host- or none-mode container's are ignored by the engine. */
    PortBindings?: Record<string, Array<{ HostIp?: string; HostPort?: string }> | null> | null;
  };
  NetworkSettings: {
    Ports?: Record<string, Array<{ HostIp: string; HostPort: string }> | null> | null;
    Networks?: Record<string, RawEndpoint> | null;
  };
}

/** A subset of one `NetworkSettings.Networks` entry. */
export interface RawEndpoint {
  NetworkID: string;
  EndpointID: string;
  Gateway: string;
  IPAddress: string;
  IPPrefixLen: number;
  GlobalIPv6Address?: string;
  GlobalIPv6PrefixLen?: number;
  MacAddress: string;
  Aliases?: string[] | null;
  DNSNames?: string[] | null;
}

/** One element of `ip -j -d addr show` (iproute2). */
export interface IpLink {
  ifindex: number;
  ifname: string;
  /** Peer's ifindex for veth (and the parent for macvlan/vlan), possibly in another netns. */
  link_index?: number;
  /** Present when the peer lives in another network namespace. */
  link_netnsid?: number;
  /** "veth0@if7" style name of the peer, when ip prints it. */
  link?: string;
  flags?: string[];
  mtu: number;
  operstate?: string;
  master?: string;
  link_type?: string;
  address?: string;
  linkinfo?: { info_kind?: string; info_slave_kind?: string; info_data?: { mode?: string } };
  addr_info?: Array<{ family: string; local: string; prefixlen: number }>;
}

/** One element of `ip -j route show default`. */
export interface IpRoute {
  dst: string;
  dev?: string;
  gateway?: string;
}

/** Kernel facts from one network namespace, or the reason they could not be read. */
export type NetnsRead = { ok: true; links: IpLink[] } | { ok: false; reason: string };

/** Everything read from one engine and its host in one collection. */
export interface EngineInventory {
  engine: {
    id: string;
    url: string;
    reachable: boolean;
    /** `docker info` Name: the engine host's hostname. */
    name?: string;
    version?: string;
    apiVersion?: string;
    /** `GET /info` FirewallBackend.Driver (API 1.49+): "iptables" or "nftables". */
    firewallBackend?: string;
    error?: string;
  };
  networks: RawNetwork[];
  containers: RawContainer[];
  /** The host's own namespace. */
  host: { ok: true; links: IpLink[]; defaultRoutes: IpRoute[] } | { ok: false; reason: string };
  /** Kernel reads of each running container that owns its network namespace, by container id. */
  netns: Record<string, NetnsRead>;
}
