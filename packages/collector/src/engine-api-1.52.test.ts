import { buildTopology, type EngineInventory, type Topology } from "@netdive/model";
import { afterEach, describe, expect, it } from "vitest";
import { EngineCollector } from "./collector";
import { connectDocker } from "./docker-api";
import type { WatchLog } from "./engine-log";
import { EngineWatcher, type Touched } from "./engine-watcher";
import { NO_KERNEL } from "./fake-engine.test-support";
import { startRecordedEngine, type RecordedEngine } from "./recorded-engine.test-support";

/**
 * Docker 29 (Engine API 1.52) cannot run on this machine's kernel and libc, so these tests speak
 * to an engine over a unix socket that serves responses recorded from Docker 28.5, reshaped as
 * 1.52 sends them (recorded-engine.test-support.ts), through netdive's real HTTP client.
 */

const A = "467ba110c2df96556f165511f8b75481b7b91f589546347234aeb1ed7344cd48";
const USER_NET = "e068072571ede628ce0e011c9ba0f6d5264e3a30a4d82d3ca7e204f95dab4f2d";
const EVENT_CONTAINER = "691732ddeaef1d21e2ba15b117f463926385188718fcf84d6fad687dffe5941c";

const engines: RecordedEngine[] = [];
let watcher: EngineWatcher | null = null;
afterEach(async () => {
  await watcher?.stop();
  watcher = null;
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

async function engine(shape: "1.51" | "1.52", minApiVersion?: string): Promise<RecordedEngine> {
  const e = await startRecordedEngine({ shape, ...(minApiVersion ? { minApiVersion } : {}) });
  engines.push(e);
  return e;
}

function collector(e: RecordedEngine): EngineCollector {
  return new EngineCollector({
    engineId: "local",
    url: e.url,
    connect: () => connectDocker({ host: e.url, timeoutMs: 2_000 }),
    kernel: NO_KERNEL,
  });
}

async function topologyOf(e: RecordedEngine): Promise<{ inventory: EngineInventory; topology: Topology }> {
  const inventory = await collector(e).collect();
  expect(inventory.engine.error).toBeUndefined();
  return { inventory, topology: buildTopology([inventory]) };
}

describe("Engine API 1.52 (Docker 29)", () => {
  it("negotiates 1.52 with an engine that refuses clients below 1.44, and never asks below it", async () => {
    const e = await engine("1.52", "1.44");
    const { inventory } = await topologyOf(e);
    expect(inventory.engine).toMatchObject({ apiVersion: "1.52", version: "29.0.0", firewallBackend: "nftables" });
    const versioned = e.requests.map((r) => /\/v(\d+)\.(\d+)\//.exec(r)).filter((m) => m !== null);
    expect(versioned.length).toBeGreaterThan(3);
    expect(versioned.every((m) => Number(m[1]) === 1 && Number(m[2]) >= 44)).toBe(true);
    // Only the version question itself goes unversioned, as Docker 29 answers it for any client.
    expect(e.requests.filter((r) => !/\/v\d/.test(r))).toEqual(["GET /version"]);
  });

  it("says to upgrade netdive, in a sentence, when the engine refuses every version netdive speaks", async () => {
    const e = await engine("1.52", "1.60");
    const inventory = await collector(e).collect();
    expect(inventory.engine.reachable).toBe(false);
    expect(inventory.engine.error).toMatch(/needs Engine API 1.60 or newer.*upgrade netdive/);
  });

  it("reads endpoints from Networks alone: the 1.52 shape gives the topology the 1.51 shape gives", async () => {
    const [old, now] = await Promise.all([engine("1.51"), engine("1.52")]);
    const before = (await topologyOf(old)).topology;
    const after = (await topologyOf(now)).topology;
    expect(after.containers).toEqual(before.containers);
    expect(after.networks).toEqual(before.networks);

    const a = after.containers[A];
    expect(a?.endpoints[USER_NET]).toMatchObject({
      networkName: "ndrec-net",
      ipv4: "172.18.0.2",
      prefixLen: 16,
      mac: "32:8d:4b:e5:8d:d9",
      gateway: "172.18.0.1",
    });
    // Aliases is null from 1.44 on; the names come from DNSNames.
    expect(a?.endpoints[USER_NET]?.aliases).toEqual(expect.arrayContaining(["ndrec-a", "467ba110c2df"]));
    const bridge = Object.values(after.networks).find((n) => n.name === "bridge");
    expect(bridge?.containerIds).toHaveLength(1);
  });

  it("follows events without status, id and from: the containers they name are re-read", async () => {
    const e = await engine("1.52");
    const published: Touched[] = [];
    const quiet = () => undefined;
    watcher = new EngineWatcher({
      collector: collector(e),
      onChange: (_inventory, touched) => published.push(touched),
      log: { debug: quiet, info: quiet, warn: quiet, error: quiet, trace: quiet, fatal: quiet } as unknown as WatchLog,
      reconcileMs: 60_000,
      coalesceMs: 10,
    });
    watcher.start();
    await watcher.firstRead;
    e.emitRecordedEvents();
    await expect
      .poll(() => published.some((t) => !t.full && t.containers.includes(EVENT_CONTAINER)), { timeout: 3_000 })
      .toBe(true);
    const requested = e.requests.filter((r) => r.includes(`/containers/${EVENT_CONTAINER}/json`));
    expect(requested.every((r) => r.startsWith("GET /v1.52/"))).toBe(true);
  });
});
