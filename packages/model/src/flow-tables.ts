/**
 * The kernel's connection tables as text, parsed: the host's conntrack table
 * (/proc/net/nf_conntrack) and a network namespace's socket tables (/proc/net/tcp, tcp6, udp).
 * Pure: the collector reads the files, these functions read the lines.
 */

/** One address and port pair of a conntrack tuple; port is null for ICMP. */
export interface TupleEnd {
  src: string;
  dst: string;
  sport: number | null;
  dport: number | null;
}

/** One line of /proc/net/nf_conntrack. */
export interface ConntrackEntry {
  /** "tcp", "udp", "icmp", "icmpv6"… as the kernel names it. */
  protocol: string;
  /** Seconds left before the kernel forgets the entry; each packet resets it to the state's timeout. */
  timeout: number;
  /** TCP's state ("ESTABLISHED", "TIME_WAIT"); null for other protocols. */
  state: string | null;
  /** The first packet's direction: `src` opened the connection to `dst`. */
  original: TupleEnd;
  /** The answer's direction, after NAT: its `src` is the real server (a published port's container). */
  reply: TupleEnd;
  /** No answer was ever seen. */
  unreplied: boolean;
  /** Packets and bytes both ways, when accounting is on (nf_conntrack_acct). */
  packets?: number;
  bytes?: number;
  line: string;
}

/** The line's tuples and flags, or null for a line that is not a conntrack entry. */
export function parseConntrackLine(line: string): ConntrackEntry | null {
  const words = line.trim().split(/\s+/);
  // ipv4 2 tcp 6 117 TIME_WAIT src=… : the family, its number, the protocol, its number, the timeout.
  if (words.length < 6 || !/^ipv[46]$/.test(words[0] ?? "")) return null;
  const protocol = words[2] ?? "";
  const timeout = Number(words[4]);
  if (!Number.isFinite(timeout)) return null;
  const state = words[5] && /^[A-Z_]+$/.test(words[5]) ? words[5] : null;
  const tuples: Array<Partial<Record<string, string>>> = [];
  let packets = 0;
  let bytes = 0;
  let counted = false;
  for (const word of words.slice(5)) {
    const eq = word.indexOf("=");
    if (eq < 0) continue;
    const key = word.slice(0, eq);
    const value = word.slice(eq + 1);
    if (key === "src") tuples.push({});
    if (key === "packets" || key === "bytes") {
      counted = true;
      if (key === "packets") packets += Number(value);
      else bytes += Number(value);
      continue;
    }
    const tuple = tuples.at(-1);
    if (tuple && tuple[key] === undefined) tuple[key] = value;
  }
  const [o, r] = tuples;
  if (!o?.src || !o.dst || !r?.src || !r.dst) return null;
  const end = (t: Partial<Record<string, string>>): TupleEnd => ({
    src: normalizeAddress(t.src as string),
    dst: normalizeAddress(t.dst as string),
    sport: t.sport === undefined ? null : Number(t.sport),
    dport: t.dport === undefined ? null : Number(t.dport),
  });
  return {
    protocol,
    timeout,
    state: protocol === "tcp" ? state : null,
    original: end(o),
    reply: end(r),
    unreplied: words.includes("[UNREPLIED]"),
    ...(counted ? { packets, bytes } : {}),
    line: line.trim(),
  };
}

/** Every entry of a conntrack table's text; lines that do not parse are left out. */
export function parseConntrack(text: string): ConntrackEntry[] {
  const entries: ConntrackEntry[] = [];
  for (const line of text.split("\n")) {
    const entry = line ? parseConntrackLine(line) : null;
    if (entry) entries.push(entry);
  }
  return entries;
}

/** TCP states as /proc/net/tcp numbers them (include/net/tcp_states.h). */
const TCP_STATES: Record<string, string> = {
  "01": "ESTABLISHED",
  "02": "SYN_SENT",
  "03": "SYN_RECV",
  "04": "FIN_WAIT1",
  "05": "FIN_WAIT2",
  "06": "TIME_WAIT",
  "07": "CLOSE",
  "08": "CLOSE_WAIT",
  "09": "LAST_ACK",
  "0A": "LISTEN",
  "0B": "CLOSING",
};

/** One row of /proc/net/tcp, tcp6, udp or udp6. */
export interface SocketRow {
  protocol: "tcp" | "udp";
  local: { address: string; port: number };
  remote: { address: string; port: number };
  /** TCP's state name; for UDP "ESTABLISHED" (connected) or "CLOSE" (unconnected). */
  state: string;
  /** Seconds left on the TIME_WAIT timer (tm->when, in USER_HZ ticks), else null. */
  timeWaitLeft: number | null;
  line: string;
}

/**
 * The rows of one socket table. `table` names the file ("tcp", "tcp6", "udp", "udp6"): the v6
 * tables write four 32-bit words per address, v4-mapped addresses are given as IPv4.
 */
export function parseSocketTable(text: string, table: string): SocketRow[] {
  const protocol = table.startsWith("udp") ? "udp" : "tcp";
  const rows: SocketRow[] = [];
  for (const raw of text.split("\n").slice(1)) {
    const f = raw.trim().split(/\s+/);
    if (f.length < 6 || !/^\d+:$/.test(f[0] ?? "")) continue;
    const local = hexEndpoint(f[1] ?? "");
    const remote = hexEndpoint(f[2] ?? "");
    if (!local || !remote) continue;
    const state = TCP_STATES[(f[3] ?? "").toUpperCase()] ?? f[3] ?? "";
    const [timer, when] = (f[5] ?? "").split(":");
    const timeWaitLeft = timer === "03" && when ? parseInt(when, 16) / 100 : null;
    rows.push({ protocol, local, remote, state, timeWaitLeft, line: raw.trim() });
  }
  return rows;
}

/** `0100007F:0050` (little-endian words) as 127.0.0.1 and 80. */
function hexEndpoint(text: string): { address: string; port: number } | null {
  const [hex, portHex] = text.split(":");
  if (!hex || !portHex) return null;
  const port = parseInt(portHex, 16);
  if (hex.length === 8) return { address: wordToV4(hex), port };
  if (hex.length !== 32) return null;
  const words = [0, 8, 16, 24].map((i) => hex.slice(i, i + 8));
  const bytes = words.flatMap((w) => [6, 4, 2, 0].map((i) => w.slice(i, i + 2)));
  // ::ffff:a.b.c.d, an IPv4 peer of a v6 socket (busybox httpd listens on :::80).
  if (bytes.slice(0, 10).every((b) => b === "00") && bytes[10] === "FF" && bytes[11] === "FF")
    return {
      address: bytes
        .slice(12)
        .map((b) => parseInt(b, 16))
        .join("."),
      port,
    };
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(`${bytes[i]}${bytes[i + 1]}`.toLowerCase());
  return { address: normalizeAddress(groups.join(":")), port };
}

function wordToV4(hex: string): string {
  return [6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(".");
}

/** IPv6 in its short form (conntrack writes every group in full); IPv4 as given. */
export function normalizeAddress(address: string): string {
  if (!address.includes(":")) return address;
  const groups = address.split(":").map((g) => g.replace(/^0+(?=.)/, "").toLowerCase());
  if (groups.length !== 8) return address.toLowerCase();
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === "0") j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
  }
  if (best < 0) return groups.join(":");
  return `${groups.slice(0, best).join(":")}::${groups.slice(best + bestLen).join(":")}`;
}
