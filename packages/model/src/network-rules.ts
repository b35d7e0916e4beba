import { masqueradeRules, type Ruleset } from "./firewall";
import { toEvidence } from "./reach-evidence";
import type { Network } from "./topology";
import type { Evidence } from "./wire/reach";

/**
 * The kernel's evidence for a bridge and its NAT line: the MASQUERADE that hides its subnet on
 * the way out, then every rule that names its bridge (isolation, ICC, internal, published ports'
 * accepts, the DNAT returns), in the order the tables hold them.
 */
export function networkRules(network: Network, rules: Ruleset): Evidence[] {
  const bridge = network.bridge;
  if (!bridge) return [];
  const masquerade = network.subnets.flatMap((s) => masqueradeRules(rules, s.subnet));
  const named = rules.rules.filter(
    (r) => !masquerade.includes(r) && (r.in?.value === bridge || r.out?.value === bridge || r.rule.includes(bridge)),
  );
  const about = (r: (typeof named)[number]): Evidence["about"] => {
    if (r.verdict === "DNAT") return "dnat";
    if (/ISOLATION/.test(r.chain)) return "isolation";
    if (/INTERNAL/.test(r.chain) || network.internal) return "internal";
    if (r.verdict === "DROP" && r.in?.value === bridge && r.out?.value === bridge) return "icc";
    return r.verdict === "DROP" ? "isolation" : "accept";
  };
  return [...masquerade.map((r) => toEvidence(r, "masquerade")), ...named.map((r) => toEvidence(r, about(r)))];
}
