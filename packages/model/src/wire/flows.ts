import { Type, type Static } from "@sinclair/typebox";

/**
 * Who is talking now (`--flows`): connections seen in the last window, between containers and
 * from containers to the host or the outside, with the kernel's lines each one came from.
 */

/** One end of a flow: a container, the Docker host itself, or "outside" through one NIC. */
export const FlowPeer = Type.Union([
  Type.Object({ kind: Type.Literal("container"), containerId: Type.String() }),
  /** The host's own processes (a bridge gateway address, the userland proxy, a host-mode container). */
  Type.Object({
    kind: Type.Literal("host"),
    /** The host interface that holds the address ("br-…", "docker0", "eth0"), when known. */
    interface: Type.Optional(Type.String()),
  }),
  Type.Object({
    kind: Type.Literal("outside"),
    /** The host NIC the traffic crossed (its NAT address, else the default route's); null when unknown. */
    nic: Type.Union([Type.String(), Type.Null()]),
    /** The remote address: only with `--flows=addresses`, never by default. */
    address: Type.Optional(Type.String()),
  }),
]);
export type FlowPeer = Static<typeof FlowPeer>;

/** One kernel line behind a flow: a conntrack entry of the host, or a socket row of a container. */
export const FlowEvidence = Type.Object({
  /** `conntrack`: the host's /proc/net/nf_conntrack; `socket`: a container's /proc/net/tcp, tcp6 or udp. */
  source: Type.Union([Type.Literal("conntrack"), Type.Literal("socket")]),
  /** Which table: "nf_conntrack", or the container's name and "tcp6". */
  table: Type.String(),
  /** The line as the kernel wrote it (a socket row is followed by its addresses decoded). */
  line: Type.String(),
  protocol: Type.String(),
  /** TCP state ("ESTABLISHED", "TIME_WAIT"), "LISTEN"… or null (UDP, ICMP). */
  state: Type.Union([Type.String(), Type.Null()]),
  /** Packets and bytes both ways, when conntrack accounting is on (nf_conntrack_acct=1); else absent. */
  packets: Type.Optional(Type.Integer()),
  bytes: Type.Optional(Type.Integer()),
});
export type FlowEvidence = Static<typeof FlowEvidence>;

/** Connections between the same two peers to the same service port, taken together. */
export const Flow = Type.Object({
  /** Stable while the flow lasts: engine, protocol, both peers and the port. */
  id: Type.String(),
  engineId: Type.String(),
  protocol: Type.Union([Type.Literal("tcp"), Type.Literal("udp"), Type.Literal("icmp")]),
  /** The service port: the listener's side, after the NAT of a published port; null for ICMP. */
  port: Type.Union([Type.Integer(), Type.Null()]),
  /** The side that opened the connections. */
  client: FlowPeer,
  /** The side that answered (the listener). */
  server: FlowPeer,
  /** `open`: a connection is established now; `ended`: every connection has closed within the window. */
  status: Type.Union([Type.Literal("open"), Type.Literal("ended")]),
  /** Milliseconds from its last packet (as the kernel's timers say) to the read; 0 while open. */
  idleMs: Type.Integer(),
  /** How many connections (conntrack entries, else socket rows) it stands for. */
  connections: Type.Integer(),
  /** The lines it came from, at most a few per source. */
  evidence: Type.Array(FlowEvidence),
});
export type Flow = Static<typeof Flow>;

/** An engine whose flows could not be read, and why. */
export const FlowsUnavailable = Type.Object({ engineId: Type.String(), reason: Type.String() });

/** What one engine's flows were read from. */
export const FlowSources = Type.Object({
  engineId: Type.String(),
  /** Whether the host's conntrack table was read. */
  conntrack: Type.Boolean(),
  /** Why the containers' socket tables were read, or why not (br_netfilter on: conntrack sees inside bridges). */
  sockets: Type.String(),
});

/** `GET /api/flows`, and the stream's `flows` message without its type. */
export const FlowsAnswer = Type.Object({
  /** Seconds a flow stays on the picture after its last packet (`--flows-window`). */
  windowSeconds: Type.Integer(),
  /** When the kernel was read (ISO 8601). */
  readAt: Type.String(),
  flows: Type.Array(Flow),
  /** Engines (or tables) that could not be read, with the reason; empty when every read worked. */
  unavailable: Type.Array(FlowsUnavailable),
  /** Per engine read: which tables the flows came from, and why. */
  sources: Type.Array(FlowSources),
});
export type FlowsAnswer = Static<typeof FlowsAnswer>;
