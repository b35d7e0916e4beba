import type { DnsRule } from "./topology";

const RULE =
  /^-A DOCKER_OUTPUT\b.*?-d 127\.0\.0\.11(?:\/32)?\b.*?-p (udp|tcp)\b.*?--dport 53\b.*?-j DNAT --to-destination (127\.0\.0\.11:\d+)/;

/**
 * The embedded DNS hooks in `iptables-save -t nat` output: Docker DNATs queries to 127.0.0.11:53
 * onto the ports its resolver really listens on, one rule per protocol.
 */
export function parseDnsRules(iptablesSave: string): DnsRule[] {
  const rules: DnsRule[] = [];
  for (const line of iptablesSave.split("\n")) {
    const m = RULE.exec(line.trim());
    if (m) rules.push({ proto: m[1] as "udp" | "tcp", port: 53, target: m[2] as string });
  }
  return rules.sort((a, b) => a.proto.localeCompare(b.proto));
}

/** The parts of `nft -j` output the DNS hooks are read from (libnftables' JSON schema 1). */
interface NftRule {
  family?: string;
  table?: string;
  chain?: string;
  expr?: NftExpr[];
}
type NftExpr = {
  match?: { op?: string; left?: { payload?: { protocol?: string; field?: string } }; right?: unknown };
  dnat?: { addr?: unknown; port?: unknown };
};

/**
 * The embedded DNS hooks in `nft -j list table ip docker-dns` output, where Docker writes them
 * with the nftables firewall backend: chain `dns-dnat` holds
 * `ip daddr 127.0.0.11 udp dport 53 dnat to 127.0.0.11:<port>`, one rule per protocol. Throws when
 * the text is not nft's JSON, so unreadable output is never taken for "no rules".
 */
export function parseNftDnsRules(nftJson: string): DnsRule[] {
  const doc = JSON.parse(nftJson) as { nftables?: Array<{ rule?: NftRule }> };
  if (!Array.isArray(doc?.nftables)) throw new Error("not the JSON of `nft -j` (no nftables array)");
  const rules: DnsRule[] = [];
  for (const { rule } of doc.nftables) {
    if (!rule || rule.table !== "docker-dns" || rule.chain !== "dns-dnat") continue;
    let toResolver = false;
    let proto: "udp" | "tcp" | null = null;
    let target: string | null = null;
    for (const e of rule.expr ?? []) {
      const payload = e.match?.left?.payload;
      if (e.match?.op === "==" && payload?.protocol === "ip" && payload.field === "daddr") {
        toResolver = e.match.right === "127.0.0.11";
      } else if (e.match?.op === "==" && payload?.field === "dport" && e.match.right === 53) {
        if (payload.protocol === "udp" || payload.protocol === "tcp") proto = payload.protocol;
      } else if (e.dnat && typeof e.dnat.addr === "string" && typeof e.dnat.port === "number") {
        target = `${e.dnat.addr}:${e.dnat.port}`;
      }
    }
    if (toResolver && proto && target) rules.push({ proto, port: 53, target });
  }
  return rules.sort((a, b) => a.proto.localeCompare(b.proto));
}
