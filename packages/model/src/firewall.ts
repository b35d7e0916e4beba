/**
 * The host's firewall as netdive reads it: `iptables-save` text or `nft -j list ruleset` JSON,
 * turned into one list of rules with the few matches Docker's rules use (addresses, interfaces,
 * protocol, port), so that a packet between two containers can be walked through the chains and
 * the rule that decides it named. Pure: the collector reads, this parses.
 *
 * Layouts (parsers tested against each, test/fixtures/firewall): Docker 20.10 (FORWARD jumps to
 * DOCKER-USER, DOCKER-ISOLATION-STAGE-1/2, DOCKER), Docker 28 (FORWARD -> DOCKER-FORWARD ->
 * DOCKER-CT, DOCKER-ISOLATION-STAGE-1, DOCKER-BRIDGE -> DOCKER; raw PREROUTING drops direct
 * access), Docker 29 (DOCKER-INTERNAL instead of the internal networks' isolation rules; with
 * nftables, table `ip docker-bridges`, whose base chains hook forward and prerouting themselves).
 */
import { ipv4InSubnet, ipv4ToNumber } from "./ipv4";

/** One side of an address or interface match; `not` for `!`. */
export interface Cond {
  value: string;
  not: boolean;
}

/** One rule, as the tool prints it and as far as netdive can evaluate it. */
export interface FwRule {
  /** iptables: "filter", "nat", "raw"; nftables: "<family> <table>", e.g. "ip docker-bridges". */
  table: string;
  chain: string;
  /** The rule's text: the `-A …` line of iptables-save, or the rule in nft's syntax. */
  rule: string;
  src?: Cond;
  dst?: Cond;
  in?: Cond;
  out?: Cond;
  proto?: string;
  /** The destination port, when the rule names exactly one (a published port's DNAT). */
  dport?: number;
  /**
   * The destination ports the rule is limited to: single ports and ranges (`--dport 8000:9000`,
   * `-m multiport --dports 80,443`, nft's `tcp dport { 80, 443 }` or a named set); `not` for `!`.
   */
  dports?: { ranges: Array<[number, number]>; not: boolean };
  /** Connection states the rule is limited to ("RELATED,ESTABLISHED", "NEW"), as the rule names them. */
  ctstate?: string;
  /**
   * A match netdive cannot evaluate (an ipset, addrtype, fib, a source port, an xt match): the
   * walk takes the rule as not matching and says so where that could change the answer.
   */
  opaque?: string;
  /** "ACCEPT", "DROP", "REJECT", "RETURN", "DNAT", "SNAT", "MASQUERADE", "JUMP", "GOTO"; null: no verdict (counts only). */
  verdict: string | null;
  /** The chain a JUMP/GOTO goes to. */
  target?: string;
  /** Where a DNAT sends the packet ("172.18.0.2:80"). */
  to?: string;
  /** The rule's comment (`-m comment --comment`, nft `comment`). */
  comment?: string;
  /**
   * An nft verdict map on an interface name (`oifname vmap @filter-forward-in-jumps`, Docker 29's
   * docker-bridges): the packet's interface picks the verdict, most often a jump to its bridge's chain.
   */
  vmap?: { key: "iifname" | "oifname"; map: string; elements: Record<string, { verdict: string; target?: string }> };
}

/** A chain; base chains (iptables' built-ins, nft chains with a hook) have a hook and a policy. */
export interface FwChain {
  table: string;
  name: string;
  hook?: string;
  /** Priority of an nft base chain (iptables' built-ins: 0 for filter, -300 raw, -100 nat). */
  priority?: number;
  /** "ACCEPT" or "DROP" for base chains. */
  policy?: string;
}

/** A host's rules as read from one tool. */
export interface Ruleset {
  from: "iptables" | "nftables";
  chains: FwChain[];
  rules: FwRule[];
}

const BUILTIN_HOOK: Record<string, string> = {
  PREROUTING: "prerouting",
  INPUT: "input",
  FORWARD: "forward",
  OUTPUT: "output",
  POSTROUTING: "postrouting",
};
const TABLE_PRIORITY: Record<string, number> = { raw: -300, mangle: -150, nat: -100, filter: 0 };

/** Splits an iptables-save line into words, keeping a quoted comment whole. */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line))
    out.push(m[1] !== undefined ? m[1].replace(/\\"/g, '"') : (m[2] as string));
  return out;
}

/** `iptables-save` output (any tables) as a ruleset. */
export function parseIptablesSave(text: string): Ruleset {
  const chains: FwChain[] = [];
  const rules: FwRule[] = [];
  let table = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("*")) table = line.slice(1);
    else if (line.startsWith(":")) {
      const [name = "", policy = "-"] = line.slice(1).split(/\s+/);
      const hook = BUILTIN_HOOK[name];
      chains.push(hook ? { table, name, hook, priority: TABLE_PRIORITY[table] ?? 0, policy } : { table, name });
    } else if (line.startsWith("-A ")) rules.push(parseIptablesRule(table, line));
  }
  return { from: "iptables", chains, rules };
}

/** iptables match modules whose options the walk evaluates (any other `-m` makes the rule opaque). */
const EVALUATED_MODULES = ["tcp", "udp", "sctp", "comment", "conntrack", "state", "multiport", "iprange"];

/** The values of a match: "a,b" (iptables) or "{ a, b }" (nft's set), each one bare. */
function listValues(text: string): string[] {
  return text
    .replace(/[{}\s]/g, "")
    .split(",")
    .filter(Boolean);
}

/** "80", "8000:9000", "80,443,8000:9000" (iptables; nft's ranges use "-") as ranges; null when unreadable. */
function parsePorts(text: string, dash: string): Array<[number, number]> | null {
  const ranges: Array<[number, number]> = [];
  for (const part of listValues(text)) {
    const [a = "", b = a] = part.split(dash);
    const lo = a === "" ? 0 : Number(a);
    const hi = b === "" ? 65535 : Number(b);
    if (!Number.isInteger(lo) || !Number.isInteger(hi)) return null;
    ranges.push([lo, hi]);
  }
  return ranges.length > 0 ? ranges : null;
}

function setPorts(rule: FwRule, ranges: Array<[number, number]> | null, not: boolean): void {
  if (!ranges) {
    rule.opaque = "port";
    return;
  }
  rule.dports = { ranges, not };
  const [only] = ranges;
  if (ranges.length === 1 && only && only[0] === only[1] && !not) rule.dport = only[0];
}

function parseIptablesRule(table: string, line: string): FwRule {
  const w = words(line);
  const rule: FwRule = { table, chain: w[1] ?? "", rule: line, verdict: null };
  let not = false;
  const cond = (value: string | undefined): Cond => ({ value: value ?? "", not });
  for (let i = 2; i < w.length; i++) {
    const word = w[i] as string;
    const next = w[i + 1];
    if (word === "!") {
      not = true;
      continue;
    }
    switch (word) {
      case "-s":
        rule.src = cond(next);
        i++;
        break;
      case "-d":
        rule.dst = cond(next);
        i++;
        break;
      case "-i":
        rule.in = cond(next);
        i++;
        break;
      case "-o":
        rule.out = cond(next);
        i++;
        break;
      case "-p":
        rule.proto = next;
        i++;
        break;
      case "--dport":
      case "--destination-port":
      case "--dports":
      case "--destination-ports":
      case "--ports":
        setPorts(rule, parsePorts(next ?? "", ":"), not);
        i++;
        break;
      case "--sport":
      case "--source-port":
      case "--sports":
      case "--source-ports":
        // The walk's packet has no source port (a new connection's is ephemeral).
        rule.opaque = word.slice(2);
        i++;
        break;
      case "--src-range":
      case "--dst-range": {
        // Kept as an address condition ("a-b"); with -s/-d beside it, both would have to hold.
        const side = word === "--src-range" ? "src" : "dst";
        if (rule[side]) rule.opaque = "iprange";
        else rule[side] = cond(next);
        i++;
        break;
      }
      case "--ctstate":
      case "--state":
        if (not) rule.opaque = "negated state";
        rule.ctstate = next;
        i++;
        break;
      case "--comment":
        rule.comment = next;
        i++;
        break;
      case "--to-destination":
        rule.to = next;
        i++;
        break;
      case "-m":
        if (next && !EVALUATED_MODULES.includes(next)) rule.opaque = next;
        i++;
        break;
      case "-j":
      case "-g": {
        const t = next ?? "";
        if (["ACCEPT", "DROP", "REJECT", "RETURN", "DNAT", "SNAT", "MASQUERADE"].includes(t)) rule.verdict = t;
        else if (t) {
          rule.verdict = word === "-g" ? "GOTO" : "JUMP";
          rule.target = t;
        }
        i++;
        break;
      }
      default:
        // Other options (--sport, --dst-type, --to-source …) take a value; none of them decides a
        // container-to-container packet except through `opaque` above.
        if (word.startsWith("--") && next !== undefined && !next.startsWith("-")) i++;
    }
    not = false;
  }
  return rule;
}

/** The subset of libnftables' JSON (schema 1) that is read. */
type NftItem = {
  set?: { family: string; table: string; name: string; elem?: unknown[] };
  map?: { family: string; table: string; name: string; map?: string; elem?: Array<[unknown, Record<string, unknown>]> };
  chain?: { family: string; table: string; name: string; hook?: string; prio?: number; policy?: string };
  rule?: { family: string; table: string; chain: string; expr?: NftExpr[]; comment?: string };
};
type NftExpr = Record<string, unknown>;
type NftMatch = { op?: string; left?: Record<string, Record<string, unknown>>; right?: unknown };

/** `nft -j list ruleset` output as a ruleset. Throws when the text is not nft's JSON. */
export function parseNftRuleset(json: string): Ruleset {
  const doc = JSON.parse(json) as { nftables?: NftItem[] };
  if (!Array.isArray(doc?.nftables)) throw new Error("not the JSON of `nft -j` (no nftables array)");
  const chains: FwChain[] = [];
  const rules: FwRule[] = [];
  const maps = new Map<string, NonNullable<FwRule["vmap"]>["elements"]>();
  // Named sets (`ip saddr @blocked`): a match on one reads its elements.
  const sets = new Map<string, string>();
  for (const item of doc.nftables) {
    if (item.set)
      sets.set(`${item.set.family} ${item.set.table} ${item.set.name}`, nftValue({ set: item.set.elem ?? [] }));
  }
  for (const item of doc.nftables) {
    if (item.map?.map === "verdict") {
      const elements: NonNullable<FwRule["vmap"]>["elements"] = {};
      for (const [key, verdict] of item.map.elem ?? []) {
        const [kind, body] = Object.entries(verdict)[0] ?? ["", null];
        const target = (body as { target?: string } | null)?.target;
        elements[nftValue(key)] = { verdict: kind.toUpperCase(), ...(target ? { target } : {}) };
      }
      maps.set(`${item.map.family} ${item.map.table} ${item.map.name}`, elements);
    }
  }
  for (const item of doc.nftables) {
    if (item.chain) {
      const c = item.chain;
      const table = `${c.family} ${c.table}`;
      chains.push(
        c.hook
          ? { table, name: c.name, hook: c.hook, priority: c.prio ?? 0, policy: (c.policy ?? "accept").toUpperCase() }
          : { table, name: c.name },
      );
    } else if (item.rule) rules.push(nftRule(item.rule, maps, sets));
  }
  return { from: "nftables", chains, rules };
}

function nftValue(v: unknown): string {
  if (typeof v === "string" || typeof v === "number") return String(v);
  const o = v as { prefix?: { addr: string; len: number }; set?: unknown[]; range?: unknown[] } | null;
  if (o?.prefix) return `${o.prefix.addr}/${o.prefix.len}`;
  if (Array.isArray(o)) return o.map(nftValue).join(",");
  if (o?.set) return `{ ${o.set.map(nftValue).join(", ")} }`;
  if (o?.range) return o.range.map(nftValue).join("-");
  return JSON.stringify(v);
}

function nftRule(
  r: NonNullable<NftItem["rule"]>,
  maps: Map<string, NonNullable<FwRule["vmap"]>["elements"]>,
  sets: Map<string, string>,
): FwRule {
  const rule: FwRule = { table: `${r.family} ${r.table}`, chain: r.chain, rule: "", verdict: null };
  const text: string[] = [];
  for (const e of r.expr ?? []) {
    const [key, body] = Object.entries(e)[0] ?? ["", null];
    if (key === "match") {
      const m = body as NftMatch;
      const [kind, left] = Object.entries(m.left ?? {})[0] ?? ["", {}];
      const leftText =
        kind === "meta"
          ? String(left.key)
          : kind === "payload"
            ? `${left.protocol} ${left.field}`
            : kind === "ct"
              ? `ct ${left.key}`
              : kind;
      const not = m.op === "!=";
      const named = typeof m.right === "string" && m.right.startsWith("@") ? m.right : null;
      const written = nftValue(m.right);
      // A named set is matched by its elements, and written as the rule says it (`@blocked`).
      const value = named ? (sets.get(`${r.family} ${r.table} ${named.slice(1)}`) ?? "") : written;
      const op = m.op === "==" || m.op === "in" ? "" : `${m.op} `;
      text.push(`${leftText} ${op}${typeof m.right === "string" && kind === "meta" ? `"${written}"` : written}`);
      const cond = { value, not };
      if (named && !sets.has(`${r.family} ${r.table} ${named.slice(1)}`)) rule.opaque = `set ${named}`;
      else if (kind === "meta" && left.key === "iifname") rule.in = cond;
      else if (kind === "meta" && left.key === "oifname") rule.out = cond;
      else if (kind === "meta" && left.key === "l4proto" && !not) rule.proto = value;
      else if (kind === "payload" && left.protocol === "ip" && left.field === "saddr") rule.src = cond;
      else if (kind === "payload" && left.protocol === "ip" && left.field === "daddr") rule.dst = cond;
      else if (kind === "payload" && left.field === "dport") {
        // `tcp dport`, `udp dport`, or `th dport` (either).
        if (left.protocol !== "th") rule.proto = String(left.protocol);
        setPorts(rule, parsePorts(value, "-"), not);
      } else if (kind === "ct" && left.key === "state" && !not) rule.ctstate = value.toUpperCase();
      else rule.opaque = leftText;
    } else if (key === "xt") {
      const { name: xtName, type } = body as { name?: string; type?: string };
      const name = String(xtName);
      text.push(`xt ${type ?? "match"} "${name}"`);
      // iptables-nft's targets show as opaque xt expressions: DNAT without its destination.
      if (type === "target") rule.verdict = name;
      else if (name === "conntrack") rule.ctstate = "(xt conntrack)";
      else if (name !== "comment" && name !== "tcp" && name !== "udp") rule.opaque = name;
    } else if (key === "vmap") {
      const v = body as { key?: { meta?: { key?: string } }; data?: unknown };
      const metaKey = v.key?.meta?.key;
      const name = typeof v.data === "string" ? v.data.replace(/^@/, "") : "";
      const elements = maps.get(`${r.family} ${r.table} ${name}`);
      text.push(`${metaKey} vmap @${name}`);
      if ((metaKey === "iifname" || metaKey === "oifname") && elements)
        rule.vmap = { key: metaKey, map: name, elements };
      else rule.opaque = "vmap";
    } else if (key === "counter") continue;
    else if (["accept", "drop", "return", "reject", "masquerade"].includes(key)) {
      rule.verdict = key.toUpperCase();
      text.push(key);
    } else if (key === "jump" || key === "goto") {
      rule.verdict = key.toUpperCase();
      rule.target = String((body as { target: string }).target);
      text.push(`${key} ${rule.target}`);
    } else if (key === "dnat" || key === "snat") {
      const b = body as { addr?: unknown; port?: unknown };
      rule.verdict = key.toUpperCase();
      rule.to = b.port !== undefined ? `${nftValue(b.addr)}:${nftValue(b.port)}` : nftValue(b.addr);
      text.push(`${key} to ${rule.to}`);
    } else {
      rule.opaque = key;
      text.push(key);
    }
  }
  if (r.comment) {
    rule.comment = r.comment;
    text.push(`comment "${r.comment}"`);
  }
  rule.rule = text.join(" ");
  return rule;
}

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

/** The tables iptables-nft writes into nft (`ip filter`, `ip nat` …): their targets read as opaque xt. */
const XTABLES = /^(ip|ip6) (filter|nat|raw|mangle|security)$/;

/**
 * One ruleset from both reads of an nftables host: iptables-save for the tables iptables-nft
 * manages (Docker 28's bridge rules: nft's JSON shows their DNAT as `xt target "DNAT"`, without
 * where it goes), nft's JSON for every other table (Docker 29's docker-bridges, docker-dns, a
 * firewall manager's, the user's own).
 */
export function mergeRulesets(iptables: Ruleset, nft: Ruleset): Ruleset {
  const own = (t: { table: string }) => !XTABLES.test(t.table);
  return {
    from: "nftables",
    chains: [...iptables.chains, ...nft.chains.filter(own)],
    rules: [...iptables.rules, ...nft.rules.filter(own)],
  };
}

/** Chains Docker writes itself; a deciding rule anywhere else is the user's or a firewall manager's. */
export function isDockerChain(rule: Pick<FwRule, "table" | "chain">): boolean {
  if (rule.table.includes("docker")) return true;
  if (rule.chain === "DOCKER-USER") return false;
  return /^DOCKER(?:-|$)/.test(rule.chain) || rule.chain === "FORWARD" || rule.chain === "PREROUTING";
}

/** The DNAT rules that carry a published port to `containerIp:containerPort`. */
export function dnatRules(set: Ruleset, containerIp: string, containerPort: number, proto: string): FwRule[] {
  return set.rules.filter(
    (r) =>
      r.verdict === "DNAT" &&
      r.to === `${containerIp}:${containerPort}` &&
      (r.proto === undefined || r.proto === proto),
  );
}

/** The MASQUERADE rules that hide `subnet` behind the host's address on its way out. */
export function masqueradeRules(set: Ruleset, subnet: string): FwRule[] {
  return set.rules.filter((r) => r.verdict === "MASQUERADE" && r.src?.value === subnet && !r.src.not);
}
