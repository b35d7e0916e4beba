/**
 * How rooms are sized and wrapped into rows: the drawing grid, each room's columns and rows, and
 * the row width that lets the whole host best fill a canvas of a given shape.
 */

/** The drawing grid, in model units (Cytoscape zooms); y grows downwards, the document draws bottom to top. */
export const GRID = {
  /** A container's cell: its box (about 216 wide) and the gap where upper rows' veth lines run down. */
  column: 260,
  /** Rows of boxes: title, box of lo and eth0, the veth below it. */
  row: 186,
  /** A further interface or joined container in a box. */
  ifaceStep: 40,
  /** The bridge's height; the NAT bus runs in the gutter below each row of rooms. */
  bar: 76,
  /** Room for the embedded DNS at the right end of a bridge. */
  dns: 90,
  /**
   * A bridge whose words take three lines (a narrow room's name, bridge and address) is this
   * tall: it grows about its centre line, up to just under the veths and down into the room's
   * bottom margin, so nothing else moves.
   */
  tallBar: 100,
  /** Between rooms side by side, and between rows of rooms (the NAT bus runs there). */
  roomGapX: 90,
  roomGapY: 70,
  /** Rooms start right of the NIC's column, where the NAT bus comes down. */
  roomsX: 220,
  /** The first row's bridges stand this far above the NIC. */
  firstBase: -200,
  /** From a bridge's centre down to its row's NAT bus. */
  natTurn: 88,
} as const;

/** What the whole host adds around its rooms past what `pack` counts (the NIC's column on the left, the host's frame and title), model units. */
export const HOST_MARGIN = { width: 140, height: 90 };
/** Below the NIC's centre line, its lower half. */
const NIC_HALF = 20;

/** Offsets inside a room, from its bridge's centre line. */
export const VETH_DY = -62;
export const ETH_DY = -112;
/** Above a room's bottom interface: lo, the box's padding and title, the room's padding. */
const ROOM_TOP = 40 + 17 + 8 + 32 + 14;
const ROOM_BOTTOM = GRID.bar / 2 + 24;

/** Line heights of a box's words, model units: its title close up (DETAIL_FONT) and its card (CARD_FONT × 1.15). */
const TITLE_LINE = 12;
const CARD_LINE = 30 * 1.15;
/** A box's height around its interfaces: the top and bottom interface's halves and the padding. */
const BOX_PADDING = 34 + 20;

/**
 * How tall a container's box must be, in interface steps (what `pitchFor` takes): its interfaces
 * and joined containers, plus what its title's lines past two (a long name or image, published
 * ports) add close up, and as many as
 * its card's lines take from afar (the card is written inside the box: style.ts grows it upwards).
 */
export function boxNeed(items: number, titleLines = 2, cardLines = 2): number {
  const title = items + Math.ceil((Math.max(0, titleLines - 2) * TITLE_LINE) / GRID.ifaceStep);
  const card = 1 + Math.ceil((cardLines * CARD_LINE + 8 - BOX_PADDING) / GRID.ifaceStep);
  return Math.max(2, items, title, card);
}

/** A box's least height from afar, model units: its card's lines and a margin (style.ts). */
export function cardHeight(cardLines: number): number {
  return Math.ceil(cardLines * CARD_LINE + 8);
}

export interface RoomNeed {
  id: string;
  members: number;
  /** The most interfaces and joined containers one of its boxes holds. */
  tallest: number;
  /**
   * A container of this room is also on the room before it (room-plan.ts puts such rooms next
   * to each other): a row never wraps between the two, so "these two bridges are isolated" and
   * the container on both stay in one view.
   */
  joinsPrevious?: boolean;
  /** Folded (room-folding.ts): the room stands as one card of this size, model units. */
  card?: { w: number; h: number };
}

/**
 * Columns and rows for a room of `members` boxes, with at least one spare slot: about as wide as
 * a room of ordinary boxes would be for its count, and wider when its boxes are taller (`pitch`),
 * so a room of port-heavy boxes is not a tower.
 */
export function roomShape(members: number, pitch: number = GRID.row): { cols: number; rows: number } {
  const slots = members + 1;
  const ordinary = Math.max(2, Math.ceil(Math.sqrt(1.6 * slots)));
  // Taller boxes: more columns, but only as many as the rows that leaves need (a column that
  // saves no row only widens the room past what a close-up can frame).
  const wide = Math.ceil(Math.sqrt((1.6 * slots * pitch) / GRID.row));
  const cols = Math.max(ordinary, Math.ceil(slots / Math.ceil(slots / wide)));
  return { cols, rows: Math.max(1, Math.ceil(slots / cols)) };
}

export function pitchFor(tallest: number): number {
  return GRID.row + Math.max(0, tallest - 2) * GRID.ifaceStep;
}

export function roomHeight(rows: number, pitch: number): number {
  // A taller box (more interfaces, a longer title) in the top row reaches higher by what its pitch adds.
  return ROOM_BOTTOM - ETH_DY + (rows - 1) * pitch + ROOM_TOP + (pitch - GRID.row);
}

export function roomWidth(cols: number): number {
  return cols * GRID.column;
}

interface Packed {
  rows: Array<{ ids: string[]; height: number; width: number }>;
  width: number;
  height: number;
}

/** The width and height a room takes in its row: its columns and rows of boxes, or its card when folded. */
export function needSize(n: RoomNeed): { w: number; h: number } {
  if (n.card) return n.card;
  const pitch = pitchFor(n.tallest);
  const shape = roomShape(n.members, pitch);
  return { w: roomWidth(shape.cols), h: roomHeight(shape.rows, pitch) };
}

/**
 * Rooms in order, left to right, a new row when the next would pass `wrap`. `sizes`: each room's
 * `needSize`, when the caller packs the same rooms many times.
 */
export function pack(needs: readonly RoomNeed[], wrap: number, sizes = needs.map(needSize)): Packed {
  const lines: number[][] = [];
  let running = 0;
  needs.forEach((need, i) => {
    const line = lines[lines.length - 1];
    const w = sizes[i]!.w;
    if (!line || (line.length > 0 && running + GRID.roomGapX + w > wrap)) {
      // A room on the same container as the one before goes down the wrap with it, unless that one is alone.
      const carried = line && need.joinsPrevious && line.length > 1 ? [line.pop() as number] : [];
      lines.push(carried);
      running = carried.length > 0 ? sizes[carried[0]!]!.w + GRID.roomGapX + w : w;
    } else {
      running += (line.length > 0 ? GRID.roomGapX : 0) + w;
    }
    (lines[lines.length - 1] as number[]).push(i);
  });
  const rows = lines.map((line) => ({
    ids: line.map((i) => needs[i]!.id),
    width: line.reduce((sum, i, k) => sum + (k > 0 ? GRID.roomGapX : 0) + sizes[i]!.w, 0),
    height: Math.max(0, ...line.map((i) => sizes[i]!.h)),
  }));
  const width = GRID.roomsX + Math.max(0, ...rows.map((r) => r.width));
  // From the NIC's lower edge to the top row's top: the rows and the gaps between them.
  const height = -GRID.firstBase + NIC_HALF + rows.reduce((s, r, i) => s + r.height + (i > 0 ? GRID.roomGapY : 0), 0);
  return { rows, width, height };
}

/**
 * The widest a row of rooms may be so that the whole host best fills a canvas of this shape
 * (width / height): every row width from the widest room to all rooms in one row is tried.
 * `below`: what stands under the rooms at a row width (rows of host-mode containers), how wide
 * and how tall, model units.
 */
export function chooseWrap(
  needs: readonly RoomNeed[],
  aspect: number,
  below: (wrap: number) => { width: number; height: number } = () => ({ width: 0, height: 0 }),
): number {
  if (needs.length === 0) return 0;
  const sizes = needs.map(needSize);
  const widths = sizes.map((size) => size.w);
  const total = widths.reduce((s, w) => s + w + GRID.roomGapX, 0);
  let best = total;
  let bestScore = -1;
  // Half a column at a time, or coarser when the rooms are many or wide (folded cards far out).
  const step = Math.max(GRID.column / 2, total / 160);
  for (let wrap = Math.max(...widths); wrap <= total + GRID.column; wrap += step) {
    const p = pack(needs, wrap, sizes);
    const under = below(wrap);
    const score = Math.min(
      aspect / (Math.max(p.width, under.width) + HOST_MARGIN.width),
      1 / (p.height + HOST_MARGIN.height + under.height),
    );
    if (score > bestScore + 1e-12) {
      bestScore = score;
      best = wrap;
    }
  }
  return best;
}

/**
 * How wide the rows may grow for rooms that come later (new networks), model units: as wide as
 * the canvas's shape allows at the packed picture's height, so a new room joins a row instead of
 * starting one above it, and the fitted zoom does not change. Never narrower than `wrap`.
 */
export function growWrap(
  needs: readonly RoomNeed[],
  wrap: number,
  aspect: number,
  below: (wrap: number) => { width: number; height: number } = () => ({ width: 0, height: 0 }),
): number {
  if (needs.length === 0) return wrap;
  const p = pack(needs, wrap);
  const height = p.height + HOST_MARGIN.height + below(wrap).height;
  return Math.max(wrap, Math.floor(aspect * height - HOST_MARGIN.width - GRID.roomsX));
}
