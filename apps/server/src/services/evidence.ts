import type { HostFirewall } from "@netdive/collector";
import {
  explainReach,
  netnsOwner,
  networkRules,
  publishedPaths,
  withEvidence,
  type Container,
  type ContainerPorts,
  type Language,
  type Network,
  type NetworkRules,
  type ReachAnswer,
} from "@netdive/model";
import type { TopologyService } from "./topology-service";

/**
 * The kernel's evidence behind what the page shows: the host's firewall rules for a reach answer
 * and for a published port's path. Read when asked, never on a collection (a firewall read is
 * one iptables-save, a few ms; see docs/api.md, "Rules as evidence").
 */

const NOT_LIVE = "netdive is replaying a recording: the host's firewall was not recorded.";

/** The firewall of the engine that runs `container`: read now, or why not. */
async function firewallOf(service: TopologyService, engineId: string): Promise<HostFirewall> {
  const collector = service.collectorOf(engineId);
  if (!collector) return { rules: { ok: false, reason: NOT_LIVE }, proxies: { ok: false, reason: NOT_LIVE } };
  return collector.readFirewall();
}

/** explainReach, with the host's rules that decide it (and the sender's DNS hooks) attached. */
export async function reachWithEvidence(
  service: TopologyService,
  fromId: string,
  toId: string,
  language: Language,
): Promise<ReachAnswer> {
  const topology = service.current();
  const answer = explainReach(topology, fromId, toId, language);
  const from = topology.containers[fromId];
  if (!from) return answer;
  const collector = service.collectorOf(from.engineId);
  const [firewall, dnsRules] = await Promise.all([
    firewallOf(service, from.engineId),
    collector ? collector.readDnsHooks(netnsOwner(topology, from)) : Promise.resolve(null),
  ]);
  if (!firewall.rules.ok) return { ...answer, evidenceUnavailable: firewall.rules.reason };
  return withEvidence(topology, answer, firewall.rules.rules, dnsRules, language);
}

/** A container's published ports as paths, with the DNAT rule and the proxy that carry each. */
export async function portsWithEvidence(service: TopologyService, container: Container): Promise<ContainerPorts> {
  const topology = service.current();
  const firewall = await firewallOf(service, container.engineId);
  const unavailable: ContainerPorts["unavailable"] = {};
  if (!firewall.rules.ok) unavailable.rules = firewall.rules.reason;
  if (!firewall.proxies.ok) unavailable.proxies = firewall.proxies.reason;
  return {
    id: container.id,
    name: container.name,
    firewall: firewall.rules.ok ? firewall.rules.rules.from : null,
    paths: publishedPaths(
      topology,
      container,
      firewall.rules.ok ? firewall.rules.rules : null,
      firewall.proxies.ok ? firewall.proxies.proxies : null,
    ),
    unavailable,
  };
}

/** The host's rules for a bridge and its NAT line: its MASQUERADE and every rule naming the bridge. */
export async function networkWithEvidence(service: TopologyService, network: Network): Promise<NetworkRules> {
  const firewall = await firewallOf(service, network.engineId);
  if (!firewall.rules.ok) {
    return { id: network.id, name: network.name, firewall: null, rules: [], unavailable: firewall.rules.reason };
  }
  return {
    id: network.id,
    name: network.name,
    firewall: firewall.rules.rules.from,
    rules: networkRules(network, firewall.rules.rules),
  };
}
