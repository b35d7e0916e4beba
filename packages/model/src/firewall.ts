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
import type { FwRule, Ruleset } from "./firewall/rules";

export { parseIptablesSave } from "./firewall/iptables";
export { parseNftRuleset } from "./firewall/nft";
export type { Cond, FwChain, FwRule, Ruleset } from "./firewall/rules";
export { matchOf, walkForward, type Packet, type Walk } from "./firewall/walk";

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
