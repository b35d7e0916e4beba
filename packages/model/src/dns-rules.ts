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
