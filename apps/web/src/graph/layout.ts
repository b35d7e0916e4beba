import type { GraphElement, NodeData } from "./to-elements";

export interface Position {
  x: number;
  y: number;
}

interface Band {
  /** Left edge of the band, where its first column of containers stands. */
  x0: number;
  /** Columns of containers before a band wraps to a new row above. */
  cols: number;
  /** Slot of each container box in the band: column = slot % cols, row = slot / cols. */
  slots: Record<string, number>;
}

/**
 * Where everything stands, kept between renders. Once placed, a node keeps its position: a new
 * container takes a free slot in its bridge's band, so nothing already on screen moves.
 */
export interface LayoutState {
  positions: Record<string, Position>;
  bands: Record<string, Band>;
  nextBandX: number;
  /** Slots in the host's bottom row: its NICs and host-mode containers. */
  hostSlots: Record<string, number>;
}

export const EMPTY_LAYOUT: LayoutState = { positions: {}, bands: {}, nextBandX: 0, hostSlots: {} };

/** Drawing grid, in model units (Cytoscape zooms). Bottom to top, as the document draws it. */
const COLUMN = 320;
const ROW = 320;
const BAND_GAP = 160;
const HOST_Y = 0;
const BRIDGE_Y = -190;
const VETH_Y = -350;
const CONTAINER_Y = -560;
const IFACE_STEP = 74;
/** How far apart the veths of one container's interfaces stand (less than a column minus the row steps). */
const VETH_SPREAD = 110;

function freeSlot(taken: Iterable<number>): number {
  const used = new Set(taken);
  let slot = 0;
  while (used.has(slot)) slot++;
  return slot;
}

/**
 * Places the elements, keeping every position from `previous`. Pure: returns a new state.
 * Bands (one per bridge) get their width when first seen, from how many containers they hold
 * then, and grow upward in new rows rather than sideways, so later bands never shift.
 */
export function layout(elements: readonly GraphElement[], previous: LayoutState): LayoutState {
  const nodes = elements.filter((e) => e.group === "nodes").map((e) => e.data as NodeData);
  const present = new Set(nodes.map((n) => n.id));
  const state: LayoutState = {
    positions: {},
    bands: {},
    nextBandX: previous.nextBandX,
    hostSlots: Object.fromEntries(Object.entries(previous.hostSlots).filter(([id]) => present.has(id))),
  };
  for (const [id, band] of Object.entries(previous.bands)) {
    state.bands[id] = {
      ...band,
      slots: Object.fromEntries(Object.entries(band.slots).filter(([box]) => present.has(box))),
    };
  }
  const place = (id: string, pos: Position) => {
    state.positions[id] = previous.positions[id] ?? pos;
  };

  const boxes = nodes.filter((n) => n.kind === "netns");
  const bandOf = (name: string): Band => {
    let band = state.bands[name];
    if (!band) {
      const members = boxes.filter((b) => b.band === name).length;
      const cols = Math.max(3, Math.ceil(Math.sqrt(members * 2)));
      band = { x0: state.nextBandX, cols, slots: {} };
      state.bands[name] = band;
      state.nextBandX += cols * COLUMN + BAND_GAP;
    }
    return band;
  };

  // Bridges first, in the order the topology gives them, so their bands are stable.
  for (const n of nodes) {
    if (n.kind !== "bridge") continue;
    const band = bandOf(n.id);
    const x = band.x0 + ((band.cols - 1) * COLUMN) / 2;
    place(n.id, { x, y: BRIDGE_Y });
  }
  for (const n of nodes) {
    if (n.kind === "dns" && n.band) {
      const bridge = state.positions[n.band];
      if (bridge) place(n.id, { x: bridge.x + 200, y: BRIDGE_Y + 70 });
    }
  }

  // The host's bottom row: NICs, then host-mode containers, each in a slot of its own.
  for (const n of nodes) {
    if (n.kind !== "nic" && n.kind !== "hostmode") continue;
    state.hostSlots[n.id] ??= freeSlot(Object.values(state.hostSlots));
    place(n.id, { x: (state.hostSlots[n.id] as number) * 260 - 300, y: HOST_Y });
  }

  const children = new Map<string, NodeData[]>();
  for (const n of nodes) {
    if (!n.parent) continue;
    const list = children.get(n.parent) ?? [];
    list.push(n);
    children.set(n.parent, list);
  }

  // Which of its box's interfaces each is (eth0 = 0, eth1 = 1, …): a multi-homed container's veths stand apart.
  const ifaceIndex = new Map<string, number>();
  for (const box of boxes) {
    const band = bandOf(box.band ?? "isolated");
    band.slots[box.id] ??= freeSlot(Object.values(band.slots));
    const slot = band.slots[box.id] as number;
    const row = Math.floor(slot / band.cols);
    // Odd rows stand half a column aside, so their veth pairs run down between the boxes below
    // instead of through them.
    const x = band.x0 + (slot % band.cols) * COLUMN + (row % 2) * (COLUMN / 2);
    const baseY = CONTAINER_Y - row * ROW;
    place(box.id, { x, y: baseY });

    const kids = children.get(box.id) ?? [];
    // Outward-facing interfaces at the bottom of the box, next to their veth; lo on top.
    const ifaces = kids
      .filter((k) => k.kind === "iface")
      .sort((a, b) => Number(a.label.startsWith("lo ")) - Number(b.label.startsWith("lo ")));
    ifaces.forEach((iface, k) => {
      ifaceIndex.set(iface.id, k);
      place(iface.id, { x, y: baseY - k * IFACE_STEP });
    });
    // Containers that joined this namespace stack above its interfaces, inside the same box.
    kids
      .filter((k) => k.kind === "joined")
      .forEach((j, k) => place(j.id, { x, y: baseY - (ifaces.length + k) * IFACE_STEP }));
  }

  // A veth stands under the interface it pairs with, stepped by row so rows do not collide.
  const pairOf = new Map<string, string>();
  for (const e of elements) {
    if (e.group === "edges" && e.data.kind === "pair") pairOf.set(e.data.target, e.data.source);
  }
  for (const n of nodes) {
    if (n.kind !== "veth") continue;
    const ifaceId = pairOf.get(n.id);
    const iface = ifaceId ? state.positions[ifaceId] : undefined;
    if (!iface) {
      place(n.id, { x: state.nextBandX, y: VETH_Y });
      continue;
    }
    const row = Math.max(0, Math.round((CONTAINER_Y - iface.y) / ROW));
    const k = ifaceIndex.get(ifaceId as string) ?? 0;
    place(n.id, { x: iface.x + (row % 4) * 24 + k * VETH_SPREAD, y: VETH_Y - (row % 4) * 40 });
  }

  // Anything left (a box-less joined container whose owner is hidden, say) gets a spot aside.
  for (const n of nodes) {
    if (!state.positions[n.id] && !children.has(n.id) && n.kind !== "compose" && n.kind !== "host") {
      place(n.id, { x: state.nextBandX, y: CONTAINER_Y });
    }
  }
  return state;
}
