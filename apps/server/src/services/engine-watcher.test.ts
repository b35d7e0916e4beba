import type { EngineInventory } from "@netdive/model";
import type { FastifyBaseLogger } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { FakeEngine, MYNET, labContainer } from "../test-support";
import { EngineWatcher } from "./engine-watcher";

const A = "a".repeat(64);
const B = "b".repeat(64);
const C = "c".repeat(64);

const quiet = () => undefined;
const SILENT = {
  debug: quiet,
  info: quiet,
  warn: quiet,
  error: quiet,
  trace: quiet,
  fatal: quiet,
} as unknown as FastifyBaseLogger;

function watch(engine: FakeEngine, reconcileMs: number) {
  const published: Array<{ at: number; ids: string[] }> = [];
  const watcher = new EngineWatcher({
    collector: engine.collector(),
    onInventory: (inv: EngineInventory) =>
      published.push({ at: performance.now(), ids: inv.containers.map((c) => c.Id) }),
    log: SILENT,
    reconcileMs,
  });
  return { watcher, published };
}

let stopping: EngineWatcher | null = null;

/** An engine with one container, watched with a 100 ms reconcile, after its first read. */
async function watchOneContainer() {
  const engine = new FakeEngine();
  engine.networks = [MYNET];
  engine.containers = [labContainer(A, "web", MYNET, "172.18.0.2")];
  const { watcher, published } = watch(engine, 100);
  stopping = watcher;
  watcher.start();
  await watcher.firstRead;
  return { engine, published };
}
afterEach(async () => {
  await stopping?.stop();
  stopping = null;
});

describe("EngineWatcher during a slow reconcile", () => {
  it("publishes a change at once instead of after the reconcile, and the reconcile does not undo it", async () => {
    const { engine, published } = await watchOneContainer();

    // Every full collection from now on takes 1.2 s; the periodic one starts within ~100 ms.
    engine.listDelayMs = 1200;
    await new Promise((r) => setTimeout(r, 250));
    engine.containers.push(labContainer(B, "db", MYNET, "172.18.0.3"));
    const startedAt = performance.now();
    engine.emit({ Type: "container", Action: "start", Actor: { ID: B, Attributes: {} } } as never);

    await expect.poll(() => published.some((p) => p.ids.includes(B)), { timeout: 1000, interval: 10 }).toBe(true);
    const seen = published.find((p) => p.ids.includes(B)) as { at: number };
    expect(seen.at - startedAt).toBeLessThan(400);

    // The reconcile ends (it listed before B existed, or while it did): what it publishes keeps B.
    const count = published.length;
    await expect.poll(() => published.length > count, { timeout: 3000, interval: 20 }).toBe(true);
    for (const p of published.slice(count)) expect(p.ids).toContain(B);
  });

  it("reads a change that came while the reconcile was taking its turn, without waiting for another event", async () => {
    const { engine, published } = await watchOneContainer();
    const ready = performance.now();

    // From now on a listing takes 600 ms and every inspection 600 ms: the reconcile (starting
    // ~100 ms from now) collects until ~1.3 s, then takes its turn re-reading B until ~1.9 s.
    engine.listDelayMs = 600;
    engine.inspectDelayMs = 600;
    await new Promise((r) => setTimeout(r, 250));
    engine.containers.push(labContainer(B, "db", MYNET, "172.18.0.3"));
    engine.emit({ Type: "container", Action: "start", Actor: { ID: B, Attributes: {} } } as never);
    await new Promise((r) => setTimeout(r, ready + 1600 - performance.now()));
    // C starts while the reconcile holds the turn: it must be read right after, not at the next reconcile (~6 s).
    engine.containers.push(labContainer(C, "cache", MYNET, "172.18.0.4"));
    engine.emit({ Type: "container", Action: "start", Actor: { ID: C, Attributes: {} } } as never);
    await expect.poll(() => published.some((p) => p.ids.includes(C)), { timeout: 2500, interval: 10 }).toBe(true);
  });
});
