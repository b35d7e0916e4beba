import { isDockerChain, masqueradeRules, walkForward, type FwRule, type Ruleset, type Walk } from "./firewall";
import type { Language } from "./language";
import { ipSentence, netnsOwner } from "./reach";
import type { Container, DnsRule, Topology } from "./topology";
import type { Evidence, ReachAnswer } from "./wire/reach";

/**
 * The rules behind a reach answer. explainReach says what Docker documents; this walks the
 * packet through the host's own tables and names the rule that decides. Where a rule Docker did
 * not write (DOCKER-USER, a firewall manager's table) decides otherwise, the answer follows the
 * rules and says so; where Docker's own rules disagree with the documentation, the documented
 * answer stays and the evidence shows the rule (netdive's walk reads only simple matches).
 */
export function withEvidence(
  topology: Topology,
  answer: ReachAnswer,
  rules: Ruleset,
  dnsRules: DnsRule[] | null,
  language: Language = "en",
): ReachAnswer {
  const from = topology.containers[answer.from.id];
  const to = topology.containers[answer.to.id];
  const evidence: Evidence[] = [];
  const caveats: string[] = [];
  let ip = answer.ip;
  const packet = from && to ? bridgePacket(topology, from, to, answer) : null;
  if (packet) {
    const walk = walkForward(rules, packet);
    // A connection needs its replies too: a stateless drop of B -> A stops A -> B as well.
    const reply = walkForward(rules, {
      src: packet.dst,
      dst: packet.src,
      in: packet.out,
      out: packet.in,
      state: "established",
    });
    const decided =
      walk.verdict === "ACCEPT" && reply.verdict === "DROP" && reply.rule && !isDockerChain(reply.rule) ? reply : walk;
    evidence.push(decidingEvidence(decided, answer.ip.code));
    // What the answer hangs on: rules netdive took as not matching that would change it. A reply
    // dropped stops the connection too; a reply let through changes nothing already dropped.
    const unsure = [...walk.unsure, ...reply.unsure.filter((u) => u.then === "DROP" && walk.verdict === "ACCEPT")];
    for (const { rule: r, then } of unsure.filter((u, i) => unsure.findIndex((v) => v.rule === u.rule) === i)) {
      const note = unsureSentence(language, r, then);
      evidence.push({ ...toEvidence(r, "unevaluated"), note });
      caveats.push(note);
    }
    const rule = decided.rule;
    const overruled = rule !== null && !isDockerChain(rule) && (decided.verdict === "ACCEPT") !== answer.ip.reachable;
    if (overruled) {
      const code = decided.verdict === "DROP" ? "blocked-by-rule" : "allowed-by-rule";
      const words = { a: answer.from.name, b: answer.to.name, chain: rule.chain, rule: rule.rule };
      ip = {
        reachable: decided.verdict === "ACCEPT",
        code,
        via: decided.verdict === "ACCEPT" ? { kind: "network", networkId: null, address: packet.dst } : null,
        reason: ipSentence(language, code, words),
      };
    }
  }
  if (from) {
    for (const networkId of Object.keys(netnsOwner(topology, from).endpoints)) {
      const subnet = topology.networks[networkId]?.subnets[0]?.subnet;
      if (subnet) for (const r of masqueradeRules(rules, subnet)) evidence.push(toEvidence(r, "masquerade"));
    }
  }
  if (answer.dns.code === "embedded-dns" || answer.dns.code === "not-on-shared-network") {
    for (const r of dnsRules ?? []) evidence.push(dnsEvidence(r, rules.from));
  }
  return { ...answer, ip, evidence, ...(caveats.length > 0 ? { caveats } : {}) };
}

/** Why a rule netdive cannot evaluate matters to the answer, in `language`. */
function unsureSentence(language: Language, r: FwRule, then: "ACCEPT" | "DROP"): string {
  const match = r.opaque ?? "a match";
  if (language === "es") {
    return `netdive no puede evaluar «${match}» en ${r.chain} (${r.rule}) y la tomó como no coincidente: si coincide, el paquete ${then === "DROP" ? "se descarta" : "pasa"}.`;
  }
  return `netdive cannot evaluate "${match}" in ${r.chain} (${r.rule}) and took the rule as not matching: if it matches, the packet is ${then === "DROP" ? "dropped" : "let through"}.`;
}

/** The packet A sends toward B across the host: between the bridges of their networks. */
function bridgePacket(
  topology: Topology,
  fromC: Container,
  toC: Container,
  answer: ReachAnswer,
): { src: string; dst: string; in: string; out: string } | null {
  const a = netnsOwner(topology, fromC);
  const b = netnsOwner(topology, toC);
  if (a.id === b.id || a.state !== "running" || b.state !== "running") return null;
  const bridged = (c: Container) =>
    Object.entries(c.endpoints).filter(([id, e]) => e.ipv4 && topology.networks[id]?.bridge);
  const aNets = bridged(a);
  const bNets = bridged(b);
  if (aNets.length === 0 || bNets.length === 0) return null;
  const via = answer.ip.via?.kind === "network" ? answer.ip.via.networkId : null;
  // Children of one macvlan or ipvlan parent meet inside the driver: no bridge, no host firewall.
  if (via && !topology.networks[via]?.bridge) return null;
  const shared = via ?? aNets.map(([id]) => id).find((id) => b.endpoints[id]?.ipv4) ?? null;
  const [aId, aEp] = (shared ? aNets.find(([id]) => id === shared) : aNets[0]) ?? aNets[0]!;
  const [bId, bEp] = (shared ? bNets.find(([id]) => id === shared) : bNets[0]) ?? bNets[0]!;
  return {
    src: aEp.ipv4 as string,
    dst: bEp.ipv4 as string,
    in: topology.networks[aId]?.bridge as string,
    out: topology.networks[bId]?.bridge as string,
  };
}

function decidingEvidence(walk: Walk, code: ReachAnswer["ip"]["code"]): Evidence {
  if (!walk.rule) {
    const chain = walk.policyOf;
    return {
      table: chain?.table ?? "filter",
      chain: chain?.name ?? "FORWARD",
      rule: chain ? `policy ${chain.policy}` : "no rule matches: the packet is forwarded",
      verdict: walk.verdict,
      about: "policy",
      where: "host",
    };
  }
  const r = walk.rule;
  const about: Evidence["about"] = !isDockerChain(r)
    ? "user"
    : walk.verdict === "ACCEPT"
      ? "accept"
      : code === "icc-off"
        ? "icc"
        : code === "internal" || /INTERNAL/.test(r.chain)
          ? "internal"
          : "isolation";
  return toEvidence(r, about);
}

/** A rule as evidence; a rule that only jumps carries no verdict. */
export function toEvidence(r: FwRule, about: Evidence["about"]): Evidence {
  const verdict = r.verdict && r.verdict !== "JUMP" && r.verdict !== "GOTO" ? r.verdict : undefined;
  return { table: r.table, chain: r.chain, rule: r.rule, ...(verdict ? { verdict } : {}), about, where: "host" };
}

/** An embedded-DNS hook of the sender's namespace, written the way its firewall prints it. */
function dnsEvidence(r: DnsRule, from: Ruleset["from"]): Evidence {
  return from === "nftables"
    ? {
        table: "ip docker-dns",
        chain: "dns-dnat",
        rule: `ip daddr 127.0.0.11 ${r.proto} dport 53 dnat to ${r.target}`,
        verdict: "DNAT",
        about: "dns",
        where: "container",
      }
    : {
        table: "nat",
        chain: "DOCKER_OUTPUT",
        rule: `-A DOCKER_OUTPUT -d 127.0.0.11/32 -p ${r.proto} -m ${r.proto} --dport 53 -j DNAT --to-destination ${r.target}`,
        verdict: "DNAT",
        about: "dns",
        where: "container",
      };
}
