/** The shapes every reading of the host's firewall comes to, and the match values both parsers and the walk read. */

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

/** The values of a match: "a,b" (iptables) or "{ a, b }" (nft's set), each one bare. */
export function listValues(text: string): string[] {
  return text
    .replace(/[{}\s]/g, "")
    .split(",")
    .filter(Boolean);
}

/** "80", "8000:9000", "80,443,8000:9000" (iptables; nft's ranges use "-") as ranges; null when unreadable. */
export function parsePorts(text: string, dash: string): Array<[number, number]> | null {
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

export function setPorts(rule: FwRule, ranges: Array<[number, number]> | null, not: boolean): void {
  if (!ranges) {
    rule.opaque = "port";
    return;
  }
  rule.dports = { ranges, not };
  const [only] = ranges;
  if (ranges.length === 1 && only && only[0] === only[1] && !not) rule.dport = only[0];
}
