import { generateHost, HOST_SHAPES, withOneMoreContainer, type HostShape, type Topology } from "@netdive/model";
import { describe, expect, it } from "vitest";
import { CARD_CHARS, TITLE_CHARS } from "./card-text";
import type { GraphElement, NodeData } from "./elements";
import { EMPTY_LAYOUT, layout, type LayoutState } from "./layout";
import { fitRoomCard } from "./lod";
import type { Rect } from "./mount";
import { boxRects, roomRects } from "./placed-shapes";
import { GRID } from "./room-packing";
import { toElements } from "./to-elements";

/**
 * The layout's promises, held over generated hosts of every shape (packages/model's
 * generateHost), not over the lab alone: rooms and boxes never overlap, words stay inside what
 * they name and break only between a name's tokens, the picture has about the canvas's shape,
 * and adding a container moves nothing. Each failure names its seed: `generateHost(seed, shape)`
 * rebuilds the host.
 */

const overlap = (a: Rect, b: Rect) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
const inside = (a: Rect, b: Rect) => a.x1 >= b.x1 && a.x2 <= b.x2 && a.y1 >= b.y1 && a.y2 <= b.y2;

const nodesOf = (els: readonly GraphElement[]) => els.filter((e) => e.group === "nodes").map((e) => e.data as NodeData);

/**
 * Whether every line break of `wrapped` falls between words, or after a separator (-, _, ., /, :)
 * inside one, or inside a word longer than a whole line: never elsewhere inside a word of `text`.
 */
function breaksAtSeparators(text: string, wrapped: string[], max: number): boolean {
  const words = new Set(text.split(/[\s,]+/));
  return wrapped.slice(0, -1).every((line, i) => {
    const last = line.split(" ").pop() ?? "";
    const first = (wrapped[i + 1] ?? "").split(/[\s,]+/)[0] ?? "";
    if (/[-_./:,]$/.test(last) || last.length >= max) return true;
    return ![...words].some((w) => w.includes(last + first) && (last + first).length > last.length);
  });
}

/** The shape of the whole picture: rooms, the NIC and the host-mode row. */
function extent(state: LayoutState): Rect {
  const rects = [...roomRects(state).values()];
  for (const p of Object.values(state.positions))
    rects.push({ x1: p.x - 120, x2: p.x + 120, y1: p.y - 40, y2: p.y + 40 });
  return {
    x1: Math.min(...rects.map((r) => r.x1)),
    y1: Math.min(...rects.map((r) => r.y1)),
    x2: Math.max(...rects.map((r) => r.x2)),
    y2: Math.max(...rects.map((r) => r.y2)),
  };
}

/**
 * Every promise over one host, laid out for a canvas of `width` x `height` CSS px (folding the
 * rooms that do not fit, room-folding.ts); returns what broke, as sentences (empty when all held).
 */
function broken(t: Topology, width: number, height: number, seed: number): string[] {
  const els = toElements(t);
  const aspect = width / height;
  const fold = { canvas: { width, height } };
  const state = layout(els, EMPTY_LAYOUT, aspect, fold);
  const out = brokenIn(els, state, aspect);
  const after = layout(toElements(withOneMoreContainer(t, seed)), state, aspect, fold);
  const moved = Object.entries(state.positions).filter(([id, p]) => {
    const q = after.positions[id];
    return !q || q.x !== p.x || q.y !== p.y;
  });
  if (moved.length > 0) out.push(`adding a container moved ${moved.length} nodes (${moved[0]![0]} first)`);
  return out;
}

/** The promises one placed picture keeps. */
function brokenIn(els: readonly GraphElement[], state: LayoutState, aspect: number): string[] {
  const out: string[] = [];
  // One id, one element: Cytoscape keeps only the first of two (a compose project with two networks once did).
  const seen = new Set<string>();
  for (const e of els) {
    if (seen.has(e.data.id)) out.push(`two elements are ${e.data.id}`);
    seen.add(e.data.id);
  }
  const rooms = roomRects(state);
  const roomList = [...rooms.entries()];
  for (let i = 0; i < roomList.length; i++)
    for (let j = i + 1; j < roomList.length; j++)
      if (overlap(roomList[i]![1], roomList[j]![1]))
        out.push(`rooms ${roomList[i]![0]} and ${roomList[j]![0]} overlap`);
  const boxes = [...boxRects(els, state).entries()];
  for (const [id, { rect, room }] of boxes) {
    const area = rooms.get(room);
    if (area && !inside(rect, area)) out.push(`box ${id} reaches out of its room ${room}`);
  }
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++)
      if (overlap(boxes[i]![1].rect, boxes[j]![1].rect)) out.push(`boxes ${boxes[i]![0]} and ${boxes[j]![0]} overlap`);
  const lowest = Math.max(...[...rooms.values()].map((r) => r.y2));
  const nics = nodesOf(els).filter((n) => n.kind === "nic" || n.kind === "hostmode");
  for (const n of nics) if (state.positions[n.id]!.y - 45 < lowest) out.push(`${n.id} is under a room`);
  // Host-mode containers stand in rows below the NIC, two columns apart or more.
  const hostMode = nodesOf(els)
    .filter((n) => n.kind === "hostmode")
    .map((n) => state.positions[n.id]!)
    .sort((a, b) => a.y - b.y || a.x - b.x);
  for (let i = 1; i < hostMode.length; i++)
    if (hostMode[i]!.y === hostMode[i - 1]!.y && hostMode[i]!.x - hostMode[i - 1]!.x < 2 * GRID.column)
      out.push("host-mode containers stand too close for their names");

  for (const n of nodesOf(els)) {
    if (n.kind === "netns" && n.card) {
      const lines = n.card.split("\n");
      for (const line of lines)
        if (line.length > CARD_CHARS && /[-_. ]/.test(line))
          out.push(`${n.id}'s card line "${line}" is wider than its box`);
      if (!breaksAtSeparators(n.card, lines, CARD_CHARS)) out.push(`${n.id}'s card breaks a name inside a token`);
    }
    if (n.kind === "netns")
      for (const line of n.label.split("\n"))
        if (line.length > TITLE_CHARS + 8) out.push(`${n.id}'s title line "${line}" is wider than its box`);
    if (n.kind === "roomlabel" && n.card && n.room) {
      const r = rooms.get(n.room)!;
      // A folded card is sized for its words a little over the least readable size at the first screen's zoom.
      const card = state.rooms[n.room]?.card;
      const font = card && state.foldZoom ? 13 / state.foldZoom : 40;
      if (card) {
        const fitted = fitRoomCard(n.card, card.w - 48, card.h - 16, font, "more");
        const name = n.card.split("\n")[0] ?? "";
        if (!fitted.replace(/([-_.])\n/g, "$1").includes(name))
          out.push(`${n.room}'s folded card does not name its network`);
      }
      const fitted = fitRoomCard(n.card, r.x2 - r.x1 - 48, r.y2 - r.y1 - 40, font, "more").split("\n");
      const chars = Math.floor((r.x2 - r.x1 - 48) / (font * 0.66));
      for (const line of fitted)
        if (line.length > chars && /[-_. ,]/.test(line))
          out.push(`${n.room}'s card line "${line}" is wider than the room`);
      if (!breaksAtSeparators(n.card, fitted, chars))
        out.push(`${n.room}'s card breaks a name inside a token: ${fitted.join(" / ")}`);
    }
  }

  const e = extent(state);
  const shape = (e.x2 - e.x1) / (e.y2 - e.y1);
  if (shape > aspect * 1.5 || shape < aspect / 1.5)
    out.push(`the picture is ${shape.toFixed(2)} wide for a canvas of ${aspect.toFixed(2)}`);
  return out;
}

/** Seeds per shape, in runs of a few seconds: a few hundred hosts in all, the "any" shape most. */
const RUNS: Array<[keyof typeof HOST_SHAPES, number, number]> = [
  ["any", 1, 40],
  ["any", 41, 80],
  ["any", 81, 120],
  ["any", 121, 160],
  ["busy", 1, 40],
  ["manyPorts", 1, 20],
  ["manySmallNetworks", 1, 10],
  ["oneHugeNetwork", 1, 5],
];

describe("layout properties over generated hosts", () => {
  for (const [shape, from, to] of RUNS) {
    it(
      `${shape}, seeds ${from}-${to}: every host at the page's 16:9 and at the projector's 1280x720 keeps every promise`,
      { timeout: 60_000 },
      () => {
        const failures: string[] = [];
        for (let seed = from; seed <= to; seed++) {
          const t = generateHost(seed, HOST_SHAPES[shape] as HostShape);
          for (const [width, height] of [
            [1680, 960],
            [1280, 640],
          ] as const)
            for (const f of broken(t, width, height, seed))
              failures.push(`seed ${seed} (${shape}, ${width}x${height}): ${f}`);
        }
        expect(failures.slice(0, 12), `${failures.length} broken promises`).toEqual([]);
      },
    );
  }

  it("the checks see what they look for: rooms moved onto each other, a picture of the wrong shape", () => {
    const els = toElements(generateHost(3, HOST_SHAPES.busy));
    const state = layout(els, EMPTY_LAYOUT, 16 / 9);
    expect(brokenIn(els, state, 16 / 9)).toEqual([]);
    const [a, b] = Object.keys(state.rooms);
    const piled = structuredClone(state);
    piled.rooms[b!]!.x0 = piled.rooms[a!]!.x0 + 30;
    piled.rooms[b!]!.base = piled.rooms[a!]!.base;
    expect(brokenIn(els, piled, 16 / 9).some((f) => f.includes("overlap"))).toBe(true);
    expect(brokenIn(els, state, 6).some((f) => f.includes("wide for a canvas"))).toBe(true);
  });

  it("the generator is deterministic and covers what it promises", () => {
    expect(generateHost(7)).toEqual(generateHost(7));
    const all = Array.from({ length: 60 }, (_, i) => generateHost(i + 1));
    const containers = all.flatMap((t) => Object.values(t.containers));
    expect(containers.some((c) => c.networkMode === "host")).toBe(true);
    expect(containers.some((c) => c.networkMode === "none")).toBe(true);
    expect(containers.some((c) => c.netnsOwnerId)).toBe(true);
    expect(containers.some((c) => c.pidnsOwnerId)).toBe(true);
    expect(containers.some((c) => c.ports.some((p) => p.hostIp === "::"))).toBe(true);
    expect(Math.max(...containers.map((c) => c.name.length))).toBe(48);
    expect(Math.max(...all.map((t) => Object.keys(t.networks).length))).toBeGreaterThan(30);
  });
});
