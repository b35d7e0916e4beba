/** `nft -j list ruleset` JSON as a ruleset (firewall.ts says which layouts are read). */
import { parsePorts, setPorts, type FwChain, type FwRule, type Ruleset } from "./rules";

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
