import type { EngineInventory } from "@netdive/model";
import type { FastifyBaseLogger } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { FakeEngine, MYNET, labContainer } from "../test-support";
import { EngineWatcher } from "./engine-watcher";

const A = "a".repeat(64);
const B = "b".repeat(64);

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
afterEach(async () => {
  await stopping?.stop();
  stopping = null;
});

describe("EngineWatcher during a slow reconcile", () => {
  it("publishes a change at once instead of after the reconcile, and the reconcile does not undo it", async () => {
    const engine = new FakeEngine();
    engine.networks = [MYNET];
    engine.containers = [labContainer(A, "web", MYNET, "172.18.0.2")];
    const { watcher, published } = watch(engine, 100);
    stopping = watcher;
    watcher.start();
    await watcher.firstRead;

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
});
