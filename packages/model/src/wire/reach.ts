import { Type, type Static } from "@sinclair/typebox";

/** One of a list of strings, as a schema whose type is the list's union. */
const literals = <T extends string>(values: readonly T[]) =>
  Type.Unsafe<T>(Type.Union(values.map((v) => Type.Literal(v))));

const IP_CODES = [
  "from-missing",
  "to-missing",
  "from-stopped",
  "to-stopped",
  "same-netns",
  "from-none",
  "to-none",
  "both-host",
  "from-host",
  "to-host",
  "shared-network",
  "icc-off",
  "internal",
  "isolated",
] as const;

const DNS_CODES = [
  "from-missing",
  "to-missing",
  "from-stopped",
  "to-stopped",
  "from-none",
  "from-host",
  "default-bridge",
  "to-joined",
  "to-no-endpoint",
  "embedded-dns",
  "not-on-shared-network",
] as const;

/** Why an IP answer is what it is. */
export const IpCode = literals(IP_CODES);
export type IpCode = (typeof IP_CODES)[number];

/** Why a DNS answer is what it is. */
export const DnsCode = literals(DNS_CODES);
export type DnsCode = (typeof DNS_CODES)[number];

/** How a packet from A gets to B. */
export const ReachVia = Type.Object({
  /** `netns`: both share one namespace; `network`: a shared bridge; `host`: through the host's own stack. */
  kind: Type.Union([Type.Literal("netns"), Type.Literal("network"), Type.Literal("host")]),
  /** The network the packet crosses (a shared one, or the one whose gateway leads to the host); null otherwise. */
  networkId: Type.Union([Type.String(), Type.Null()]),
  /** The address A sends to. */
  address: Type.String(),
});
export type ReachVia = Static<typeof ReachVia>;

export const IpAnswer = Type.Object({
  reachable: Type.Boolean(),
  code: IpCode,
  /** A sentence a student understands, in the asked language. */
  reason: Type.String(),
  via: Type.Union([ReachVia, Type.Null()]),
});
export type IpAnswer = Static<typeof IpAnswer>;

export const DnsAnswer = Type.Object({
  resolves: Type.Boolean(),
  code: DnsCode,
  reason: Type.String(),
  /** What B's name resolves to from A (the first shared network's address), or null. */
  address: Type.Union([Type.String(), Type.Null()]),
  /** Every address B's name may resolve to from A (one per shared network with embedded DNS). */
  addresses: Type.Array(Type.String()),
  /** The names that resolve from A: the container name, then its aliases on the shared networks. */
  names: Type.Array(Type.String()),
});
export type DnsAnswer = Static<typeof DnsAnswer>;

const Named = Type.Object({ id: Type.String(), name: Type.String() });

/** `GET /api/reach`: can `from` reach `to` by IP and by name, and why. */
export const ReachAnswer = Type.Object({ from: Named, to: Named, ip: IpAnswer, dns: DnsAnswer });
export type ReachAnswer = Static<typeof ReachAnswer>;
