/**
 * The pieces layout-engines.ts compares with: netdive's elements as an ELK graph (two variants),
 * both layouts reduced to the same rectangles, and the checks of layout-properties.test.ts on them.
 * The ELK graph leaves out veths, interfaces, DNS and room labels, so ELK gets the easier job.
 */
import type { ElkExtendedEdge, ElkNode, LayoutOptions } from "elkjs/lib/elk.bundled.js";
import type { GraphElement, NodeData } from "../src/graph/elements";
import type { LayoutState } from "../src/graph/layout";
import type { Rect } from "../src/graph/mount";
import { BOX_PAD, boxRects, IFACE, roomRects, TITLE_LINE } from "../src/graph/placed-shapes";
import { cardHeight, GRID } from "../src/graph/room-packing";

/** The rectangles the checks need, whichever engine placed them. */
export interface Picture {
  rooms: Rect[];
  boxes: Rect[];
  extent: Rect;
  /** Each node's absolute position, to tell which ones a further container moved. */
  points: Map<string, { x: number; y: number }>;
}

export type Variant = "layered" | "rect+grid";

const nodesOf = (els: readonly GraphElement[]) => els.filter((e) => e.group === "nodes").map((e) => e.data as NodeData);
const childrenOf = (nodes: NodeData[]) => {
  const kids = new Map<string, NodeData[]>();
  for (const n of nodes) if (n.parent) kids.set(n.parent, [...(kids.get(n.parent) ?? []), n]);
  return kids;
};
const itemsOf = (kids: Map<string, NodeData[]>, id: string) =>
  (kids.get(id) ?? []).filter((k) => k.kind === "iface" || k.kind === "joined");
const union = (rects: Rect[]): Rect => ({
  x1: Math.min(...rects.map((r) => r.x1)),
  y1: Math.min(...rects.map((r) => r.y1)),
  x2: Math.max(...rects.map((r) => r.x2)),
  y2: Math.max(...rects.map((r) => r.y2)),
});

/** netdive's rooms and boxes as layout-properties.test.ts measures them (title and card included). */
export function netdivePicture(els: readonly GraphElement[], state: LayoutState): Picture {
  const boxes = [...boxRects(els, state).values()].map((b) => b.rect);
  const rooms = [...roomRects(state).values()];
  const nodeRects = Object.values(state.positions).map((p) => ({
    x1: p.x - 120,
    x2: p.x + 120,
    y1: p.y - 40,
    y2: p.y + 40,
  }));
  return { rooms, boxes, extent: union([...rooms, ...nodeRects]), points: new Map(Object.entries(state.positions)) };
}

type Kind = "room" | "box" | "bridge" | "row" | "grid";

/** An ELK graph and what each of its node ids stands for, to read the result back. */
export interface Built {
  graph: ElkNode;
  kinds: Map<string, Kind>;
}

/** Options shared by every layered level: boxes above their bridge, as netdive draws them. */
const layered = (extra: LayoutOptions = {}): LayoutOptions => ({
  "elk.algorithm": "layered",
  "elk.direction": "DOWN",
  "elk.edgeRouting": "ORTHOGONAL",
  "elk.spacing.nodeNode": "40",
  "elk.layered.spacing.nodeNodeBetweenLayers": "60",
  "elk.padding": "[top=30,left=20,bottom=20,right=20]",
  ...extra,
});
/** Bridges, the NIC and host-mode containers stay in the last layer, below the boxes. */
const LAST = { "elk.layered.layering.layerConstraint": "LAST" };

/**
 * netdive's elements as nested ELK compounds: host > room > container boxes and the room's bridge,
 * plus the NIC and host-mode containers. `layered` lays out every level at once (INCLUDE_CHILDREN);
 * `rect+grid` rect-packs the rooms in the host and each room's boxes in a grid above its bridge.
 */
export function toElk(els: readonly GraphElement[], variant: Variant, aspect: number): Built {
  const nodes = nodesOf(els);
  const kids = childrenOf(nodes);
  const kinds = new Map<string, Kind>();
  const edges: ElkExtendedEdge[] = [];
  const rooms: ElkNode[] = [];
  for (const room of nodes.filter((n) => n.kind === "room")) {
    kinds.set(room.id, "room");
    const boxes: ElkNode[] = nodes
      .filter((n) => n.kind === "netns" && n.room === room.id)
      .map((b) => {
        kinds.set(b.id, "box");
        const body = (Math.max(1, itemsOf(kids, b.id).length) - 1) * GRID.ifaceStep + IFACE.h + 2 * BOX_PAD;
        const height = Math.max(body + (b.titleLines ?? 2) * TITLE_LINE + 4, cardHeight(b.cardLines ?? 2));
        return { id: b.id, width: 220, height };
      });
    const bridge = nodes.find((n) => n.kind === "bridge" && n.room === room.id);
    let children: ElkNode[] = boxes;
    if (variant === "rect+grid" && boxes.length > 0) {
      // A grid of about netdive's room shape (columns ~ 2x rows), kept above the bridge by an edge.
      const grid = `grid:${room.id}`;
      kinds.set(grid, "grid");
      const gridOptions = {
        "elk.algorithm": "rectpacking",
        "elk.aspectRatio": "2",
        "elk.spacing.nodeNode": "40",
        "elk.padding": "[top=0,left=0,bottom=0,right=0]",
      };
      children = [{ id: grid, layoutOptions: gridOptions, children: boxes }];
      if (bridge) edges.push({ id: `g:${room.id}`, sources: [grid], targets: [bridge.id] });
    }
    if (bridge) {
      kinds.set(bridge.id, "bridge");
      children.push({ id: bridge.id, width: 440, height: GRID.bar, layoutOptions: LAST });
    }
    const separate: LayoutOptions = variant === "layered" ? {} : { "elk.hierarchyHandling": "SEPARATE_CHILDREN" };
    rooms.push({ id: room.id, layoutOptions: layered(separate), children });
  }
  // One edge per attachment (interface -> veth -> bridge), so a multi-homed box reaches two rooms.
  const pairOf = new Map<string, string>();
  const masterOf = new Map<string, string>();
  const nat: ElkExtendedEdge[] = [];
  for (const e of els) {
    if (e.group !== "edges") continue;
    const d = e.data as { id: string; kind: string; source: string; target: string };
    if (d.kind === "pair") pairOf.set(d.source, d.target);
    if (d.kind === "master") masterOf.set(d.source, d.target);
    if (d.kind === "nat") nat.push({ id: d.id, sources: [d.source], targets: [d.target] });
  }
  for (const box of nodes.filter((n) => n.kind === "netns" && kinds.has(n.id))) {
    const bridges = new Set(itemsOf(kids, box.id).map((i) => masterOf.get(pairOf.get(i.id) ?? "")));
    for (const b of bridges)
      if (b && kinds.get(b) === "bridge") edges.push({ id: `a:${box.id}->${b}`, sources: [box.id], targets: [b] });
  }
  // After the attachments: ELK's results depend on edge order, and the study added NAT edges last.
  edges.push(...nat);
  const row: ElkNode[] = nodes
    .filter((n) => n.kind === "nic" || n.kind === "hostmode")
    .map((n) => (kinds.set(n.id, "row"), { id: n.id, width: 220, height: 80, layoutOptions: LAST }));
  const hostOptions: LayoutOptions =
    variant === "layered"
      ? layered({ "elk.aspectRatio": String(aspect) })
      : {
          "elk.algorithm": "rectpacking",
          "elk.aspectRatio": String(aspect),
          "elk.spacing.nodeNode": "70",
          "elk.padding": "[top=30,left=20,bottom=20,right=20]",
        };
  const host: ElkNode = {
    id: nodes.find((n) => n.kind === "host")!.id,
    layoutOptions: hostOptions,
    children: [...rooms, ...row],
  };
  const graph: ElkNode = {
    id: "root",
    layoutOptions: {
      "elk.algorithm": "layered",
      "elk.hierarchyHandling": variant === "layered" ? "INCLUDE_CHILDREN" : "SEPARATE_CHILDREN",
      "elk.direction": "DOWN",
    },
    children: [host],
  };
  // ELK expects each edge in the lowest common ancestor of its two ends.
  const parent = new Map<string, ElkNode>();
  const index = (n: ElkNode): void => (n.children ?? []).forEach((c) => (parent.set(c.id, n), index(c)));
  index(graph);
  const ancestors = (id: string) => {
    const out: ElkNode[] = [];
    for (let p = parent.get(id); p; p = parent.get(p.id)) out.push(p);
    return out;
  };
  for (const e of edges) {
    const up = new Set(ancestors(e.targets[0]!));
    const lca = ancestors(e.sources[0]!).find((n) => up.has(n)) ?? graph;
    (lca.edges ??= []).push(e);
  }
  return { graph, kinds };
}

/** An ELK result as absolute rectangles (ELK gives each child relative to its parent). */
export function elkPicture(result: ElkNode, kinds: Built["kinds"]): Picture {
  const abs = new Map<string, Rect>();
  const walk = (n: ElkNode, ox: number, oy: number): void => {
    for (const c of n.children ?? []) {
      const x = ox + (c.x ?? 0);
      const y = oy + (c.y ?? 0);
      abs.set(c.id, { x1: x, y1: y, x2: x + (c.width ?? 0), y2: y + (c.height ?? 0) });
      walk(c, x, y);
    }
  };
  walk(result, 0, 0);
  const of = (kind: Kind) => [...kinds].filter(([, k]) => k === kind).map(([id]) => abs.get(id)!);
  const points = new Map<string, { x: number; y: number }>();
  for (const [id, kind] of kinds) if (kind !== "grid") points.set(id, { x: abs.get(id)!.x1, y: abs.get(id)!.y1 });
  const rooms = of("room");
  return { rooms, boxes: of("box"), extent: union([...rooms, ...of("row")]), points };
}

const pairsOverlapping = (rs: Rect[]) => {
  let n = 0;
  for (let i = 0; i < rs.length; i++)
    for (let j = i + 1; j < rs.length; j++) {
      const [a, b] = [rs[i]!, rs[j]!];
      if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) n++;
    }
  return n;
};

/** Overlapping room and box pairs, and whether the picture is within 1.5x of the canvas's aspect. */
export function check(p: Picture, target: number): { roomOverlaps: number; boxOverlaps: number; aspectOk: boolean } {
  const aspect = (p.extent.x2 - p.extent.x1) / (p.extent.y2 - p.extent.y1);
  return {
    roomOverlaps: pairsOverlapping(p.rooms),
    boxOverlaps: pairsOverlapping(p.boxes),
    aspectOk: aspect <= target * 1.5 && aspect >= target / 1.5,
  };
}

/** How far each node present in both pictures moved, px: only those that moved more than 0.5 px. */
export function moved(a: Picture, b: Picture): number[] {
  const out: number[] = [];
  for (const [id, p] of a.points) {
    const q = b.points.get(id);
    const d = q ? Math.hypot(q.x - p.x, q.y - p.y) : 0;
    if (d > 0.5) out.push(d);
  }
  return out;
}
