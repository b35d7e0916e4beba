import {
  bridgeAddress as modelBridgeAddress,
  firstV4,
  ipOf as modelIpOf,
  subnetOf as modelSubnetOf,
  type Container,
  type HostInterface,
  type Network,
} from "@netdive/model";
import { ids, type EdgeData } from "../graph/to-elements";
import type { LabScenario, TourContext } from "./types";

/**
 * The containers a chapter can talk about: running and drawn, the lab's own for that scenario
 * first (label `io.netdive.scenario`), then any other that fits, each group by name, so the same
 * topology always gives the same choice.
 */
export function containersFor(ctx: TourContext, scenario: LabScenario, fits: (c: Container) => boolean): Container[] {
  const rank = (c: Container) => (c.labScenario === scenario ? 0 : 1);
  return Object.values(ctx.topology.containers)
    .filter((c) => c.state === "running" && ctx.graph.has(ids.container(c.id)) && fits(c))
    .sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

/** The drawn bridge networks, the default one (docker0) first, then by name. */
export function drawnBridges(ctx: TourContext): Network[] {
  return Object.values(ctx.topology.networks)
    .filter((n) => n.bridge !== null && ctx.graph.has(ids.bridge(n.id)))
    .sort((a, b) => Number(b.isDefaultBridge) - Number(a.isDefaultBridge) || a.name.localeCompare(b.name));
}

/** Docker's default `bridge` network (docker0), when drawn. */
export function defaultBridge(ctx: TourContext): Network | undefined {
  return drawnBridges(ctx).find((n) => n.isDefaultBridge);
}

/** Whether the container has an endpoint on the network. */
export function isOn(c: Container, n: Network): boolean {
  return c.endpoints[n.id] !== undefined;
}

/** The first IPv4 address in a list of CIDRs, or "". */
export { firstV4 } from "@netdive/model";

/** The bridge's own address in CIDR (the model's answer, on this topology), "?" when unknown. */
export function bridgeAddress(ctx: TourContext, n: Network): string {
  return modelBridgeAddress(n, ctx.topology.hosts[n.engineId]?.interfaces ?? []) || "?";
}

/** The network's IPv4 subnet, e.g. "172.17.0.0/16"; "?" when it has none. */
export function subnetOf(n: Network): string {
  return modelSubnetOf(n) || "?";
}

/** The container's IPv4 address on a network (without prefix), or on its first endpoint; "?" when none. */
export function ipOf(c: Container, n?: Network): string {
  return modelIpOf(c, n) || "?";
}

/** One container interface, its host veth and the edge that draws the pair, all on the canvas. */
export interface VethPair {
  /** Interface name inside the container, e.g. "eth0". */
  iface: string;
  /** Its IPv4 address in CIDR, or "" when it has none. */
  address: string;
  /** The host end's name, e.g. "veth5aa3c9c". */
  veth: string;
  ifaceId: string;
  vethId: string;
  edgeId: string;
}

/** The veth pair of one of the container's interfaces, when drawn. */
export function vethPair(ctx: TourContext, c: Container, ifName = "eth0"): VethPair | undefined {
  const iface = c.interfaces.find((i) => i.name === ifName);
  const ifaceId = ids.iface(c.id, ifName);
  const edge = ctx.graph.edges("pair", { source: ifaceId })[0];
  if (!iface?.hostPeer || !edge) return undefined;
  return {
    iface: ifName,
    address: firstV4(iface.addresses),
    veth: iface.hostPeer.name,
    ifaceId,
    vethId: edge.target,
    edgeId: edge.id,
  };
}

/** The edge that plugs a host veth into its bridge. */
export function masterEdge(ctx: TourContext, vethId: string): EdgeData | undefined {
  return ctx.graph.edges("master", { source: vethId })[0];
}

/** The edge from a bridge to the host's NIC (absent for internal networks). */
export function natEdge(ctx: TourContext, n: Network): EdgeData | undefined {
  return ctx.graph.edges("nat", { source: ids.bridge(n.id) })[0];
}

/** The host interface that carries the default route, when drawn. */
export function hostNic(ctx: TourContext, engineId: string): { iface: HostInterface; id: string } | undefined {
  const iface = ctx.topology.hosts[engineId]?.interfaces.find(
    (i) => i.defaultRoute && ctx.graph.has(ids.nic(engineId, i.name)),
  );
  return iface ? { iface, id: ids.nic(engineId, iface.name) } : undefined;
}

/** The drawn bridge networks a container is attached to, by name. */
export function bridgesOf(ctx: TourContext, c: Container): Network[] {
  return drawnBridges(ctx).filter((n) => isOn(c, n));
}

/** The drawn, running containers on a network, by name. */
export function membersOf(ctx: TourContext, n: Network): Container[] {
  return n.containerIds
    .map((id) => ctx.topology.containers[id])
    .filter((c): c is Container => c !== undefined && c.state === "running" && ctx.graph.has(ids.container(c.id)))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Whether running containers the lab made for this scenario are drawn. */
export function scenarioDrawn(ctx: TourContext, scenario: LabScenario): boolean {
  return Object.values(ctx.topology.containers).some(
    (c) => c.labScenario === scenario && c.state === "running" && ctx.graph.has(ids.container(c.id)),
  );
}
