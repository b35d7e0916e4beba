/**
 * A packet between two containers walked through the host's chains: prerouting (raw) and forward,
 * every base chain on a hook in priority order, across all tables, and the rule that decides it.
 */
import { ipv4InSubnet, ipv4ToNumber } from "../ipv4";
import { listValues, type Cond, type FwChain, type FwRule, type Ruleset } from "./rules";

/** A packet between two containers, as the host's forward path sees it (a new connection). */
export interface Packet {
  src: string;
  dst: string;
  /** The interface it arrives on (the sender's bridge) and leaves by (the receiver's). */
  in: string;
  out: string;
  proto?: string;
  dport?: number;
  /** "new" (the default): the first packet of a connection; "established": a reply to one. */
  state?: "new" | "established";
}

/** The outcome of walking a packet through the host's prerouting (raw) and forward chains. */
export interface Walk {
  /** "ACCEPT" or "DROP" (a REJECT counts as DROP). */
  verdict: "ACCEPT" | "DROP";
  /** The rule that decided, or null when a chain's policy did. */
  rule: FwRule | null;
  /** The base chain whose policy decided, when no rule did. */
  policyOf: FwChain | null;
  /**
   * Rules on the way that netdive cannot evaluate (an ipset, a source port…) and that were taken
   * as not matching, each with the verdict the walk would end in if it matched: only those that
   * would change it. Empty when the answer does not hang on anything netdive cannot read.
   */
  unsure: Array<{ rule: FwRule; then: "ACCEPT" | "DROP" }>;
}

/** Whether an IPv4 address matches a rule's address: a CIDR, a bare address, or a range "a-b". */
function addressMatches(address: string, value: string): boolean {
  const [lo, hi] = value.split("-");
  if (hi === undefined || lo === undefined) return ipv4InSubnet(address, value);
  const [n, from, to] = [address, lo, hi].map(ipv4ToNumber);
  return n != null && from != null && to != null && n >= from && n <= to;
}

function ifMatches(name: string, pattern: string): boolean {
  // iptables' "br-+" and nft's "br-*" are prefixes.
  if (pattern.endsWith("+") || pattern.endsWith("*")) return name.startsWith(pattern.slice(0, -1));
  return name === pattern;
}

function test(cond: Cond | undefined, ok: (v: string) => boolean): boolean {
  if (!cond) return true;
  const hit = listValues(cond.value).some(ok);
  return cond.not ? !hit : hit;
}

/**
 * Whether the connection state a rule names holds for `p`: a new connection's first packet is
 * NEW, a reply ESTABLISHED. iptables-nft's conntrack shows in nft's JSON only as
 * `xt match "conntrack"`, which Docker uses only for RELATED,ESTABLISHED, so it is taken as that.
 */
function stateMatches(ctstate: string, p: Packet): boolean {
  const states = /xt conntrack/i.test(ctstate) ? ["ESTABLISHED", "RELATED"] : listValues(ctstate.toUpperCase());
  return states.includes(p.state === "established" ? "ESTABLISHED" : "NEW");
}

/**
 * Whether `rule`'s matches hold for `p`: true or false from what netdive evaluates (addresses and
 * ranges, interfaces, protocol, destination ports, connection state), "unknown" when those hold
 * but the rule has a match netdive cannot evaluate as well.
 */
export function matchOf(rule: FwRule, p: Packet): boolean | "unknown" {
  if (rule.ctstate && !stateMatches(rule.ctstate, p)) return false;
  if (rule.proto && rule.proto !== (p.proto ?? "icmp")) return false;
  if (rule.dports) {
    const port = p.dport;
    const hit = port !== undefined && rule.dports.ranges.some(([lo, hi]) => port >= lo && port <= hi);
    if (rule.dports.not ? hit || port === undefined : !hit) return false;
  }
  const holds =
    test(rule.src, (v) => addressMatches(p.src, v)) &&
    test(rule.dst, (v) => addressMatches(p.dst, v)) &&
    test(rule.in, (v) => ifMatches(p.in, v)) &&
    test(rule.out, (v) => ifMatches(p.out, v));
  if (!holds) return false;
  return rule.opaque ? "unknown" : true;
}

type ChainResult = { verdict: "ACCEPT" | "DROP" | "RETURN"; rule: FwRule | null };

/** One walk's assumptions: a rule taken to match though netdive cannot tell, and what it passed over. */
interface WalkContext {
  assume: FwRule | null;
  unknown: FwRule[];
}

function walkChain(
  set: Ruleset,
  table: string,
  chain: string,
  p: Packet,
  depth: number,
  ctx: WalkContext,
): ChainResult {
  if (depth > 16) return { verdict: "RETURN", rule: null };
  for (const rule of set.rules) {
    if (rule.table !== table || rule.chain !== chain) continue;
    const m = matchOf(rule, p);
    if (m === false) continue;
    if (m === "unknown" && rule !== ctx.assume) {
      if (rule.verdict !== null) ctx.unknown.push(rule);
      continue;
    }
    if (rule.vmap) {
      const hit = rule.vmap.elements[rule.vmap.key === "iifname" ? p.in : p.out];
      if (!hit) continue;
      if (hit.verdict === "ACCEPT") return { verdict: "ACCEPT", rule };
      if (hit.verdict === "DROP") return { verdict: "DROP", rule };
      if (hit.verdict === "RETURN") return { verdict: "RETURN", rule };
      if (hit.target) {
        const inner = walkChain(set, table, hit.target, p, depth + 1, ctx);
        if (inner.verdict !== "RETURN" || hit.verdict === "GOTO") return inner;
      }
      continue;
    }
    if (rule.verdict === "ACCEPT") return { verdict: "ACCEPT", rule };
    if (rule.verdict === "DROP" || rule.verdict === "REJECT") return { verdict: "DROP", rule };
    if (rule.verdict === "RETURN") return { verdict: "RETURN", rule };
    if ((rule.verdict === "JUMP" || rule.verdict === "GOTO") && rule.target) {
      const inner = walkChain(set, table, rule.target, p, depth + 1, ctx);
      if (inner.verdict !== "RETURN" || rule.verdict === "GOTO") return inner;
    }
  }
  return { verdict: "RETURN", rule: null };
}

/** At most this many rules netdive cannot evaluate are tried as matching, per walk. */
const MAX_UNSURE = 8;

/**
 * Walks `p` through every base chain that filters it on the way from one bridge to another:
 * prerouting chains of filter type (iptables' raw table, Docker 28's direct-access drops), then
 * forward chains, each hook's chains in priority order. A drop anywhere ends the walk; an accept
 * ends only its own base chain, as in netfilter. A rule with a match netdive cannot evaluate is
 * taken as not matching; the walk is then tried with it matching, and where that ends otherwise,
 * the rule is named in `unsure`.
 */
export function walkForward(set: Ruleset, p: Packet): Walk {
  const unknown: FwRule[] = [];
  const walk = walkOnce(set, p, { assume: null, unknown });
  const unsure: Walk["unsure"] = [];
  for (const rule of [...new Set(unknown)].slice(0, MAX_UNSURE)) {
    const other = walkOnce(set, p, { assume: rule, unknown: [] });
    if (other.verdict !== walk.verdict) unsure.push({ rule, then: other.verdict });
  }
  return { ...walk, unsure };
}

function walkOnce(set: Ruleset, p: Packet, ctx: WalkContext): Omit<Walk, "unsure"> {
  let last: Omit<Walk, "unsure"> = { verdict: "ACCEPT", rule: null, policyOf: null };
  for (const hook of ["prerouting", "forward"]) {
    const bases = set.chains
      .filter((c) => c.hook === hook && !isNatChain(c))
      .sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0));
    for (const base of bases) {
      const r = walkChain(set, base.table, base.name, p, 0, ctx);
      if (r.verdict === "DROP") return { verdict: "DROP", rule: r.rule, policyOf: null };
      if (r.verdict === "ACCEPT") {
        if (hook === "forward") last = { verdict: "ACCEPT", rule: r.rule, policyOf: null };
        continue;
      }
      if (base.policy === "DROP") return { verdict: "DROP", rule: null, policyOf: base };
      if (hook === "forward") last = { verdict: "ACCEPT", rule: null, policyOf: base };
    }
  }
  return last;
}

function isNatChain(c: FwChain): boolean {
  // nft names a base chain's type; the read keeps only hook and priority, and nat chains sit at
  // the nat priorities (dstnat -100) in tables iptables calls "nat" (mangle only marks).
  if (c.table === "nat" || c.table === "mangle" || c.table.endsWith(" nat")) return true;
  return c.table.includes(" ") && c.priority === -100 && c.hook === "prerouting";
}
