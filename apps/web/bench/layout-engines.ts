/**
 * netdive's room packing against elkjs on generated Docker hosts: overlaps, picture shape, what
 * one more container moves, and time. Run: `pnpm bench:layout`; prints markdown to stdout.
 * It backs the decision to keep the hand packing (ELK moves nodes and is far slower).
 */
import { createRequire } from "node:module";
import { generateHost, HOST_SHAPES, withOneMoreContainer, type HostShape, type Topology } from "@netdive/model";
import ELK from "elkjs/lib/elk.bundled.js";
import type { GraphElement } from "../src/graph/elements";
import { EMPTY_LAYOUT, layout } from "../src/graph/layout";
import { toElements } from "../src/graph/to-elements";
import { check, elkPicture, moved, netdivePicture, toElk, type Picture, type Variant } from "./layout-engines-graph";

const ELK_VERSION = (createRequire(import.meta.url)("elkjs/package.json") as { version: string }).version;
const elk = new ELK();
const VARIANTS: Variant[] = ["layered", "rect+grid"];
const METHODS = ["netdive", ...VARIANTS.map((v) => `elk ${v}`)];
/** A 1680x960 canvas (16:9 with the panel open) and a wide one. */
const ASPECTS = [1.75, 2];
const REPS = 5;

async function elkLayout(els: readonly GraphElement[], variant: Variant, aspect: number): Promise<Picture> {
  const built = toElk(els, variant, aspect);
  return elkPicture(await elk.layout(built.graph), built.kinds);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const px = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : "–");
const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(0));

interface Tally {
  layouts: number;
  roomOverlaps: number;
  boxOverlaps: number;
  aspectOk: number;
  movedLayouts: number;
  movedPx: number[];
}

/** Each method's checks over busy seeds 1-10 and any seeds 1-4, at both aspects. */
async function properties(): Promise<Map<string, Tally>> {
  const hosts: Array<[Topology, number]> = [];
  for (let s = 1; s <= 10; s++) hosts.push([generateHost(s, HOST_SHAPES.busy), s]);
  for (let s = 1; s <= 4; s++) hosts.push([generateHost(s, HOST_SHAPES.any), s]);
  const tallies = new Map<string, Tally>(
    METHODS.map((m) => [m, { layouts: 0, roomOverlaps: 0, boxOverlaps: 0, aspectOk: 0, movedLayouts: 0, movedPx: [] }]),
  );
  const add = (method: string, aspect: number, before: Picture, after: Picture) => {
    const t = tallies.get(method)!;
    const c = check(before, aspect);
    const m = moved(before, after);
    t.layouts++;
    t.roomOverlaps += c.roomOverlaps;
    t.boxOverlaps += c.boxOverlaps;
    t.aspectOk += Number(c.aspectOk);
    t.movedLayouts += Number(m.length > 0);
    t.movedPx.push(...m);
  };
  for (const [host, seed] of hosts) {
    const els = toElements(host);
    const more = toElements(withOneMoreContainer(host, seed));
    for (const aspect of ASPECTS) {
      // netdive keeps its previous state, as the app does; ELK has no such mode, so it starts afresh.
      const state = layout(els, EMPTY_LAYOUT, aspect);
      add("netdive", aspect, netdivePicture(els, state), netdivePicture(more, layout(more, state, aspect)));
      for (const v of VARIANTS)
        add(`elk ${v}`, aspect, await elkLayout(els, v, aspect), await elkLayout(more, v, aspect));
    }
  }
  return tallies;
}

/** Median ms of `REPS` runs after one warm-up run. */
async function timeIt(fn: () => unknown): Promise<number[]> {
  await fn();
  const out: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

/** Layout time per method on busy hosts with a fixed number of containers and networks, seeds 1-3. */
async function timing(): Promise<Array<[string, number[]]>> {
  const sized = (n: number, nets: number): HostShape => ({
    ...HOST_SHAPES.busy,
    containers: [n, n],
    networks: [nets, nets],
  });
  const sizes: Array<[number, number]> = [
    [40, 16],
    [150, 20],
    [500, 20],
  ];
  // A first pass so the JIT has compiled both engines before anything is timed.
  const warm = toElements(generateHost(1, HOST_SHAPES.busy));
  for (let i = 0; i < 3; i++) {
    layout(warm, EMPTY_LAYOUT, 1.75);
    for (const v of VARIANTS) await elk.layout(toElk(warm, v, 1.75).graph);
  }
  const rows: Array<[string, number[]]> = [];
  for (const [n, nets] of sizes) {
    const times: number[][] = METHODS.map(() => []);
    for (const seed of [1, 2, 3]) {
      const els = toElements(generateHost(seed, sized(n, nets)));
      times[0]!.push(...(await timeIt(() => layout(els, EMPTY_LAYOUT, 1.75))));
      for (const [i, v] of VARIANTS.entries()) {
        const built = toElk(els, v, 1.75);
        // ELK writes its result into the graph it is given: each run gets a fresh copy.
        times[i + 1]!.push(...(await timeIt(() => elk.layout(structuredClone(built.graph)))));
      }
    }
    rows.push([`${n} (${nets})`, times.map(median)]);
  }
  return rows;
}

const tallies = await properties();
const rows = await timing();
console.log(`## Layout engines, ${new Date().toISOString().slice(0, 10)}, elkjs ${ELK_VERSION}\n`);
console.log("Hosts: `generateHost` busy seeds 1-10 and any seeds 1-4, each at aspect 1.75 and 2.");
console.log("+1 container: netdive lays out from its previous state; ELK lays out afresh.\n");
console.log(
  "| method | layouts | room / box overlaps | aspect within 1.5x | +1 container: layouts where nodes moved | px moved median / max |",
);
console.log("|---|---|---|---|---|---|");
for (const [method, t] of tallies) {
  const max = t.movedPx.length > 0 ? Math.max(...t.movedPx) : NaN;
  console.log(
    `| ${method} | ${t.layouts} | ${t.roomOverlaps} / ${t.boxOverlaps} | ${t.aspectOk}/${t.layouts} | ${t.movedLayouts}/${t.layouts} | ${px(median(t.movedPx))} / ${px(max)} |`,
  );
}
console.log(`\nMedian layout time, ms (busy, seeds 1-3, ${REPS} runs each after a warm-up; aspect 1.75):\n`);
console.log(`| containers (networks) | ${METHODS.join(" | ")} |`);
console.log(`|---|${METHODS.map(() => "---|").join("")}`);
for (const [label, medians] of rows) console.log(`| ${label} | ${medians.map(ms).join(" | ")} |`);
