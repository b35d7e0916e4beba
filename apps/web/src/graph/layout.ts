import type { GraphElement, NodeData } from "./elements";
import {
  boxNeed,
  chooseWrap,
  growWrap,
  HOST_MARGIN,
  ETH_DY,
  GRID,
  pack,
  pitchFor,
  roomHeight,
  roomShape,
  roomWidth,
  VETH_DY,
  type RoomNeed,
} from "./room-packing";
import { CARD_LINE_HEIGHT, CHAR_WIDTH, fitRoomCard, MIN_TEXT_PX } from "./lod";
import { CARD_MARGIN, chooseFolds, type FoldCanvas, type FoldPlan } from "./room-folding";

export { chooseWrap, GRID, roomShape } from "./room-packing";

export interface Position {
  x: number;
  y: number;
}

/** Where one room stands: its left edge, its bridge's line, and the slots of its container boxes. */
export interface RoomPlace {
  x0: number;
  /** y of the bridge's centre line; the room's boxes stand above it in rows. */
  base: number;
  cols: number;
  /** Rows of boxes the room has room for (it was given one spare slot or more when placed). */
  rows: number;
  /** Distance between two rows of boxes (taller when a box holds more interfaces). */
  pitch: number;
  /** Which row of rooms it stands in. */
  row: number;
  /** Slot of each container box: column = slot % cols, row = slot / cols. */
  slots: Record<string, number>;
  /**
   * Folded (room-folding.ts): the room is one card of this size, model units, and its boxes are
   * not drawn (they have no slots) until the user opens it.
   */
  card?: { w: number; h: number };
}

/** The width and height a room was given: its columns and rows, or its card. */
export function placeSize(place: RoomPlace): { w: number; h: number } {
  return place.card ?? { w: roomWidth(place.cols), h: roomHeight(place.rows, place.pitch) };
}

/**
 * What a first layout may fold (room-folding.ts): the canvas it is fitted to, and the rooms the
 * user opened. Without it nothing folds.
 */
export interface FoldRequest {
  canvas: FoldCanvas;
  keepOpen?: ReadonlySet<string>;
}

/** A row of rooms: rooms stand side by side on one base line, rows stack upwards from the host's NIC. */
export interface RoomRow {
  base: number;
  height: number;
  /**
   * Rows run back and forth (the next row starts above where the last one ended), so rooms
   * next to each other in order stay near each other across a wrap: 1 fills rightwards, -1 leftwards.
   */
  dir: 1 | -1;
  /** The free edge where the next room of this row would go: its left edge (dir 1) or right edge (dir -1). */
  next: number;
}

/**
 * Where everything stands, kept between renders. Once placed, a node keeps its position: a new
 * container takes a free slot in its room, a new network appends a room, so nothing already on
 * screen moves. Only when a room below the top row is full does the host reflow (`reflowed`).
 */
/** How far below the NIC the published ports' row is, model units. */
const PORT_ROW_Y = 130;

export interface LayoutState {
  positions: Record<string, Position>;
  rooms: Record<string, RoomPlace>;
  rows: RoomRow[];
  /** How wide a row of rooms may grow, chosen once for the canvas's shape. */
  wrap: number;
  /**
   * How far right the top row may grow for new networks (room-packing.ts's `growWrap`): past
   * `wrap` while the picture keeps the canvas's shape. Absent: `wrap`.
   */
  growWrap?: number;
  /** Slots in the host's bottom row: host-mode containers. */
  hostSlots: Record<string, number>;
  /**
   * From one host-mode container to the next, model units: two columns, or wider when the first
   * screen is far out (room-folding.ts), so their names, written a little over the least readable
   * size, never run together.
   */
  hostPitch?: number;
  /** How many host-mode containers stand in one row below the NIC before the next row starts below it, and how far below. */
  hostPerRow?: number;
  hostRowPitch?: number;
  /** Where the first host-mode container stands: right of the NIC by its words and theirs. */
  hostStart?: number;
  /** The zoom the first layout's folds were chosen for (room-folding.ts); absent when nothing was asked to fold. */
  foldZoom?: number;
  /** Each published port's slot in the row below the NIC (port-elements.ts), by node id. */
  portSlots?: Record<string, number>;
  /** Widths given to wide nodes (a bridge spans its room), by id. */
  widths: Record<string, number>;
  /** True when this layout could not keep the previous one's positions (a full room below the top row). */
  reflowed: boolean;
  /**
   * With several engines (engine-layout.ts): each engine's own layout, before its box was moved
   * `dx` to the right; the fields above are then all engines' together, moved.
   */
  engines?: Record<string, { state: LayoutState; dx: number }>;
}

export const EMPTY_LAYOUT: LayoutState = {
  positions: {},
  rooms: {},
  rows: [],
  wrap: 0,
  hostSlots: {},
  widths: {},
  reflowed: false,
};

/** How many of a room card's members it names at a size (model units) and font. */
function namesOnCard(card: string, w: number, h: number, font: number): number {
  // A name broken after one of its separators still reads whole.
  const fitted = fitRoomCard(card, w - CARD_MARGIN.w, h - CARD_MARGIN.h, font, "more").replace(/([-_.])\n/g, "$1");
  const members = card
    .split("\n")
    .slice(3)
    .map((m) => m.split(" ")[0] ?? "");
  return members.filter((m) => m && fitted.includes(m)).length;
}

/** A folded card's words' size at zoom 1 (CSS px): as wide as its longest name, up to a limit; as tall as its lines, up to `lines`. */
function cardPx(card: string, lines: number, widest: number): { w: number; h: number } {
  const font = MIN_TEXT_PX + 1;
  const [name = "", , , ...members] = card.split("\n");
  const longest = Math.max(name.length, 14, ...members.map((m) => (m.split(" ")[0] ?? "").length));
  const chars = Math.min(widest, longest);
  const w = Math.ceil(chars * font * CHAR_WIDTH) + 2;
  const fitted = fitRoomCard(card, w, lines * font * CARD_LINE_HEIGHT + 1, font, "more");
  return { w, h: Math.ceil(fitted.split("\n").length * font * CARD_LINE_HEIGHT) + 2 };
}

/** A host-mode container's slot on screen at the first screen's zoom, CSS px: a long name's token at the least readable size. */
const HOST_MODE_PX = 190;
/** From the NIC to the first host-mode container at the first screen's zoom, CSS px: half of each one's words and a gap. */
const HOST_START_PX = 170;
/** From one row of host-mode containers to the next: model units, and CSS px at the first screen's zoom (a name of three lines). */
const HOST_ROW = 160;
const HOST_MODE_ROW_PX = 64;

/**
 * CSS px that host-mode containers' names take below their boxes from far away (style.ts hangs
 * them there at a little over the least readable size): the longest name's lines, and a gap.
 */
function hostModeWordsPx(nodes: readonly NodeData[]): number {
  const lines = Math.max(
    0,
    ...nodes.filter((n) => n.kind === "hostmode").map((n) => (n.short ?? n.label).split("\n").length),
  );
  return lines === 0 ? 0 : Math.ceil(8 + lines * (MIN_TEXT_PX + 1) * CARD_LINE_HEIGHT * 1.1);
}

/** How far the rooms' shape may drift from the canvas's (width / height, either way) before the host is laid out afresh. */
const MAX_ASPECT_DRIFT = 1.5;

/** The rooms' shape, width / height, with the host's frame and NIC column. */
function pictureAspect(state: LayoutState): number {
  let right: number = GRID.roomsX;
  for (const room of Object.values(state.rooms))
    right = Math.max(right, room.x0 + (room.card?.w ?? roomWidth(room.cols)));
  const top = state.rows[state.rows.length - 1];
  const height = top ? top.height - top.base : 0;
  return (right + HOST_MARGIN.width) / Math.max(1, height + HOST_MARGIN.height);
}

/**
 * A slot for a box that shares a PID namespace with `partners` (in its room), or null for any
 * free one: beside a partner already placed, in the same row; else, when a partner is still to
 * come, the first free slot whose right neighbour in the row is free too (the partner takes it).
 */
function pidSlot(room: RoomPlace, partners: readonly string[] | undefined): number | null {
  if (!partners) return null;
  const taken = new Set(Object.values(room.slots));
  const capacity = room.cols * room.rows;
  const free = (s: number) => s >= 0 && s < capacity && !taken.has(s);
  const sameRow = (a: number, b: number) => Math.floor(a / room.cols) === Math.floor(b / room.cols);
  for (const partner of partners) {
    const at = room.slots[partner];
    if (at === undefined) continue;
    for (const s of [at + 1, at - 1]) if (free(s) && sameRow(s, at)) return s;
  }
  if (partners.some((p) => room.slots[p] !== undefined)) return null;
  for (let s = 0; s + 1 < capacity; s++) if (free(s) && free(s + 1) && sameRow(s, s + 1)) return s;
  return null;
}

function freeSlot(taken: Iterable<number>): number {
  const used = new Set(taken);
  let slot = 0;
  while (used.has(slot)) slot++;
  return slot;
}

/**
 * Places the elements, keeping every position from `previous`. Pure: returns a new state.
 * `aspect` (the canvas's width / height) shapes only a first layout: rooms wrap into rows so the
 * host fills that shape; later rooms append to the top row or start a new row above it.
 */
export function layout(
  elements: readonly GraphElement[],
  previous: LayoutState,
  aspect = 16 / 9,
  fold?: FoldRequest,
): LayoutState {
  const nodes: NodeData[] = [];
  for (const e of elements) if (e.group === "nodes") nodes.push(e.data as NodeData);
  const children = new Map<string, NodeData[]>();
  for (const n of nodes) {
    if (!n.parent) continue;
    const list = children.get(n.parent);
    if (list) list.push(n);
    else children.set(n.parent, [n]);
  }
  const boxesOf = new Map<string, NodeData[]>();
  for (const n of nodes) {
    if (n.kind !== "netns" || !n.room) continue;
    const list = boxesOf.get(n.room);
    if (list) list.push(n);
    else boxesOf.set(n.room, [n]);
  }
  const items = (box: NodeData) =>
    boxNeed(
      (children.get(box.id) ?? []).filter((k) => k.kind === "iface" || k.kind === "joined").length,
      box.titleLines,
      box.cardLines,
    );
  // Rooms that share a container (a member line from a box of one to the bridge of the other).
  const roomOfNode = new Map(nodes.filter((n) => n.room).map((n) => [n.id, n.room as string]));
  const sharing = new Set<string>();
  for (const e of elements) {
    if (e.group !== "edges" || e.data.kind !== "member") continue;
    const a = roomOfNode.get(e.data.source);
    const b = roomOfNode.get(e.data.target);
    if (a && b) sharing.add(`${a} ${b}`).add(`${b} ${a}`);
  }
  const roomNodes = nodes.filter((n) => n.kind === "room");
  const needs: RoomNeed[] = roomNodes.map((room, i) => {
    const boxes = boxesOf.get(room.id) ?? [];
    const before = roomNodes[i - 1];
    return {
      id: room.id,
      members: boxes.length,
      tallest: Math.max(2, ...boxes.map(items)),
      joinsPrevious: before !== undefined && sharing.has(`${before.id} ${room.id}`),
    };
  });

  const fresh = Object.keys(previous.rooms).length === 0;
  const hostMode = nodes.filter((n) => n.kind === "hostmode").length;
  let plan: FoldPlan | undefined;
  if (fresh && fold) {
    const cards = new Map(nodes.filter((n) => n.kind === "roomlabel" && n.room).map((n) => [n.room, n.card ?? ""]));
    plan = chooseFolds(needs, fold.canvas, {
      keepOpen: fold.keepOpen,
      minWidth: GRID.roomsX + (Math.min(hostMode, 3) * 2 + 1) * GRID.column,
      namesOnCard: (room, w, h, font) => namesOnCard(cards.get(room) ?? "", w, h, font),
      cardPx: (room, lines, chars) => cardPx(cards.get(room) ?? "", lines, chars),
      namesInRoom: (room) => (cards.get(room) ?? "").split("\n").slice(3).filter(Boolean).length,
      belowPx: hostModeWordsPx(nodes),
    });
    for (const need of needs) need.card = plan.cards.get(need.id);
  }
  const state: LayoutState = {
    positions: {},
    rooms: {},
    rows: previous.rows.map((r) => ({ ...r })),
    wrap: 0,
    hostSlots: {},
    widths: {},
    reflowed: false,
    hostPitch: fresh
      ? Math.max(2 * GRID.column, plan?.zoom ? HOST_MODE_PX / plan.zoom : 0)
      : (previous.hostPitch ?? 2 * GRID.column),
  };
  const foldZoom = fresh ? plan?.zoom : previous.foldZoom;
  if (foldZoom) state.foldZoom = foldZoom;
  if (!fresh) state.hostPerRow = previous.hostPerRow ?? Infinity;
  state.hostRowPitch = fresh
    ? Math.max(HOST_ROW, foldZoom ? HOST_MODE_ROW_PX / foldZoom : 0)
    : (previous.hostRowPitch ?? HOST_ROW);
  state.hostStart = fresh
    ? Math.max(GRID.roomsX + GRID.column, foldZoom ? HOST_START_PX / foldZoom : 0)
    : (previous.hostStart ?? GRID.roomsX + GRID.column);
  const perRow = (wrap: number) =>
    Math.max(1, Math.floor((GRID.roomsX + wrap - state.hostStart!) / state.hostPitch!) + 1);
  // The rows of host-mode containers below the NIC count in the picture's shape.
  const hostRows = (wrap: number) => {
    if (hostMode === 0) return { width: 0, height: 0 };
    const across = Math.min(hostMode, perRow(wrap));
    return {
      width: state.hostStart! + (across - 1) * state.hostPitch! + state.hostPitch! / 2,
      height: (Math.ceil(hostMode / across) - 1) * state.hostRowPitch!,
    };
  };
  state.wrap = fresh ? chooseWrap(needs, aspect, hostRows) : previous.wrap;
  state.growWrap = fresh ? growWrap(needs, state.wrap, aspect, hostRows) : (previous.growWrap ?? previous.wrap);
  const present = new Set(nodes.map((n) => n.id));
  for (const [id, slot] of Object.entries(previous.hostSlots)) if (present.has(id)) state.hostSlots[id] = slot;
  state.portSlots = {};
  for (const [id, slot] of Object.entries(previous.portSlots ?? {})) if (present.has(id)) state.portSlots[id] = slot;
  for (const [id, place] of Object.entries(previous.rooms)) {
    state.rooms[id] = {
      ...place,
      slots: Object.fromEntries(Object.entries(place.slots).filter(([box]) => present.has(box))),
    };
  }
  const place = (id: string, pos: Position) => {
    state.positions[id] = previous.positions[id] ?? pos;
  };

  const needOf = new Map(needs.map((n) => [n.id, n]));
  const spareRows = (height: number, pitch: number) => Math.floor((height - roomHeight(1, pitch)) / pitch) + 1;
  // The right edge a leftward row starts from: the widest row, so the wrap lines up above it.
  const rightEdge = GRID.roomsX + state.wrap;
  const placeIn = (row: RoomRow, width: number): number => {
    const x0 = row.dir === 1 ? row.next : row.next - width;
    row.next = row.dir === 1 ? x0 + width + GRID.roomGapX : x0 - GRID.roomGapX;
    return x0;
  };
  if (fresh) {
    let base = GRID.firstBase;
    const packed = pack(needs, state.wrap);
    const widest = Math.max(...packed.rows.map((r) => r.width), 0);
    packed.rows.forEach((r, i) => {
      const dir: 1 | -1 = i % 2 === 0 ? 1 : -1;
      const row: RoomRow = { base, height: r.height, dir, next: dir === 1 ? GRID.roomsX : GRID.roomsX + widest };
      for (const id of r.ids) {
        const need = needOf.get(id)!;
        const pitch = pitchFor(need.tallest);
        const { cols } = roomShape(need.members, pitch);
        const x0 = placeIn(row, need.card?.w ?? roomWidth(cols));
        state.rooms[id] = { x0, base, cols, rows: spareRows(r.height, pitch), pitch, row: i, slots: {} };
        // A folded card takes its row's height: the row has it anyway, and it fits more names.
        if (need.card) state.rooms[id].card = { w: need.card.w, h: r.height };
      }
      state.rows.push(row);
      base -= r.height + GRID.roomGapY;
    });
  } else {
    // A new network: on the top row while it has width for it (the top row grows upwards for a
    // taller room: nothing stands above it), else a new row above.
    const rowsBefore = state.rows.length;
    const growEdge = GRID.roomsX + (state.growWrap ?? state.wrap);
    for (const need of needs) {
      if (state.rooms[need.id]) continue;
      const pitch = pitchFor(need.tallest);
      const { cols, rows } = roomShape(need.members, pitch);
      const width = roomWidth(cols);
      const height = roomHeight(rows, pitch);
      let top = state.rows[state.rows.length - 1];
      const fits = top && (top.dir === 1 ? top.next + width <= growEdge : top.next - width >= GRID.roomsX);
      if (top && fits) top.height = Math.max(top.height, height);
      if (!top || !fits) {
        const base = top ? top.base - top.height - GRID.roomGapY : GRID.firstBase;
        const dir: 1 | -1 = top?.dir === 1 ? -1 : 1;
        top = { base, height, dir, next: dir === 1 ? GRID.roomsX : rightEdge };
        state.rows.push(top);
      }
      const row = state.rows.length - 1;
      const x0 = placeIn(top, width);
      state.rooms[need.id] = { x0, base: top.base, cols, rows: spareRows(top.height, pitch), pitch, row, slots: {} };
    }
    // A new row made the host much taller than the canvas's shape: it is laid out afresh.
    if (state.rows.length > rowsBefore && aspect / pictureAspect(state) > MAX_ASPECT_DRIFT)
      return { ...layout(elements, EMPTY_LAYOUT, aspect, fold), reflowed: true };
  }

  // Containers that share a PID namespace stand side by side in one row of their room, so the
  // arrow between them crosses only the gap between their boxes, never a name.
  const pidPartners = new Map<string, string[]>();
  for (const e of elements) {
    if (e.group !== "edges" || e.data.kind !== "pid") continue;
    const { source, target } = e.data;
    if (roomOfNode.get(source) === undefined || roomOfNode.get(source) !== roomOfNode.get(target)) continue;
    pidPartners.set(source, [...(pidPartners.get(source) ?? []), target]);
    pidPartners.set(target, [...(pidPartners.get(target) ?? []), source]);
  }
  for (const need of needs) {
    const room = state.rooms[need.id]!;
    if (room.card) continue;
    for (const box of boxesOf.get(need.id) ?? []) {
      if (room.slots[box.id] !== undefined) continue;
      const slot = pidSlot(room, pidPartners.get(box.id)) ?? freeSlot(Object.values(room.slots));
      if (slot >= room.cols * room.rows) {
        if (room.row === state.rows.length - 1) {
          // The top row has nothing above it: the room grows upwards.
          room.rows += 1;
          const row = state.rows[room.row]!;
          row.height = Math.max(row.height, roomHeight(room.rows, room.pitch));
        } else if (!fresh) {
          return { ...layout(elements, EMPTY_LAYOUT, aspect, fold), reflowed: true };
        }
      }
      room.slots[box.id] = slot;
    }
  }

  // Host-mode containers stand in rows as wide as a row of rooms may be, chosen once.
  state.hostPerRow ??= perRow(state.wrap);
  // The host's bottom row: its NIC (where every row's NAT bus comes down), then host-mode containers.
  for (const n of nodes) {
    if (n.kind === "nic") place(n.id, { x: 0, y: 0 });
    if (n.kind === "port") {
      // Below the NIC, a slot each, kept while the port is published: a new one never moves the others.
      const slots = (state.portSlots ??= {});
      slots[n.id] ??= freeSlot(Object.values(slots));
      place(n.id, { x: (slots[n.id] as number) * GRID.column * 1.4, y: PORT_ROW_Y });
    }
    if (n.kind !== "hostmode") continue;
    state.hostSlots[n.id] ??= freeSlot(Object.values(state.hostSlots));
    // Two columns each: from far away a host-mode container's name is written larger than its box.
    const slot = state.hostSlots[n.id] as number;
    const perRow = state.hostPerRow as number;
    const x = state.hostStart! + (slot % perRow) * (state.hostPitch as number);
    const y = Math.floor(slot / perRow) * (state.hostRowPitch as number);
    state.widths[n.id] = (state.hostPitch as number) - 120;
    place(n.id, { x, y });
    (children.get(n.id) ?? []).forEach((j, k) => place(j.id, { x, y: y - 60 - k * GRID.ifaceStep }));
  }

  for (const n of nodes) {
    const room = n.room ? state.rooms[n.room] : undefined;
    if (!room) continue;
    const width = placeSize(room).w;
    if (n.kind === "room") {
      state.widths[n.id] = width;
    } else if (n.kind === "roomlabel") {
      // Its words grow up and to the right from the room's bottom edge (the bridge is not drawn then).
      state.widths[n.id] = width - 48;
      place(n.id, { x: room.x0 + 24, y: room.base + GRID.bar / 2 });
    } else if (n.kind === "bridge") {
      const hasDns = present.has(n.id.replace(/^bridge:/, "dns:"));
      const w = width - 40 - (hasDns ? GRID.dns : 0);
      state.widths[n.id] = w;
      place(n.id, { x: room.x0 + 20 + w / 2, y: room.base });
    } else if (n.kind === "dns") {
      place(n.id, { x: room.x0 + width - 20 - GRID.dns / 2, y: room.base });
    }
  }

  const pairOf = new Map<string, string>();
  for (const e of elements) {
    if (e.group === "edges" && e.data.kind === "pair") pairOf.set(e.data.source, e.data.target);
  }
  for (const [roomId, boxes] of boxesOf) {
    const room = state.rooms[roomId];
    if (!room) continue;
    if (room.card) {
      // A folded room's boxes are not drawn: they stand at its card's centre, out of the way.
      const centre = { x: room.x0 + room.card.w / 2, y: room.base + GRID.bar / 2 - room.card.h / 2 };
      for (const box of boxes) {
        place(box.id, centre);
        for (const kid of children.get(box.id) ?? []) {
          place(kid.id, centre);
          const veth = pairOf.get(kid.id);
          if (veth) place(veth, centre);
        }
      }
      continue;
    }
    for (const box of boxes) {
      const slot = room.slots[box.id] as number;
      const col = slot % room.cols;
      const row = Math.floor(slot / room.cols);
      const x = room.x0 + GRID.column / 2 + col * GRID.column;
      const bottom = room.base + ETH_DY - row * room.pitch;
      const kids = children.get(box.id) ?? [];
      // Outward-facing interfaces at the bottom of the box, next to their veth; lo on top; joined containers above.
      const ifaces = kids
        .filter((k) => k.kind === "iface")
        .sort(
          (a, b) => Number(a.label.startsWith("lo ")) - Number(b.label.startsWith("lo ")) || a.id.localeCompare(b.id),
        );
      ifaces.forEach((iface, k) => {
        place(iface.id, { x, y: bottom - k * GRID.ifaceStep });
        const veth = pairOf.get(iface.id);
        if (!veth) return;
        // Row 0's veths stand under their interface; upper rows' in the gap left of the box, so
        // their lines run down between the boxes below.
        const vx = row === 0 ? x + k * 80 : x - GRID.column / 2 + 12 + ((row - 1) % 3) * 8 + k * 8;
        const vy = row === 0 ? room.base + VETH_DY : bottom + 42;
        place(veth, { x: vx, y: vy });
      });
      kids
        .filter((k) => k.kind === "joined")
        .forEach((j, k) => place(j.id, { x, y: bottom - (ifaces.length + k) * GRID.ifaceStep }));
      // The box's own position: the centre of what it holds (where Cytoscape puts a compound), kept
      // for when what it holds is not displayed (from far away) or it holds nothing.
      const items = Math.max(1, kids.filter((k) => k.kind === "iface" || k.kind === "joined").length);
      place(box.id, { x, y: bottom - ((items - 1) * GRID.ifaceStep) / 2 });
    }
  }

  // A compose project's frame spans its boxes' columns: its name is written no wider (style.ts).
  for (const n of nodes) {
    if (n.kind !== "compose") continue;
    const xs = (children.get(n.id) ?? []).map((k) => state.positions[k.id]?.x).filter((x) => x !== undefined);
    if (xs.length > 0) state.widths[n.id] = Math.max(...xs) - Math.min(...xs) + GRID.column - 40;
  }

  // Anything left (a veth whose interface is not drawn, say) stands aside rather than on top of something.
  const right = GRID.roomsX + state.wrap + GRID.column;
  for (const n of nodes) {
    if (
      !state.positions[n.id] &&
      !children.has(n.id) &&
      n.kind !== "compose" &&
      n.kind !== "host" &&
      n.kind !== "room"
    ) {
      place(n.id, { x: right, y: 0 });
    }
  }
  return state;
}
