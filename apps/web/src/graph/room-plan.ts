import { homeNetwork, type Container, type HostInterface, type Network, type Topology } from "@netdive/model";
import { ids } from "./elements";
import type { View } from "./view-filter";
import type { GraphWords } from "./words";

/** What every room's builder needs to know of the whole view. */
export interface BuildContext {
  topology: Topology;
  view: View;
  /** Ids of the containers drawn. */
  visible: ReadonlySet<string>;
  /** Ids of the networks whose rooms are drawn. */
  shown: ReadonlySet<string>;
  w: GraphWords;
}

/**
 * One room of the drawing: a bridge network as the document draws one (the bridge, its veths,
 * the namespaces of the containers that live there), or an engine's room for containers attached
 * to no drawn bridge (none mode).
 */
export interface RoomPlan {
  id: string;
  engineId: string;
  network: Network | null;
  /** Containers with a namespace box in this room, in drawing order (compose projects together, then by name). */
  boxes: Container[];
  /** Containers drawn inside another's box (`--network container:X`), by owner id. */
  joined: Map<string, Container[]>;
}

/**
 * Networks in the engine's order (docker0 first), except that a network sharing a container with
 * the one before it comes next: a container on two networks then joins two rooms side by side,
 * and "these two bridges are isolated" fits in one view.
 */
function neighbourly(networks: readonly Network[]): Network[] {
  const left = [...networks];
  const out: Network[] = [];
  while (left.length > 0) {
    const last = out[out.length - 1];
    const shares = last ? left.findIndex((n) => n.containerIds.some((id) => last.containerIds.includes(id))) : -1;
    out.push(...left.splice(shares >= 0 ? shares : 0, 1));
  }
  return out;
}

/** Which room each drawn container lives in; host-mode containers live in their host's box. */
export function planRooms(ctx: BuildContext): { rooms: RoomPlan[]; hostMode: Map<string, Container[]> } {
  const { topology, visible, shown } = ctx;
  const rooms = new Map<string, RoomPlan>();
  // docker0's room first (the document starts there), then in the engine's order: a new network appends.
  const networks = neighbourly(
    Object.values(topology.networks)
      .filter((n) => shown.has(n.id))
      .sort((a, b) => Number(b.isDefaultBridge) - Number(a.isDefaultBridge)),
  );
  for (const n of networks) {
    if (shown.has(n.id)) {
      rooms.set(ids.room(n.id), { id: ids.room(n.id), engineId: n.engineId, network: n, boxes: [], joined: new Map() });
    }
  }
  const unattached = new Map<string, RoomPlan>();
  const hostMode = new Map<string, Container[]>();
  const joined = new Map<string, Container[]>();
  const homes = new Map<string, RoomPlan>();
  const byName = Object.values(topology.containers)
    .filter((c) => visible.has(c.id))
    .sort((a, b) => a.name.localeCompare(b.name));
  for (const c of byName) {
    if (c.netnsOwnerId && visible.has(c.netnsOwnerId)) {
      joined.set(c.netnsOwnerId, [...(joined.get(c.netnsOwnerId) ?? []), c]);
      continue;
    }
    if (c.networkMode === "host") {
      hostMode.set(c.engineId, [...(hostMode.get(c.engineId) ?? []), c]);
      continue;
    }
    const home = homeNetwork(c, topology, (n) => shown.has(n.id));
    let room = home ? rooms.get(ids.room(home.id)) : undefined;
    if (!room) {
      room = unattached.get(c.engineId);
      if (!room) {
        const id = ids.unattachedRoom(c.engineId);
        room = { id, engineId: c.engineId, network: null, boxes: [], joined: new Map() };
        unattached.set(c.engineId, room);
      }
    }
    room.boxes.push(c);
    homes.set(c.id, room);
  }
  for (const [owner, list] of joined) homes.get(owner)?.joined.set(owner, list);
  const project = (c: Container) => c.composeProject ?? "\uffff";
  const all = [...rooms.values(), ...unattached.values()];
  for (const room of all)
    room.boxes.sort((a, b) => project(a).localeCompare(project(b)) || a.name.localeCompare(b.name));
  return { rooms: all, hostMode };
}

/** The host interface a room's inputs depend on: its bridge's (for the address). */
export function bridgeInterface(plan: RoomPlan, topology: Topology): HostInterface | undefined {
  const bridge = plan.network?.bridge;
  return bridge ? topology.hosts[plan.engineId]?.interfaces.find((i) => i.name === bridge) : undefined;
}
