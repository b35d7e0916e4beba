import { Type, type Static } from "@sinclair/typebox";
import { Evidence } from "./reach";

/** One `docker-proxy` process: the userland proxy that carries a published port (`-host-ip …`). */
export const ProxyProcess = Type.Object({
  pid: Type.Integer(),
  proto: Type.String(),
  hostIp: Type.String(),
  hostPort: Type.Integer(),
  containerIp: Type.String(),
  containerPort: Type.Integer(),
  /** Its command line as the host's process list shows it. */
  command: Type.String(),
});
export type ProxyProcess = Static<typeof ProxyProcess>;

/** One published port as a path: host address:port → the engine's NAT → container IP:port. */
export const PublishedPath = Type.Object({
  protocol: Type.String(),
  /** The host address it listens on: "0.0.0.0", "127.0.0.1", "::". */
  hostIp: Type.String(),
  hostPort: Type.Integer(),
  /** The container's address the NAT sends it to (from the DNAT rule or the proxy), or null. */
  containerIp: Type.Union([Type.String(), Type.Null()]),
  containerPort: Type.Integer(),
  /**
   * What carries it on this engine: "dnat" (a DNAT rule in the host's nat table, or nft's),
   * "proxy" (a docker-proxy process), "both", or "none" (neither was found).
   */
  mechanism: Type.Union([Type.Literal("dnat"), Type.Literal("proxy"), Type.Literal("both"), Type.Literal("none")]),
  /** The DNAT rule(s) and, for a network's way out, the MASQUERADE. */
  rules: Type.Array(Evidence),
  proxies: Type.Array(ProxyProcess),
});
export type PublishedPath = Static<typeof PublishedPath>;

/** `GET /api/containers/:ref/ports`: a container's published ports with the kernel's evidence. */
export const ContainerPorts = Type.Object({
  id: Type.String(),
  name: Type.String(),
  /** "iptables" or "nftables": the tool the host's rules were read with; null when not read. */
  firewall: Type.Union([Type.Literal("iptables"), Type.Literal("nftables"), Type.Null()]),
  paths: Type.Array(PublishedPath),
  /** Why rules or processes could not be read, keyed "rules" / "proxies". */
  unavailable: Type.Object({ rules: Type.Optional(Type.String()), proxies: Type.Optional(Type.String()) }),
});
export type ContainerPorts = Static<typeof ContainerPorts>;

/** `GET /api/networks/:ref/rules`: the host's rules for a bridge and its NAT line. */
export const NetworkRules = Type.Object({
  id: Type.String(),
  name: Type.String(),
  firewall: Type.Union([Type.Literal("iptables"), Type.Literal("nftables"), Type.Null()]),
  rules: Type.Array(Evidence),
  /** Why the rules could not be read. */
  unavailable: Type.Optional(Type.String()),
});
export type NetworkRules = Static<typeof NetworkRules>;
