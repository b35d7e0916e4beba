import type { Flow, FlowPeer, FlowsAnswer, Topology } from "@netdive/model";
import { ids, type Ref } from "./elements";

/**
 * Who is talking now, as canvas elements drawn over the laid-out picture: one edge per flow from
 * the client's box to the server's, and one "outside" node per NIC placed beside that NIC. They
 * are added after the layout and never take part in it, so no node moves for them.
 */

/** A flow edge: `fade` is 0 while the flow is open or just ended, 1 at the end of the window. */
export interface FlowEdgeData {
  id: string;
  source: string;
  target: string;
  /** "tcp/80", "icmp". */
  label: string;
  status: Flow["status"];
  fade: number;
  /** Both ends are container boxes: drawn as an arch over them (they often stand side by side). */
  arc: boolean;
  /**
   * How far the arch's middle stands off the line between the ends, to the line's left (model
   * units): negative when the listener stands right of the client, so the arch rises either way.
   */
  bend: number;
  /** How many flows the edge stands for: more than one where a closed room stands for its containers. */
  count: number;
  flow: true;
  ref: Ref;
}

/**
 * Talk inside one closed room (two of its containers): no line can join a card to itself
 * readably, so it is a tag in the card's top right corner ("⇄ tcp/80"), over the card, never in
 * it (a child would grow the room). Clicked, it shows the flows it stands for.
 */
export interface TalkNodeData {
  id: string;
  kind: "talk";
  label: string;
  status: Flow["status"];
  fade: number;
  count: number;
  flow: true;
  ref: Ref;
}

/** An "outside" node: everything beyond the host through one NIC. */
export interface OutsideNodeData {
  id: string;
  label: string;
  flow: true;
  kind: "outside";
}

export type FlowElement =
  | { group: "edges"; data: FlowEdgeData }
  | { group: "nodes"; data: OutsideNodeData | TalkNodeData; position: { x: number; y: number } };

export const flowIds = {
  edge: (flowId: string) => `flow:${flowId}`,
  /** The flows between two nodes taken together, where a closed room's card stands for its containers. */
  bundle: (source: string, target: string) => `flow:bundle:${source}>${target}`,
  outside: (engineId: string, nic: string | null, address?: string) =>
    `outside:${engineId}:${nic ?? ""}${address ? `:${address}` : ""}`,
};

/** How far left of the host box an outside node stands, and how far apart two of them (model units). */
const OUTSIDE_GAP = 110;
const OUTSIDE_STEP = 50;

/** What the canvas already holds: where a node is and its extent, or undefined when it is not on the canvas. */
export interface CanvasLookup {
  positionOf(id: string): { x: number; y: number } | undefined;
  boundsOf(id: string): { x1: number; y1: number; x2: number; y2: number } | undefined;
  /**
   * The node on the canvas that stands for `id` while `id` is not there: the card of the closed
   * room that holds it. Undefined when nothing does.
   */
  standIn?(id: string): string | undefined;
}

/**
 * The node a peer is drawn at: a container's box; the host at the interface that holds its
 * address (a bridge: the userland proxy and host processes reach containers from its gateway
 * address), else the host box; outside at its NIC's outside node.
 */
function nodeOf(flow: Flow, peer: FlowPeer, topology: Topology | undefined, canvas: CanvasLookup): string {
  if (peer.kind === "container") {
    const box = ids.container(peer.containerId);
    return canvas.positionOf(box) ? box : (canvas.standIn?.(box) ?? box);
  }
  if (peer.kind === "outside") return flowIds.outside(flow.engineId, peer.nic, peer.address);
  const via = peer.interface;
  if (via) {
    const network = Object.values(topology?.networks ?? {}).find(
      (n) => n.engineId === flow.engineId && n.bridge === via,
    );
    const candidates = network ? [ids.bridge(network.id)] : [ids.nic(flow.engineId, via)];
    for (const id of candidates) if (canvas.positionOf(id)) return id;
  }
  return ids.host(flow.engineId);
}

/** How far inside a closed room's top right corner its talk tag is pinned (model units). */
const TALK_INSET = 16;

/** How high an arch between two boxes rises over them (model units). */
const ARCH = 110;

/**
 * Cytoscape bends an edge to the left of its direction for a positive distance: up when it runs
 * right to left. An arch over two boxes must rise whichever way the flow runs.
 */
function archBend(from?: { x: number }, to?: { x: number }): number {
  return from && to && from.x > to.x ? ARCH : -ARCH;
}

/** A flow's words on its edge: "tcp/80", "icmp". */
const flowLabel = (flow: Flow) => (flow.port === null ? flow.protocol : `${flow.protocol}/${flow.port}`);

/** 0 while the flow is open, then its idle share of the window (in steps of 5%). */
const fadeOf = (flow: Flow, windowMs: number) =>
  flow.status === "open" ? 0 : Math.min(1, Math.round((flow.idleMs / windowMs) * 20) / 20);

/** At most this many services are named on a bundle's edge; the rest are counted. */
const BUNDLE_WORDS = 2;

/**
 * The elements for one answer. A flow between two boxes on the canvas is an edge of its own. A
 * flow with an end in a closed room (from far away every room is a card) is drawn to that room,
 * taken together with the other flows between the same two nodes: one edge per pair, and a tag
 * in the room's corner for flows between two containers of that one room. A flow whose ends are on
 * no node at all (a container filtered out) is left out; an outside node needs its NIC, else the
 * host box.
 */
export function flowElements(answer: FlowsAnswer, canvas: CanvasLookup, topology?: Topology): FlowElement[] {
  const { positionOf } = canvas;
  const window = answer.windowSeconds * 1000;
  const nodes = new Map<string, FlowElement>();
  const edges: FlowElement[] = [];
  const bundles = new Map<string, { source: string; target: string; flows: Flow[] }>();
  for (const flow of answer.flows) {
    for (const peer of [flow.client, flow.server]) {
      if (peer.kind !== "outside") continue;
      const id = flowIds.outside(flow.engineId, peer.nic, peer.address);
      if (nodes.has(id)) continue;
      // Left of the host box, level with its NIC: clear of the box's contents and of its name below it.
      const host = canvas.boundsOf(ids.host(flow.engineId));
      const nic = peer.nic ? positionOf(ids.nic(flow.engineId, peer.nic)) : undefined;
      if (!host) continue;
      const stacked = [...nodes.values()].filter((n) => n.group === "nodes").length;
      nodes.set(id, {
        group: "nodes",
        data: { id, label: peer.address ?? `outside${peer.nic ? ` (${peer.nic})` : ""}`, flow: true, kind: "outside" },
        position: { x: host.x1 - OUTSIDE_GAP, y: (nic?.y ?? host.y2 - OUTSIDE_STEP) - stacked * OUTSIDE_STEP },
      });
    }
    const source = nodeOf(flow, flow.client, topology, canvas);
    const target = nodeOf(flow, flow.server, topology, canvas);
    const present = (id: string) => nodes.has(id) || positionOf(id) !== undefined;
    if (!present(source) || !present(target)) continue;
    // A container drawn at another node than its box: its closed room stands in for it.
    const stoodIn = (peer: FlowPeer, node: string) =>
      peer.kind === "container" && node !== ids.container(peer.containerId);
    if (stoodIn(flow.client, source) || stoodIn(flow.server, target)) {
      const key = `${source}>${target}`;
      const bundle = bundles.get(key) ?? { source, target, flows: [] };
      bundle.flows.push(flow);
      bundles.set(key, bundle);
      continue;
    }
    if (source === target) continue;
    edges.push({
      group: "edges",
      data: {
        id: flowIds.edge(flow.id),
        source,
        target,
        label: flowLabel(flow),
        status: flow.status,
        fade: fadeOf(flow, window),
        arc: flow.client.kind === "container" && flow.server.kind === "container",
        bend: archBend(positionOf(source), positionOf(target)),
        count: 1,
        flow: true,
        ref: { type: "flow", id: flow.id },
      },
    });
  }
  for (const { source, target, flows } of bundles.values()) {
    const id = flowIds.bundle(source, target);
    const services = [...new Set(flows.map(flowLabel))].sort();
    const more = services.length - BUNDLE_WORDS;
    const label = more > 0 ? `${services.slice(0, BUNDLE_WORDS).join(", ")} +${more}` : services.join(", ");
    const shared = {
      status: flows.some((f) => f.status === "open") ? ("open" as const) : ("ended" as const),
      fade: Math.min(...flows.map((f) => fadeOf(f, window))),
      count: flows.length,
      flow: true as const,
      ref: { type: "flow" as const, id: (flows[0] as Flow).id, ids: flows.map((f) => f.id), edge: id },
    };
    if (source === target) {
      const room = canvas.boundsOf(source);
      if (!room) continue;
      nodes.set(id, {
        group: "nodes",
        data: { id, kind: "talk", label: `⇄ ${label}`, ...shared },
        position: { x: room.x2 - TALK_INSET, y: room.y1 + TALK_INSET },
      });
      continue;
    }
    edges.push({
      group: "edges",
      data: { id, source, target, label, arc: false, bend: ARCH, ...shared },
    });
  }
  return [...nodes.values(), ...edges];
}
