import { ids, type GraphElement, type NodeData } from "./elements";
import { EMPTY_LAYOUT, layout, placeSize, type FoldRequest, type LayoutState } from "./layout";
import { GRID } from "./room-packing";

/**
 * Several engines side by side: each engine's host box is laid out on its own (its NIC, bridges
 * and rooms, as one engine alone would be), then the boxes stand in a row on one base line, in the
 * order the topology lists the engines. With one engine this is `layout` itself.
 */

/** Between two host boxes (their padding and labels included). */
export const HOST_GAP = 240;
/** The size of what an engine that cannot be read holds: the sentence saying why (style.ts draws it so). */
export const EMPTY_HOST_WIDTH = 640;
export const HOST_DOWN_HEIGHT = 320;

/** The engine id of each node: its `host:<engineId>` ancestor's (every drawn element has one). */
function enginesOf(nodes: readonly NodeData[]): Map<string, string> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const engine = new Map<string, string>();
  const find = (n: NodeData | undefined, depth: number): string | undefined => {
    if (!n || depth > 8) return undefined;
    if (n.kind === "host") return n.id.slice("host:".length);
    const known = engine.get(n.id);
    if (known !== undefined) return known;
    const found = n.parent ? find(byId.get(n.parent), depth + 1) : undefined;
    if (found !== undefined) engine.set(n.id, found);
    return found;
  };
  for (const n of nodes) {
    const e = find(n, 0);
    if (e !== undefined) engine.set(n.id, e);
  }
  return engine;
}

/** The left and right edges of what an engine's layout places (rooms at their full width). */
function extentX(state: LayoutState): { left: number; right: number } {
  let left = 0;
  let right = 0;
  for (const p of Object.values(state.positions)) {
    left = Math.min(left, p.x - GRID.column / 2);
    right = Math.max(right, p.x + GRID.column / 2);
  }
  for (const room of Object.values(state.rooms)) right = Math.max(right, room.x0 + placeSize(room).w);
  return { left, right };
}

/**
 * Places the elements of every engine, keeping each engine's positions from `previous`, and each
 * box where it stood unless the box to its left grew into it (then it moves right, as a whole).
 */
export function layoutEngines(
  elements: readonly GraphElement[],
  previous: LayoutState,
  aspect = 16 / 9,
  fold?: FoldRequest,
): LayoutState {
  const nodes = elements.flatMap((e) => (e.group === "nodes" ? [e.data as NodeData] : []));
  const hosts = nodes.filter((n) => n.kind === "host").map((n) => n.id.slice("host:".length));
  if (hosts.length <= 1) {
    const only = hosts[0];
    const before = only !== undefined && previous.engines ? (previous.engines[only]?.state ?? EMPTY_LAYOUT) : previous;
    return layout(elements, before, aspect, fold);
  }
  const engineOf = enginesOf(nodes);
  const parts = new Map<string, GraphElement[]>(hosts.map((h) => [h, []]));
  for (const e of elements) {
    const id = e.group === "nodes" ? e.data.id : e.data.source;
    parts.get(engineOf.get(id) ?? "")?.push(e);
  }
  const merged: LayoutState = { ...structuredClone(EMPTY_LAYOUT), engines: {} };
  // Each box gets its share of the canvas's width, so the row of boxes fills the canvas's shape.
  const share = aspect / hosts.length;
  let edge = -Infinity;
  for (const engineId of hosts) {
    const own = parts.get(engineId) ?? [];
    const was = previous.engines?.[engineId];
    const shareOfFold = fold && { ...fold, canvas: { ...fold.canvas, width: fold.canvas.width / hosts.length } };
    const state = layout(own, was?.state ?? EMPTY_LAYOUT, share, shareOfFold);
    const down = ids.hostDown(engineId);
    const empty = !own.some((e) => e.group === "nodes" && e.data.kind !== "host" && e.data.id !== down);
    // An engine that cannot be read: its reason stands where its NIC and rooms would.
    if (own.some((e) => e.data.id === down)) {
      state.positions[down] = { x: EMPTY_HOST_WIDTH / 2 - GRID.column / 2, y: -HOST_DOWN_HEIGHT / 2 };
    }
    const { left, right } = empty ? { left: -GRID.column / 2, right: EMPTY_HOST_WIDTH } : extentX(state);
    const fits = edge === -Infinity ? 0 : edge + HOST_GAP - left;
    const dx = Math.max(was?.dx ?? fits, fits);
    edge = dx + right;
    merged.engines![engineId] = { state, dx };
    for (const [id, p] of Object.entries(state.positions)) merged.positions[id] = { x: p.x + dx, y: p.y };
    for (const [id, room] of Object.entries(state.rooms)) merged.rooms[id] = { ...room, x0: room.x0 + dx };
    Object.assign(merged.widths, state.widths);
    Object.assign(merged.hostSlots, state.hostSlots);
    merged.wrap += state.wrap;
    merged.reflowed ||= state.reflowed;
  }
  return merged;
}
