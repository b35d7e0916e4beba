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
  | { group: "nodes"; data: OutsideNodeData; position: { x: number; y: number } };

export const flowIds = {
  edge: (flowId: string) => `flow:${flowId}`,
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
}

/**
 * The node a peer is drawn at: a container's box; the host at the interface that holds its
 * address (a bridge: the userland proxy and host processes reach containers from its gateway
 * address), else the host box; outside at its NIC's outside node.
 */
function nodeOf(flow: Flow, peer: FlowPeer, topology: Topology | undefined, canvas: CanvasLookup): string {
  if (peer.kind === "container") return ids.container(peer.containerId);
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

/**
 * The elements for one answer. A flow whose ends are not on the canvas (a closed room from far
 * away, a container filtered out) is left out; an outside node needs its NIC, else the host box.
 */
export function flowElements(answer: FlowsAnswer, canvas: CanvasLookup, topology?: Topology): FlowElement[] {
  const { positionOf } = canvas;
  const window = answer.windowSeconds * 1000;
  const nodes = new Map<string, FlowElement>();
  const edges: FlowElement[] = [];
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
    if (source === target || !present(source) || !present(target)) continue;
    edges.push({
      group: "edges",
      data: {
        id: flowIds.edge(flow.id),
        source,
        target,
        label: flow.port === null ? flow.protocol : `${flow.protocol}/${flow.port}`,
        status: flow.status,
        fade: flow.status === "open" ? 0 : Math.min(1, Math.round((flow.idleMs / window) * 20) / 20),
        arc: flow.client.kind === "container" && flow.server.kind === "container",
        flow: true,
        ref: { type: "flow", id: flow.id },
      },
    });
  }
  return [...nodes.values(), ...edges];
}
