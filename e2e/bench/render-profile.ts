/**
 * `pnpm bench:render [--sizes=50,200,500] [--profile]`: the page's first full render of a
 * synthetic topology (e2e/bench/synthetic.ts), apart from the engine and the network: from the
 * store holding the snapshot to every container box drawn and a frame painted; then one patch
 * (a container added, as the server would send it) from the store to the painted frame. With
 * --profile, prints the functions that took the most time in each (Chrome's CPU profiler).
 */
import type { CDPSession } from "playwright-core";
import { freeTcpPort } from "@netdive/lab";
import { diff, type Json, type PatchMessage } from "@netdive/model";
import { startServer } from "../support/server";
import { launchChromium } from "./browser";
import { CONTAINER_SHOWN, SHOWN_CONTAINERS } from "./page-probes";
import { syntheticTopology } from "./synthetic";

const sizesArg = process.argv.find((a) => a.startsWith("--sizes="));
const SIZES = sizesArg ? sizesArg.slice("--sizes=".length).split(",").map(Number) : [50, 200, 500];
const PROFILE = process.argv.includes("--profile");
const PATCHES = 5;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

async function main(): Promise<void> {
  const port = await freeTcpPort(0);
  // No engine on purpose: the page gets an empty topology and the synthetic one is handed to its store.
  const server = await startServer(port, [
    "--docker-host",
    "unix:///nonexistent/netdive-render.sock",
    "--log-level",
    "error",
  ]);
  const browser = await launchChromium();
  try {
    for (const n of SIZES) {
      const topology = syntheticTopology(n);
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      await page.goto(`http://127.0.0.1:${port}`);
      await page.waitForFunction(() => window.__NETDIVE__?.cy !== undefined && window.__NETDIVE__.cy !== null);
      const cdp: CDPSession | null = PROFILE ? await page.context().newCDPSession(page) : null;
      if (cdp) {
        await cdp.send("Profiler.enable");
        await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
        await cdp.send("Profiler.start");
      }
      await page.evaluate(SHOWN_CONTAINERS);
      await page.evaluate(CONTAINER_SHOWN);
      // A string, not a function: tsx would wrap named helpers in a `__name` the page does not have.
      await page.evaluate(
        "window.__render = (t, count) => new Promise((resolve) => {" +
          "const cy = window.__NETDIVE__.cy; const start = performance.now();" +
          "const check = () => window.__shownContainers() >= count" +
          "  ? requestAnimationFrame(() => requestAnimationFrame(() => { const m = (n) => (performance.getEntriesByName(n).pop()?.startTime ?? NaN) - start;" +
          "   resolve({ total: performance.now() - start, syncStart: m('netdive:sync-start'), syncEnd: m('netdive:sync-end') }); }))" +
          "  : setTimeout(check, 5);" +
          "window.__NETDIVE__.store.getState().setSnapshot(t); check(); })",
      );
      const ms = await page.evaluate(
        ({ t, count }) =>
          (
            window as unknown as {
              __render(t: unknown, c: number): Promise<{ total: number; syncStart: number; syncEnd: number }>;
            }
          ).__render(t, count),
        { t: topology, count: n },
      );
      console.log(
        `N=${n}: first render ${ms.total.toFixed(0)} ms: React until the canvas sync ${ms.syncStart.toFixed(0)} ms, ` +
          `sync (layout + cy.add) ${(ms.syncEnd - ms.syncStart).toFixed(0)} ms, then paint ${(ms.total - ms.syncEnd).toFixed(0)} ms ` +
          `(${JSON.stringify(topology).length} B of topology)`,
      );
      if (cdp) printTop(((await cdp.send("Profiler.stop")) as { profile: { nodes: ProfileNode[] } }).profile.nodes);

      // Patches: one container more each time, as the server's diff would send it.
      await page.waitForTimeout(1000);
      if (cdp) await cdp.send("Profiler.start");
      await page.evaluate(
        "window.__patch = (message, id, name) => new Promise((resolve) => {" +
          "const start = performance.now();" +
          "const check = () => window.__containerShown(id, name)" +
          "  ? requestAnimationFrame(() => requestAnimationFrame(() => { const m = (n) => (performance.getEntriesByName(n).pop()?.startTime ?? NaN) - start;" +
          "   resolve({ total: performance.now() - start, syncStart: m('netdive:sync-start'), syncEnd: m('netdive:sync-end') }); }))" +
          "  : setTimeout(check, 1);" +
          "if (!window.__NETDIVE__.store.getState().applyPatch(message)) throw new Error('patch did not apply'); check(); })",
      );
      // At rest (from far away at 500 every room is a card, and the card counts the newcomer),
      // then close up on the room each newcomer lands in (its box is drawn).
      let previous = topology;
      for (const where of ["at rest", "in its open room"] as const) {
        const patchMs: number[] = [];
        const parts: string[] = [];
        for (let k = 1; k <= PATCHES; k++) {
          const next = syntheticTopology(Object.keys(previous.containers).length + 1);
          const message: PatchMessage = {
            type: "patch",
            from: previous.revision,
            revision: previous.revision + 1,
            ops: [
              ...diff(previous as unknown as Json, next as unknown as Json).filter((op) => op.path !== "/revision"),
              { op: "replace", path: "/revision", value: previous.revision + 1 },
            ],
          };
          next.revision = previous.revision + 1;
          const added = Object.keys(next.containers).find((id) => !previous.containers[id])!;
          if (where === "in its open room") {
            const bridge = `bridge:${Object.keys(next.containers[added]!.endpoints)[0]}`;
            await page.evaluate((id) => {
              const cy = window.__NETDIVE__.cy!;
              cy.zoom({ level: 1.1, position: cy.getElementById(id).position() });
            }, bridge);
            await page.waitForTimeout(1500);
          }
          const ms = await page.evaluate(
            ({ m, id, name }) =>
              (
                window as unknown as {
                  __patch(
                    m: unknown,
                    id: string,
                    name: string,
                  ): Promise<{ total: number; syncStart: number; syncEnd: number }>;
                }
              ).__patch(JSON.parse(m), id, name),
            { m: JSON.stringify(message), id: added, name: next.containers[added]!.name },
          );
          patchMs.push(ms.total);
          parts.push(
            `${ms.syncStart.toFixed(0)}+${(ms.syncEnd - ms.syncStart).toFixed(0)}+${(ms.total - ms.syncEnd).toFixed(0)}`,
          );
          previous = next;
          await page.waitForTimeout(300);
        }
        const sorted = [...patchMs].sort((a, b) => a - b);
        console.log(
          `N=${n}: patch -> painted canvas, ${where}: median ${sorted[Math.floor(PATCHES / 2)]!.toFixed(0)} ms ` +
            `(${patchMs.map((x) => x.toFixed(0)).join(", ")}; React + sync + paint: ${parts.join(", ")})`,
        );
      }
      if (cdp) printTop(((await cdp.send("Profiler.stop")) as { profile: { nodes: ProfileNode[] } }).profile.nodes);
      await page.close();
    }
  } finally {
    await browser.close();
    process.kill(-(server.pid ?? 0), "SIGTERM");
  }
}

function printTop(nodes: ProfileNode[]): void {
  const self = new Map<string, number>();
  let total = 0;
  for (const node of nodes) {
    const hits = node.hitCount ?? 0;
    total += hits;
    const f = node.callFrame;
    const key = `${f.functionName || "(anonymous)"} ${f.url.split("/").pop() ?? ""}:${f.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + hits);
  }
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15);
  console.log("  self time:");
  for (const [key, hits] of top) console.log(`  ${((100 * hits) / total).toFixed(1).padStart(5)}%  ${key}`);
  // Inclusive time per function, each function counted once per stack.
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const inclusive = new Map<string, number>();
  const keyOf = (f: ProfileNode["callFrame"]) =>
    `${f.functionName || "(anonymous)"} ${f.url.split("/").pop() ?? ""}:${f.lineNumber}`;
  const walk = (id: number, onStack: Set<string>): number => {
    const node = byId.get(id)!;
    const key = keyOf(node.callFrame);
    let hits = node.hitCount ?? 0;
    const fresh = !onStack.has(key);
    if (fresh) onStack.add(key);
    for (const child of node.children ?? []) hits += walk(child, onStack);
    if (fresh) {
      onStack.delete(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + hits);
    }
    return hits;
  };
  walk(nodes[0]!.id, new Set());
  console.log("  total time:");
  const topTotal = [...inclusive.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30);
  for (const [key, hits] of topTotal) console.log(`  ${((100 * hits) / total).toFixed(1).padStart(5)}%  ${key}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
