import type { ConntrackEntry, SocketRow } from "./flow-tables";
import type { Topology } from "./topology";
import type { Flow, FlowEvidence, FlowPeer } from "./wire/flows";

/**
 * Who is talking now: conntrack entries and socket rows turned into flows between the topology's
 * containers, the host and "outside" (one per NIC), kept while their last packet is within the
 * window. Pure: the collector reads the tables, the server keeps the clock.
 */

/** Seconds each conntrack state starts from (and each packet resets to), keyed "tcp:TIME_WAIT", "udp", "udp:stream", "icmp". */
export type ConntrackTimeouts = Record<string, number>;

/** Linux's defaults (this host's /proc/sys/net/netfilter values, kernel 6.x); the collector reads the real ones. */
export const DEFAULT_TIMEOUTS: ConntrackTimeouts = {
  "tcp:SYN_SENT": 120,
  "tcp:SYN_RECV": 60,
  "tcp:ESTABLISHED": 432000,
  "tcp:FIN_WAIT": 120,
  "tcp:CLOSE_WAIT": 60,
  "tcp:LAST_ACK": 30,
  "tcp:TIME_WAIT": 120,
  "tcp:CLOSE": 10,
  udp: 30,
  "udp:stream": 120,
  icmp: 30,
};

/** `nf_conntrack_tcp_timeout_time_wait` -> "tcp:TIME_WAIT", `nf_conntrack_udp_timeout_stream` -> "udp:stream". */
export function timeoutKey(sysctl: string): string | null {
  const m = /^nf_conntrack_(tcp|udp|icmp)_timeout(?:_(\w+))?$/.exec(sysctl);
  if (!m) return null;
  const [, proto, rest] = m;
  if (!rest) return proto as string;
  return proto === "tcp" ? `tcp:${rest.toUpperCase()}` : `${proto}:${rest}`;
}

/** TCP's TIME_WAIT length in a socket table (TCP_TIMEWAIT_LEN, fixed in the kernel). */
const SOCKET_TIME_WAIT_S = 60;

/** One container's socket table, as read in its network namespace. */
export interface NetnsSockets {
  /** The container that owns the namespace. */
  containerId: string;
  /** "nd-x-web tcp6": where the rows were read, for the evidence. */
  table: string;
  rows: SocketRow[];
}

/** One read of an engine's tables. */
export interface FlowTables {
  engineId: string;
  /** The host's conntrack table, or null when it could not be read. */
  conntrack: ConntrackEntry[] | null;
  sockets: NetnsSockets[];
  timeouts: ConntrackTimeouts;
}

export interface FlowOptions {
  /** How long a flow stays after its last packet, ms. */
  windowMs: number;
  /** Name remote addresses beyond the host (`--flows=addresses`); off: one "outside" per NIC. */
  addresses: boolean;
}

/** Where each address of one engine leads: a container, the host, or out through a NIC. */
export interface AddressBook {
  containers: Map<string, string>;
  /** The host's own addresses, and the interface that holds each ("" when only the API names it). */
  host: Map<string, string>;
  /** Host address -> the NIC that holds it (physical and other non-Docker interfaces). */
  nics: Map<string, string>;
  defaultNic: string | null;
}

const bare = (cidr: string) => cidr.split("/")[0] as string;

/** The engine's addresses from the topology: endpoints, gateways, every host interface's. */
export function addressBook(topology: Topology, engineId: string): AddressBook {
  const book: AddressBook = { containers: new Map(), host: new Map(), nics: new Map(), defaultNic: null };
  for (const c of Object.values(topology.containers)) {
    if (c.engineId !== engineId) continue;
    for (const ep of Object.values(c.endpoints)) if (ep.ipv4) book.containers.set(ep.ipv4, c.id);
    for (const i of c.interfaces)
      for (const a of i.addresses) if (i.name !== "lo") book.containers.set(bare(a), c.netnsOwnerId ?? c.id);
  }
  for (const n of Object.values(topology.networks))
    if (n.engineId === engineId) for (const s of n.subnets) if (s.gateway) book.host.set(s.gateway, n.bridge ?? "");
  for (const i of topology.hosts[engineId]?.interfaces ?? []) {
    for (const a of i.addresses) {
      book.host.set(bare(a), i.name);
      if (i.kind !== "bridge" && i.kind !== "veth" && i.kind !== "loopback") book.nics.set(bare(a), i.name);
    }
    if (i.defaultRoute) book.defaultNic ??= i.name;
  }
  return book;
}

/** Addresses no conversation is drawn for: unspecified, loopback, multicast and broadcast. */
function unplaced(address: string): boolean {
  if (address.includes(":")) return address === "::" || address === "::1" || /^ff/i.test(address);
  const first = Number(address.split(".")[0]);
  return address === "0.0.0.0" || address === "255.255.255.255" || first === 127 || (first >= 224 && first <= 239);
}

function peerAt(book: AddressBook, address: string, nic: string | null, opts: FlowOptions): FlowPeer | null {
  if (unplaced(address)) return null;
  const id = book.containers.get(address);
  if (id) return { kind: "container", containerId: id };
  const via = book.host.get(address);
  if (via !== undefined) return via ? { kind: "host", interface: via } : { kind: "host" };
  return { kind: "outside", nic: nic ?? book.defaultNic, ...(opts.addresses ? { address } : {}) };
}

function peerKey(p: FlowPeer): string {
  if (p.kind === "container") return p.containerId;
  if (p.kind === "host") return `host:${p.interface ?? ""}`;
  return `outside:${p.nic ?? ""}${p.address ? `:${p.address}` : ""}`;
}

/** One connection seen in one table, before flows are made of them. */
interface Sighting {
  protocol: Flow["protocol"];
  port: number | null;
  client: FlowPeer;
  server: FlowPeer;
  open: boolean;
  idleMs: number;
  evidence: FlowEvidence;
}

function protocolOf(name: string): Flow["protocol"] | null {
  if (name === "tcp" || name === "udp") return name;
  return name === "icmp" || name === "icmpv6" ? "icmp" : null;
}

/** Seconds since the entry's last packet: its state's full timeout less what is left of it. */
function conntrackIdleMs(e: ConntrackEntry, timeouts: ConntrackTimeouts): number {
  const key =
    e.protocol === "tcp"
      ? `tcp:${(e.state ?? "").replace(/^FIN_WAIT\d?$/, "FIN_WAIT")}`
      : e.protocol === "udp" && e.line.includes("[ASSURED]")
        ? "udp:stream"
        : (protocolOf(e.protocol) ?? "");
  const full = timeouts[key] ?? DEFAULT_TIMEOUTS[key];
  return full === undefined ? 0 : Math.max(0, (full - e.timeout) * 1000);
}

/**
 * A conntrack entry as a connection between peers. The original tuple's source opened it; the
 * reply's source is the real server (a published port's DNAT names the container there), and
 * its source port the service port. An entry that was never answered is no conversation: the
 * kernel keeps it for a connection attempt nobody took.
 */
export function fromConntrack(e: ConntrackEntry, book: AddressBook, t: FlowTables, opts: FlowOptions): Sighting | null {
  const protocol = protocolOf(e.protocol);
  if (!protocol || e.unreplied) return null;
  // The NIC: a published port reached from outside names it in the original destination, a
  // masqueraded connection out in the reply's destination.
  const nic = book.nics.get(e.original.dst) ?? book.nics.get(e.reply.dst) ?? null;
  const client = peerAt(book, e.original.src, nic, opts);
  const server = peerAt(book, e.reply.src, nic, opts);
  if (!client || !server || (client.kind !== "container" && server.kind !== "container")) return null;
  const open = e.state === "ESTABLISHED" || e.state === "SYN_RECV";
  return {
    protocol,
    port: protocol === "icmp" ? null : e.reply.sport,
    client,
    server,
    open,
    idleMs: open ? 0 : conntrackIdleMs(e, t.timeouts),
    evidence: {
      source: "conntrack",
      table: "nf_conntrack",
      line: e.line,
      protocol: e.protocol,
      state: e.state,
      ...(e.packets !== undefined ? { packets: e.packets, bytes: e.bytes ?? 0 } : {}),
    },
  };
}

const OPEN_SOCKET = new Set(["ESTABLISHED", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "CLOSE_WAIT", "LAST_ACK", "CLOSING"]);

/**
 * A container's socket row as a connection. The side whose port the namespace listens on is the
 * server. A SYN_SENT row is an attempt nobody answered yet (isolation drops it): not a flow.
 */
export function fromSocket(
  row: SocketRow,
  table: NetnsSockets,
  listening: ReadonlySet<number>,
  book: AddressBook,
  opts: FlowOptions,
): Sighting | null {
  const ended = row.state === "TIME_WAIT";
  if (!ended && !OPEN_SOCKET.has(row.state)) return null;
  if (row.remote.port === 0 || unplaced(row.remote.address) || unplaced(row.local.address)) return null;
  const self: FlowPeer = { kind: "container", containerId: table.containerId };
  const other = peerAt(book, row.remote.address, null, opts);
  if (!other) return null;
  const serves = listening.has(row.local.port);
  const idleMs = ended ? Math.max(0, (SOCKET_TIME_WAIT_S - (row.timeWaitLeft ?? 0)) * 1000) : 0;
  return {
    protocol: row.protocol,
    port: serves ? row.local.port : row.remote.port,
    client: serves ? other : self,
    server: serves ? self : other,
    open: !ended,
    idleMs,
    evidence: {
      source: "socket",
      table: table.table,
      line: `${row.line}  (${row.local.address}:${row.local.port} -> ${row.remote.address}:${row.remote.port})`,
      protocol: row.protocol,
      state: row.state,
    },
  };
}

/** At most this many lines of each source per flow: enough to show why, not the whole table. */
const EVIDENCE_PER_SOURCE = 4;

/**
 * The flows of one read: every sighting grouped by protocol, both peers and the service port;
 * a group stays while one of its connections is open or its last packet is within the window.
 */
export function flowsOf(topology: Topology, tables: FlowTables, opts: FlowOptions): Flow[] {
  const book = addressBook(topology, tables.engineId);
  const sightings: Sighting[] = [];
  for (const e of tables.conntrack ?? []) {
    const s = fromConntrack(e, book, tables, opts);
    if (s) sightings.push(s);
  }
  for (const table of tables.sockets) {
    const listening = new Set(table.rows.filter((r) => r.state === "LISTEN").map((r) => r.local.port));
    for (const row of table.rows) {
      const s = fromSocket(row, table, listening, book, opts);
      if (s) sightings.push(s);
    }
  }
  const groups = new Map<string, Sighting[]>();
  for (const s of sightings) {
    if (!s.open && s.idleMs > opts.windowMs) continue;
    const id = [tables.engineId, s.protocol, peerKey(s.client), peerKey(s.server), s.port ?? ""].join("|");
    groups.set(id, [...(groups.get(id) ?? []), s]);
  }
  return [...groups].map(([id, list]) => toFlow(id, tables.engineId, list)).sort((a, b) => a.id.localeCompare(b.id));
}

function toFlow(id: string, engineId: string, list: Sighting[]): Flow {
  const first = list[0] as Sighting;
  const open = list.some((s) => s.open);
  const byRecency = [...list].sort((a, b) => a.idleMs - b.idleMs);
  const conntrack = byRecency.filter((s) => s.evidence.source === "conntrack");
  const tables = new Map<string, number>();
  for (const s of list)
    if (s.evidence.source === "socket") tables.set(s.evidence.table, (tables.get(s.evidence.table) ?? 0) + 1);
  return {
    id,
    engineId,
    protocol: first.protocol,
    port: first.port,
    client: first.client,
    server: first.server,
    status: open ? "open" : "ended",
    idleMs: open ? 0 : Math.round(byRecency[0]?.idleMs ?? 0),
    // Conntrack counts each connection once; a socket shows on both ends, so the busiest table counts.
    connections: conntrack.length || Math.max(0, ...tables.values()),
    evidence: [
      ...conntrack.slice(0, EVIDENCE_PER_SOURCE),
      ...byRecency.filter((s) => s.evidence.source === "socket").slice(0, EVIDENCE_PER_SOURCE),
    ].map((s) => s.evidence),
  };
}
