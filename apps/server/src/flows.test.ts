import type { FlowNamespace, FlowRead, KernelReader } from "@netdive/collector";
import { FakeEngine, labContainer, MYNET } from "@netdive/collector/test-support";
import { fits, FlowsAnswer, parseConntrack, ServerMessage } from "@netdive/model";
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { buildServer, type AppOptions } from "./app";
import { FlowService, type FlowTopology } from "./services/flow-service";

const WEB = `aaaaaaaaaaaa${"1".repeat(52)}`;
const DB = `aaaaaaaaaaaa${"2".repeat(52)}`;

/** A kernel that is visible and empty: flows need the host's kernel to be readable. */
const VISIBLE: KernelReader = {
  unavailableReason: async () => null,
  readHost: async () => ({ ok: true, links: [], defaultRoutes: [] }),
  readNetns: async () => ({ ok: true, links: [] }),
  readDnsRules: async () => ({ ok: false, reason: "test" }),
  readFirewall: async () => ({ rules: { ok: false, reason: "test" }, proxies: { ok: false, reason: "test" } }),
};

/** web (172.18.0.2) fetched db's port 80 once, 3 s before the read (TIME_WAIT: 117 of 120 s left). */
const LINE =
  "ipv4     2 tcp      6 117 TIME_WAIT src=172.18.0.2 dst=172.18.0.3 sport=40000 dport=80 src=172.18.0.3 dst=172.18.0.2 sport=80 dport=40000 [ASSURED] mark=0 zone=0 use=2";

function fakeRead() {
  const calls: Array<readonly FlowNamespace[]> = [];
  const read = async (engineId: string, namespaces: readonly FlowNamespace[]): Promise<FlowRead> => {
    calls.push(namespaces);
    return {
      engineId,
      conntrack: parseConntrack(LINE),
      sockets: [],
      timeouts: {},
      unavailable: [],
      socketsWhy: "test",
    };
  };
  return { read, calls };
}

let server: FastifyInstance | undefined;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await server?.close();
  server = undefined;
});

async function start(opts: Partial<AppOptions> = {}): Promise<FastifyInstance> {
  const engine = new FakeEngine();
  engine.networks = [MYNET];
  engine.containers = [labContainer(WEB, "web", MYNET, "172.18.0.2"), labContainer(DB, "db", MYNET, "172.18.0.3")];
  server = await buildServer({
    dockerHost: "unix:///fake.sock",
    collectors: [engine.collector(VISIBLE)],
    reconcileMs: 60_000,
    ...opts,
  });
  await server.ready();
  return server;
}

describe("GET /api/flows", () => {
  it("answers 404 with how to turn flows on when they are off", async () => {
    const app = await start();
    const res = await app.inject("/api/flows");
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toMatch(/flows are off: start netdive with --flows/);
  });

  it("lists the flow between two containers with its protocol and service port", async () => {
    const { read, calls } = fakeRead();
    const app = await start({ flows: { windowSeconds: 10, addresses: false }, flowRead: read });
    const res = await app.inject("/api/flows");
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(fits(FlowsAnswer, body)).toBe(true);
    expect(body.flows).toMatchObject([
      {
        protocol: "tcp",
        port: 80,
        status: "ended",
        idleMs: 3000,
        client: { kind: "container", containerId: WEB },
        server: { kind: "container", containerId: DB },
      },
    ]);
    // Both containers own their namespaces: their pids are handed to the reader for their sockets.
    expect(calls[0]?.map((n) => n.name).sort()).toEqual(["db", "web"]);
  });
});

describe("the flow service's cost bound", () => {
  const topology: FlowTopology = {
    current: () =>
      ({
        engines: { local: { id: "local" } },
        hosts: { local: { kernel: { visible: true, reason: null }, interfaces: [] } },
        containers: {},
        networks: {},
      }) as never,
    inventoryOf: () => ({ containers: [] }),
  };

  it("reads the kernel at most once a second, however many ask, and concurrent asks share one read", async () => {
    let now = 0;
    const { read } = fakeRead();
    const service = new FlowService(topology, { read, windowSeconds: 10, addresses: false, now: () => now });
    await Promise.all([service.current(), service.current(), service.current()]);
    expect(service.reads).toBe(1);
    now = 999;
    await service.current();
    expect(service.reads).toBe(1);
    now = 1000;
    await service.current();
    expect(service.reads).toBe(2);
  });

  it("spaces reads out to five times their length when they are slow (a huge conntrack table), and back", async () => {
    let now = 0;
    let takes = 0;
    const { read: fast } = fakeRead();
    const read: typeof fast = async (...args) => {
      now += takes;
      return fast(...args);
    };
    const service = new FlowService(topology, { read, windowSeconds: 10, addresses: false, now: () => now });
    // Each step: asked at `at`, a read (when one is due) taking `takes`, and the interval after it.
    const steps = [
      { at: 0, takes: 150, interval: 1000, reads: 1, why: "a 150 ms read (every socket table): still once a second" },
      { at: 1000, takes: 600, interval: 3000, reads: 2, why: "a 600 ms read: the next one 3 s after it started" },
      { at: 3999, takes: 600, interval: 3000, reads: 2, why: "not yet: the last read answers" },
      { at: 4000, takes: 5000, interval: 15_000, reads: 3, why: "a 5 s read: at most 15 s" },
      { at: 19_000, takes: 20, interval: 1000, reads: 4, why: "a fast read again: back to once a second" },
    ];
    for (const step of steps) {
      now = step.at;
      takes = step.takes;
      await service.current();
      expect([service.interval, service.reads], step.why).toEqual([step.interval, step.reads]);
    }
  });

  it("reads nothing while nobody watches, and stops when the last watcher leaves", async () => {
    const { read } = fakeRead();
    const service = new FlowService(topology, { read, windowSeconds: 10, addresses: false, minIntervalMs: 20 });
    await new Promise((r) => setTimeout(r, 60));
    expect(service.reads).toBe(0);
    const seen: number[] = [];
    const stop = service.watch(() => seen.push(Date.now()));
    await new Promise((r) => setTimeout(r, 110));
    stop();
    const reads = service.reads;
    expect(reads).toBeGreaterThanOrEqual(3);
    expect(reads).toBeLessThanOrEqual(7);
    await new Promise((r) => setTimeout(r, 60));
    expect(service.reads).toBe(reads);
    expect(service.watching).toBe(0);
  });
});

describe("flows on the stream", () => {
  it("are not offered by a server without --flows: its snapshot does not say so", async () => {
    const app = await start({});
    const page = await connect(app);
    await new Promise((r) => setTimeout(r, 200));
    expect(page.messages[0]?.type).toBe("snapshot");
    expect(page.messages[0]).not.toHaveProperty("flows");
  });

  async function connect(app: FastifyInstance) {
    if (!app.server.listening) await app.listen({ host: "127.0.0.1", port: 0 });
    const address = app.server.address();
    if (!address || typeof address === "string") throw new Error("no port");
    const socket = new WebSocket(`ws://127.0.0.1:${address.port}/api/stream`);
    sockets.push(socket);
    const messages: ServerMessage[] = [];
    socket.on("message", (data) => messages.push(JSON.parse(String(data)) as ServerMessage));
    await new Promise((resolve) => socket.once("open", resolve));
    return { socket, messages };
  }

  it("go only to a client that asked, so an older page never sees them", async () => {
    const { read } = fakeRead();
    const app = await start({ flows: { windowSeconds: 10, addresses: false }, flowRead: read });
    const older = await connect(app);
    const newer = await connect(app);
    newer.socket.send(JSON.stringify({ type: "watch-flows", watch: true }));
    await new Promise((r) => setTimeout(r, 1300));
    const flows = newer.messages.filter((m) => m.type === "flows");
    expect(flows.length).toBeGreaterThanOrEqual(1);
    expect(fits(ServerMessage, flows[0])).toBe(true);
    expect(older.messages.map((m) => m.type)).toEqual(["snapshot"]);
    // The snapshot says flows may be asked for: the page asks only then (no probe that can 404).
    expect(older.messages[0]).toMatchObject({ type: "snapshot", flows: true });
    expect(app.flows?.watching).toBe(1);
    newer.socket.close();
    await new Promise((r) => setTimeout(r, 100));
    expect(app.flows?.watching).toBe(0);
  });
});
