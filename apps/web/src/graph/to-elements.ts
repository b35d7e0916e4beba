import type { Topology } from "@netdive/model";
import { messages } from "../i18n";
import { type EdgeData, type GraphElement, type NodeData } from "./elements";
import { buildPorts } from "./port-elements";
import { buildHost, buildRoom } from "./room-elements";
import { bridgeInterface, planRooms, type BuildContext, type RoomPlan } from "./room-plan";
import { DEFAULT_VIEW, networkShown, visibleContainers, type View } from "./view-filter";
import type { GraphWords } from "./words";

export {
  ids,
  type EdgeData,
  type EdgeKind,
  type GraphElement,
  type NodeData,
  type NodeKind,
  type Ref,
} from "./elements";
export { DEFAULT_VIEW, matchesFilter, type View } from "./view-filter";
export type { GraphWords } from "./words";

interface Built {
  deps: readonly unknown[];
  nodes: NodeData[];
  edges: EdgeData[];
}

/**
 * Remembers each room's elements with what they were built from. A patch replaces only the
 * objects it touches (applyPatchCopy shares the rest), so a room whose network, containers and
 * bridge interface are the same objects as before is not rebuilt: one `docker run` rebuilds one
 * room, not the host.
 */
export class ElementCache {
  private rooms = new Map<string, Built>();
  /** Rooms built anew by the last `build`, by id (the canvas patches only these). */
  rebuilt = new Set<string>();

  /**
   * `pathsFor`: the container whose published ports are drawn as paths to the NIC (the selected
   * one); every other container's ports are lines on its box.
   */
  build(
    topology: Topology,
    view: View = DEFAULT_VIEW,
    w: GraphWords = messages.en,
    pathsFor: string | null = null,
  ): GraphElement[] {
    const visible = visibleContainers(topology, view);
    const shown = new Set(
      Object.values(topology.networks)
        .filter((n) => topology.hosts[n.engineId] && networkShown(n, view, visible))
        .map((n) => n.id),
    );
    const ctx: BuildContext = { topology, view, visible, shown, w };
    const { rooms, hostMode } = planRooms(ctx);
    const shownKey = [...shown].join(",");
    const next = new Map<string, Built>();
    this.rebuilt = new Set();
    const nodes: NodeData[] = [];
    const edges: EdgeData[] = [];
    const engines = Object.keys(topology.hosts);
    const allJoined = new Map(rooms.flatMap((r) => [...r.joined]));
    for (const engineId of engines) {
      const key = `host:${engineId}`;
      const list = hostMode.get(engineId) ?? [];
      const deps = [
        topology.hosts[engineId],
        topology.engines[engineId],
        // One engine's box says its engine only when there are several.
        engines.length,
        view,
        w,
        shownKey,
        ...list,
        ...list.flatMap((c) => allJoined.get(c.id) ?? []),
      ];
      const built = this.reuse(key, deps) ?? { deps, ...buildHost(engineId, list, allJoined, ctx) };
      next.set(key, built);
      nodes.push(...built.nodes);
      edges.push(...built.edges);
      // The selected container's port paths: a few nodes, built every time.
      const ports = buildPorts(engineId, ctx, pathsFor);
      nodes.push(...ports.nodes);
      edges.push(...ports.edges);
    }
    for (const plan of rooms) {
      const deps = roomDeps(plan, ctx, shownKey);
      let built = this.reuse(plan.id, deps);
      if (!built) {
        built = { deps, ...buildRoom(plan, ctx) };
        this.rebuilt.add(plan.id);
      }
      next.set(plan.id, built);
      nodes.push(...built.nodes);
      edges.push(...built.edges);
    }
    this.rooms = next;
    return [
      ...orderedNodes(nodes).map((data) => ({ group: "nodes" as const, data })),
      ...edges.map((data) => ({ group: "edges" as const, data })),
    ];
  }

  private reuse(key: string, deps: readonly unknown[]): Built | undefined {
    const old = this.rooms.get(key);
    if (!old || old.deps.length !== deps.length) return undefined;
    for (let i = 0; i < deps.length; i++) if (!Object.is(old.deps[i], deps[i])) return undefined;
    return old;
  }
}

/** Everything a room's elements are made from, as objects compared by identity. */
function roomDeps(plan: RoomPlan, ctx: BuildContext, shownKey: string): unknown[] {
  const { topology, view, w, visible } = ctx;
  const deps: unknown[] = [plan.network, bridgeInterface(plan, topology), view, w, shownKey];
  const host = topology.hosts[plan.engineId];
  deps.push(host?.interfaces.find((i) => i.defaultRoute)?.name, host?.kernel.visible);
  for (const c of plan.boxes) {
    deps.push(c, c.pidnsOwnerId ? visible.has(c.pidnsOwnerId) : null);
    for (const j of plan.joined.get(c.id) ?? []) deps.push(j, j.pidnsOwnerId ? visible.has(j.pidnsOwnerId) : null);
  }
  return deps;
}

/**
 * The topology as Cytoscape elements, drawn the way the document draws it: the host box with its
 * NIC, one room per bridge network (the bridge with its address, the embedded DNS on user-defined
 * networks, a host veth per attached interface, each container's network-namespace box holding
 * its interfaces). Pure: the same topology and view always give the same elements.
 */
export function toElements(
  topology: Topology,
  view: View = DEFAULT_VIEW,
  w: GraphWords = messages.en,
  pathsFor: string | null = null,
): GraphElement[] {
  return new ElementCache().build(topology, view, w, pathsFor);
}

/** Unique by id, parents before their children (Cytoscape adds a child only to an existing parent). */
function orderedNodes(nodes: NodeData[]): NodeData[] {
  const byId = new Map<string, NodeData>();
  for (const n of nodes) if (!byId.has(n.id)) byId.set(n.id, n);
  const depth = (n: NodeData): number => {
    let d = 0;
    for (let p = n.parent; p !== undefined && d < 8; p = byId.get(p)?.parent) d++;
    return d;
  };
  return [...byId.values()]
    .map((n, i) => ({ n, i, d: depth(n) }))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .map((x) => x.n);
}
