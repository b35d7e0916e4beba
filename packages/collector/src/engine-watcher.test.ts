import { getEventListeners } from "node:events";
import type { EngineInventory } from "@netdive/model";
import type { WatchLog } from "./engine-log";
import { afterEach, describe, expect, it } from "vitest";
import { FakeEngine, MYNET, labContainer } from "./fake-engine.test-support";
import { EngineWatcher, type Touched } from "./engine-watcher";

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
} as unknown as WatchLog;

function watch(engine: FakeEngine, reconcileMs: number) {
  const published: Array<{ at: number; ids: string[]; touched: Touched }> = [];
  const watcher = new EngineWatcher({
    collector: engine.collector(),
    onChange: (inv: EngineInventory, touched) =>
      published.push({ at: performance.now(), ids: inv.containers.map((c) => c.Id), touched }),
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

  it("hands on what an event touched: the first read is full, a container's start names that container", async () => {
    const engine = new FakeEngine();
    engine.networks = [MYNET];
    engine.containers = [labContainer(A, "web", MYNET, "172.18.0.2")];
    const { watcher, published } = watch(engine, 60_000);
    stopping = watcher;
    watcher.start();
    await watcher.firstRead;
    expect(published.at(-1)?.touched).toEqual({ full: true });
    engine.containers.push(labContainer(B, "db", MYNET, "172.18.0.3"));
    engine.emit({ Type: "container", Action: "start", Actor: { ID: B, Attributes: {} } } as never);
    await expect.poll(() => published.at(-1)?.ids.includes(B), { timeout: 1000, interval: 10 }).toBe(true);
    expect(published.at(-1)?.touched).toEqual({ full: false, containers: [B], networks: [], host: true });
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

/** A logger that keeps each line's level and message. */
function recordingLog() {
  const lines: Array<{ level: string; msg: string }> = [];
  const at =
    (level: string) =>
    (...args: unknown[]) =>
      lines.push({ level, msg: String(args.find((a) => typeof a === "string") ?? "") });
  const log = {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    trace: quiet,
    fatal: quiet,
  };
  return { lines, log: log as unknown as WatchLog };
}

describe("EngineWatcher while the engine is away", () => {
  it("does not add an abort listener per reconnect attempt, and warns once, then once when it is back", async () => {
    const engine = new FakeEngine();
    engine.networks = [MYNET];
    engine.down = "cannot reach Docker at unix:///fake.sock: connection refused";
    const { lines, log } = recordingLog();
    let attempts = 0;
    const watcher = new EngineWatcher({
      collector: engine.collector(),
      onChange: (inv) => {
        if (!inv.engine.reachable) attempts++;
      },
      log,
      reconcileMs: 60_000,
      backoffMinMs: 1,
      backoffMaxMs: 2,
    });
    stopping = watcher;
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on("warning", onWarning);
    try {
      // The watcher's own signal lives as long as it does: what each attempt hangs on it must go.
      const signal = (watcher as unknown as { stopper: AbortController }).stopper.signal;
      watcher.start();
      await expect.poll(() => attempts, { timeout: 5000, interval: 5 }).toBeGreaterThanOrEqual(3);
      const early = getEventListeners(signal, "abort").length;
      await expect.poll(() => attempts, { timeout: 10_000, interval: 5 }).toBeGreaterThanOrEqual(200);
      expect(getEventListeners(signal, "abort").length).toBeLessThanOrEqual(early);
      expect(getEventListeners(signal, "abort").length).toBeLessThanOrEqual(2);

      engine.down = null;
      await expect.poll(() => lines.some((l) => l.level === "info"), { timeout: 2000, interval: 5 }).toBe(true);
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings.filter((w) => w.includes("MaxListenersExceeded"))).toEqual([]);
    // (The fake has no kernel to read: that is said once, apart.)
    const told = lines.filter((l) => l.level !== "debug" && !l.msg.includes("not visible from here"));
    expect(told.map((l) => l.level)).toEqual(["warn", "info"]);
    expect(told[0]?.msg).toContain("connection refused");
    expect(told[1]?.msg).toMatch(/^engine back after \d+ s: Docker 20\.10\.24/);
  });
});

describe("EngineWatcher and the kernel helper's container", () => {
  it("reads nothing for the helper's own events, and never draws the helper", async () => {
    const engine = new FakeEngine();
    engine.networks = [MYNET];
    engine.containers = [labContainer(A, "web", MYNET, "172.18.0.2")];
    const helper = labContainer(C, "netdive-kernel-helper-0123456789ab", MYNET, "");
    helper.HostConfig.NetworkMode = "host";
    helper.Config.Labels = { "io.netdive.kernel-helper": "1" };
    engine.containers.push(helper);
    const { watcher, published } = watch(engine, 60_000);
    stopping = watcher;
    watcher.start();
    await watcher.firstRead;
    expect(published.at(-1)?.ids).toEqual([A]);
    const count = published.length;

    const labels = { "io.netdive.kernel-helper": "1", name: "netdive-kernel-helper-0123456789ab" };
    const hostNet = "9".repeat(64);
    for (const [Type, Action] of [
      ["container", "create"],
      ["network", "connect"],
      ["container", "start"],
      ["container", "die"],
      ["network", "disconnect"],
      ["container", "destroy"],
    ] as const) {
      const Attributes = Type === "network" ? { container: C, name: "host", type: "host" } : labels;
      engine.emit({ Type, Action, Actor: { ID: Type === "network" ? hostNet : C, Attributes } });
    }
    await new Promise((r) => setTimeout(r, 100));
    // Each of these re-read the host before: with a helper as the kernel reader, another run, and so on.
    expect(published.length).toBe(count);

    engine.containers.push(labContainer(B, "db", MYNET, "172.18.0.3"));
    engine.emit({ Type: "container", Action: "start", Actor: { ID: B, Attributes: {} } });
    await expect.poll(() => published.at(-1)?.ids.includes(B), { timeout: 1000, interval: 10 }).toBe(true);
    await watcher.refresh();
    expect(published.at(-1)?.ids.sort()).toEqual([A, B]);
  });
});
