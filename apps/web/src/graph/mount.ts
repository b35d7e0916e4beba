/**
 * Which elements are on the canvas. A room is *open* when its interior (boxes, interfaces,
 * veths, the embedded DNS and their lines) is in Cytoscape, *closed* when only its shell is: the
 * room's frame, its far-away card, its bridge (where NAT starts) and an unseen span that keeps
 * the room's extent. From far away every room is closed, so a host of 500 containers puts a few
 * dozen elements on the canvas, not 3,500, and a `docker run` restyles one card; closer in, the
 * rooms in and around the view open, and nothing already drawn moves (positions come from the
 * layout, which always places everything).
 */
import { ids, type GraphElement, type NodeData } from "./elements";
import { ETH_DY, GRID, roomWidth } from "./room-packing";
import { placeSize, type LayoutState, type RoomPlace } from "./layout";
import type { Lod } from "./lod";

/**
 * Where the canvas keeps its "open the rooms that hold these element ids" function (GraphCanvas
 * puts it there), for a focus that must frame elements of a closed room.
 */
export const MOUNT_HOOK = "netdive:mount";

/** What the canvas emits after rooms opened or closed, for layers drawn over it (flows). */
export const MOUNTED_EVENT = "netdive:mounted";

/** Opens the rooms that hold `elementIds`, so they are on the canvas. */
export function openRoomsOf(cy: { scratch(key: string): unknown }, elementIds: readonly string[]): void {
  (cy.scratch(MOUNT_HOOK) as ((ids: readonly string[]) => void) | undefined)?.(elementIds);
}

/** What stays on the canvas of a closed room. */
const SHELL = new Set(["room", "roomlabel", "bridge"]);

export interface Rect {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** Above the centre of a box's top interface: half the interface and the box's padding (measured on the page). */
const BOX_TOP = 29;

/** The part of a room its boxes and bridge take, as the layout placed them. */
export function roomExtent(place: RoomPlace): Rect {
  if (place.card) return roomArea(place);
  const rowsUsed = Math.max(0, ...Object.values(place.slots).map((slot) => Math.floor(slot / place.cols)));
  const tallest = 2 + Math.round((place.pitch - GRID.row) / GRID.ifaceStep);
  return {
    x1: place.x0 + 20,
    x2: place.x0 + roomWidth(place.cols) - 20,
    y1: place.base + ETH_DY - rowsUsed * place.pitch - (tallest - 1) * GRID.ifaceStep - BOX_TOP,
    y2: place.base + GRID.bar / 2,
  };
}

/** All a room may grow into (its spare rows included). */
function roomArea(place: RoomPlace): Rect {
  const { w, h } = placeSize(place);
  return {
    x1: place.x0,
    x2: place.x0 + w,
    y1: place.base + GRID.bar / 2 - h,
    y2: place.base + GRID.bar / 2,
  };
}

function overlaps(a: Rect, b: Rect): boolean {
  return a.x1 <= b.x2 && b.x1 <= a.x2 && a.y1 <= b.y2 && b.y1 <= a.y2;
}

/** Rooms that `view` (model units) shows, or nearly: `margin` is a share of the view added on every side. */
export function roomsInView(state: LayoutState, view: Rect, margin = 0.2): string[] {
  const mx = (view.x2 - view.x1) * margin;
  const my = (view.y2 - view.y1) * margin;
  const near = { x1: view.x1 - mx, x2: view.x2 + mx, y1: view.y1 - my, y2: view.y2 + my };
  // A folded room stays a card until the user opens it (room-folding.ts).
  return Object.entries(state.rooms)
    .filter(([, place]) => !place.card && overlaps(roomArea(place), near))
    .map(([id]) => id);
}

/**
 * The rooms to keep open after the view moved: none from far away (every room is a card);
 * closer, those in and around the view open, and those a view's width or more away close.
 * Between the two margins a room stays as it is, so panning to and fro does not rebuild it, and
 * the canvas holds about the rooms near the view however far one pans.
 */
export function roomsToOpen(before: ReadonlySet<string>, lod: Lod, state: LayoutState, view: Rect): Set<string> {
  if (lod === "rooms") return new Set();
  const near = new Set(roomsInView(state, view, 1));
  return new Set([...[...before].filter((r) => near.has(r)), ...roomsInView(state, view)]);
}

/**
 * The elements the canvas holds when only the rooms in `open` are open: every element outside a
 * room, each room's shell, open rooms whole, and a span for each closed room. Parents before
 * children and nodes before edges, as in `elements`.
 */
export function mountedElements(
  elements: readonly GraphElement[],
  open: ReadonlySet<string>,
  state: LayoutState,
): GraphElement[] {
  const mounted = new Set<string>();
  // A folded room's shell: drawn as its card at every zoom (lod.ts); no line leads into it.
  const inFolded = new Set<string>();
  const out: GraphElement[] = [];
  const closed = new Set<string>();
  for (const e of elements) {
    if (e.group === "nodes") {
      const d = e.data;
      if (d.parent !== undefined && !mounted.has(d.parent)) continue;
      const folded = d.room !== undefined && state.rooms[d.room]?.card !== undefined;
      if (d.room !== undefined && (folded || !open.has(d.room)) && !SHELL.has(d.kind)) continue;
      if (d.kind === "room" && (folded || !open.has(d.id))) closed.add(d.id);
      mounted.add(d.id);
      if (folded) inFolded.add(d.id);
      out.push(folded && SHELL.has(d.kind) ? { ...e, data: { ...d, folded } } : e);
    } else if (mounted.has(e.data.source) && mounted.has(e.data.target)) {
      if (inFolded.has(e.data.source) || inFolded.has(e.data.target)) continue;
      out.push(e);
    }
  }
  const spans: GraphElement[] = [];
  for (const room of closed) {
    const place = state.rooms[room];
    if (!place) continue;
    const r = roomExtent(place);
    const data: NodeData = {
      id: ids.roomSpan(room),
      kind: "roomspan",
      parent: room,
      room,
      label: "",
      ...(place.card ? { folded: true } : {}),
      w: r.x2 - r.x1,
      h: r.y2 - r.y1,
    };
    spans.push({ group: "nodes", data });
  }
  // Spans are leaves under their room: after every node, before the edges.
  const firstEdge = out.findIndex((e) => e.group === "edges");
  if (firstEdge < 0) return [...out, ...spans];
  return [...out.slice(0, firstEdge), ...spans, ...out.slice(firstEdge)];
}

/** Where a closed room's span stands: the centre of its extent. */
export function spanPosition(state: LayoutState, room: string): { x: number; y: number } | undefined {
  const place = state.rooms[room];
  if (!place) return undefined;
  const r = roomExtent(place);
  return { x: (r.x1 + r.x2) / 2, y: (r.y1 + r.y2) / 2 };
}

/**
 * The rooms that hold the elements `elementIds` (a node's own room, or its parent's; both ends'
 * of an edge), so a focus on them can open those rooms first.
 */
export function roomsHolding(elements: readonly GraphElement[], elementIds: Iterable<string>): Set<string> {
  const roomOf = roomsOf(elements);
  const edges = new Map<string, [string, string]>();
  for (const e of elements) if (e.group === "edges") edges.set(e.data.id, [e.data.source, e.data.target]);
  const out = new Set<string>();
  for (const id of elementIds) {
    for (const end of edges.get(id) ?? [id]) {
      const room = roomOf.get(end);
      if (room) out.add(room);
    }
  }
  return out;
}

/** The room each node is drawn in (its own, or its parent's), by node id. */
export function roomsOf(elements: readonly GraphElement[]): Map<string, string> {
  const roomOf = new Map<string, string>();
  for (const e of elements) {
    if (e.group === "edges") continue;
    const room = e.data.room ?? (e.data.parent ? roomOf.get(e.data.parent) : undefined);
    if (room) roomOf.set(e.data.id, room);
  }
  return roomOf;
}
