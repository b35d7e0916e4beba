import { Type, type Static } from "@sinclair/typebox";
import { Ref } from "./common";

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
  "blocked-by-rule",
  "allowed-by-rule",
  "shared-parent",
  "parent-host",
  "parent-private",
  "parent-vepa",
  "parent-apart",
  "gateway-isolated",
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

/** What a firewall rule is evidence of. */
export const EvidenceAbout = literals([
  "isolation",
  "icc",
  "internal",
  "user",
  "accept",
  "policy",
  "masquerade",
  "dnat",
  "dns",
  /** A rule with a match netdive cannot evaluate, on which the answer hangs (see `note`). */
  "unevaluated",
] as const);
export type EvidenceAbout = Static<typeof EvidenceAbout>;

/** One firewall rule (or a chain's policy) that decides, or carries, what an answer says. */
export const Evidence = Type.Object({
  /** iptables' table ("filter", "nat", "raw"), or nft's "<family> <table>" ("ip docker-bridges"). */
  table: Type.String(),
  chain: Type.String(),
  /** The rule as the tool prints it (`-A DOCKER-USER -s … -j DROP`), or "policy DROP" for a chain's policy. */
  rule: Type.String(),
  /** "ACCEPT", "DROP", "DNAT", "MASQUERADE", …; absent for a rule that only jumps. */
  verdict: Type.Optional(Type.String()),
  about: EvidenceAbout,
  /** "host": the host's tables; "container": the sending container's own namespace (the DNS hooks). */
  where: Type.Union([Type.Literal("host"), Type.Literal("container")]),
  /** A sentence on what this rule means for the answer, where the rule alone does not say it. */
  note: Type.Optional(Type.String()),
});
export type Evidence = Static<typeof Evidence>;

/** `GET /api/reach`: can `from` reach `to` by IP and by name, and why. */
export const ReachAnswer = Type.Object({
  from: Named,
  to: Named,
  ip: IpAnswer,
  dns: DnsAnswer,
  /**
   * The firewall rules behind the answer, read from the host when asked: the rule that decides
   * the IP answer first. Absent when they were not read (see `evidenceUnavailable`).
   */
  evidence: Type.Optional(Type.Array(Evidence)),
  /** Why the rules could not be read (not root, a remote engine, a replay). */
  evidenceUnavailable: Type.Optional(Type.String()),
  /**
   * Where the IP answer hangs on rules netdive cannot evaluate (an ipset, a source port…): one
   * sentence each, saying which rule and what the answer would be if it matched.
   */
  caveats: Type.Optional(Type.Array(Type.String())),
});
export type ReachAnswer = Static<typeof ReachAnswer>;

/** `GET /api/reach`'s query: two containers (refs), and the language of the reasons. */
export const ReachQuery = Type.Object(
  {
    from: Ref,
    to: Ref,
    /** The language of the reasons; the Accept-Language header when absent. */
    lang: Type.Optional(Type.Union([Type.Literal("en"), Type.Literal("es")])),
  },
  { additionalProperties: false },
);
export type ReachQuery = Static<typeof ReachQuery>;
