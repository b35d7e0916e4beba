import { applyPatch, fits, PROTOCOL_VERSION, ServerMessage, Topology, touchedFits, type Json } from "@netdive/model";
import type { FastifyInstance } from "fastify";
import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { buildServer, type AppOptions } from "./app";
import { FakeEngine, labContainer, MYNET } from "@netdive/collector/test-support";

const id = (n: number) => n.toString(16).padStart(64, "0");

let server: FastifyInstance | undefined;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await server?.close();
  server = undefined;
});

async function listen(engine: FakeEngine, opts: Partial<AppOptions> = {}): Promise<string> {
  server = await buildServer({
    dockerHost: "unix:///fake.sock",
    collectors: [engine.collector()],
    reconcileMs: 60_000,
    ...opts,
  });
  await server.listen({ host: "127.0.0.1", port: 0 });
  const address = server.server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  return `127.0.0.1:${address.port}`;
}

/** A stream client that keeps its own copy of the topology by applying what it receives. */
class Mirror {
  readonly socket: WebSocket;
  readonly messages: ServerMessage[] = [];
  topology: Topology | null = null;
  gaps = 0;
  closed: Promise<{ code: number; reason: string }>;
  private waiters: Array<() => void> = [];

  constructor(url: string, options: WebSocket.ClientOptions = {}) {
    this.socket = new WebSocket(url, options);
    sockets.push(this.socket);
    this.socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as ServerMessage;
      this.messages.push(message);
      if (message.type === "snapshot") this.topology = message.topology;
      if (message.type === "patch" && this.topology) {
        if (message.from !== this.topology.revision) this.gaps++;
        this.topology = applyPatch(this.topology as unknown as Json, message.ops) as unknown as Topology;
      }
      for (const w of this.waiters.splice(0)) w();
    });
    this.closed = new Promise((resolve) =>
      this.socket.on("close", (code, reason) => resolve({ code, reason: String(reason) })),
    );
  }

  async until(test: (m: Mirror) => boolean, timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!test(this)) {
      if (Date.now() > deadline)
        throw new Error(`timed out; last messages: ${JSON.stringify(this.messages.slice(-3)).slice(0, 500)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }
}

function opened(url: string, headers: Record<string, string> = {}): Promise<{ status: number } | "open"> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    sockets.push(ws);
    ws.on("open", () => resolve("open"));
    ws.on("unexpected-response", (req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      res.resume();
      req.destroy();
    });
    ws.on("error", () => undefined);
  });
}

/** A GET with a chosen Host header (fetch does not let a caller set it). */
function getWithHost(address: string, path: string, hostHeader: string): Promise<{ status: number; body: string }> {
  const [hostname, port] = address.split(":");
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port: Number(port), path, headers: { host: hostHeader } }, (res) => {
      let body = "";
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

function engineWith(n: number): FakeEngine {
  const engine = new FakeEngine();
  engine.networks = [MYNET];
  engine.containers = Array.from({ length: n }, (_, i) =>
    labContainer(id(i + 1), `c${i + 1}`, MYNET, `172.18.0.${i + 2}`),
  );
  return engine;
}

describe("the stream", () => {
  it("sends a snapshot, then patches that rebuild the topology exactly, without gaps", async () => {
    const engine = engineWith(2);
    const host = await listen(engine);
    const mirror = new Mirror(`ws://${host}/api/stream`);
    await mirror.until((m) => m.topology !== null);
    expect(mirror.messages[0]).toMatchObject({ type: "snapshot", protocol: PROTOCOL_VERSION });

    engine.containers.push(labContainer(id(3), "c3", MYNET, "172.18.0.4"));
    engine.emit({ Type: "container", Action: "start", Actor: { ID: id(3) } });
    await mirror.until((m) => m.topology?.containers[id(3)] !== undefined);
    engine.containers.shift();
    engine.emit({ Type: "container", Action: "destroy", Actor: { ID: id(1) } });
    await mirror.until((m) => m.topology?.containers[id(1)] === undefined);

    const truth = (await server!.inject("/api/topology")).json();
    expect(mirror.topology).toEqual(truth);
    expect(mirror.gaps).toBe(0);
    // Each patch names what it changed: the started container, then the destroyed one.
    const patches = mirror.messages.filter((x) => x.type === "patch");
    expect(patches.map((p) => p.type === "patch" && p.touched?.containers)).toEqual([[id(3)], [id(1)]]);
    for (const p of patches) expect(p.type === "patch" && touchedFits(p)).toBe(true);
  });

  it("sends one container's change as ops under that container only", async () => {
    const engine = engineWith(50);
    const host = await listen(engine);
    const mirror = new Mirror(`ws://${host}/api/stream`);
    await mirror.until((m) => m.topology !== null);
    (engine.containers[7] as { State: { Status: string } }).State.Status = "paused";
    engine.emit({ Type: "container", Action: "pause", Actor: { ID: id(8) } });
    await mirror.until((m) => m.messages.some((x) => x.type === "patch"));
    const patch = mirror.messages.find((x) => x.type === "patch");
    expect(patch?.type === "patch" && patch.ops.map((o) => o.path)).toEqual([
      `/containers/${id(8)}/state`,
      "/revision",
    ]);
    expect(patch?.type === "patch" && patch.touched).toEqual({ engines: [], networks: [], containers: [id(8)] });
  });

  it("tells clients within 2 s that the engine is gone, and catches up on the same connection when it returns", async () => {
    const engine = engineWith(1);
    const host = await listen(engine);
    const mirror = new Mirror(`ws://${host}/api/stream`);
    await mirror.until((m) => m.topology !== null);

    const lostAt = Date.now();
    engine.stop("cannot reach Docker at unix:///fake.sock: connection refused — the Docker engine is not running");
    await mirror.until((m) => m.topology?.engines.local?.reachable === false, 2000);
    expect(fits(Topology, mirror.topology), "the topology with its engine lost fits the contract").toBe(true);
    // Reachability travels in the topology's patches only.
    expect(mirror.messages.some((x) => (x.type as string) === "engine")).toBe(false);
    expect(Date.now() - lostAt).toBeLessThan(2000);
    expect((await server!.inject("/api/health")).json().status).toBe("degraded");

    engine.containers.push(labContainer(id(2), "c2", MYNET, "172.18.0.3"));
    engine.down = null;
    await mirror.until(
      (m) => m.topology?.engines.local?.reachable === true && m.topology.containers[id(2)] !== undefined,
      8000,
    );
    expect(mirror.messages.filter((x) => x.type === "snapshot")).toHaveLength(1);
    expect(mirror.socket.readyState).toBe(WebSocket.OPEN);
    expect(mirror.topology).toEqual((await server!.inject("/api/topology")).json());
    // What the page checks: every frame, and the topology they add up to, fits the contract (a
    // frame that did not would make the page resync forever).
    for (const m of mirror.messages) expect(fits(ServerMessage, m), m.type).toBe(true);
    // Every patch names exactly what it changes (the page refuses one that does not).
    for (const m of mirror.messages) if (m.type === "patch") expect(m.touched && touchedFits(m)).toBe(true);
    expect(fits(Topology, mirror.topology)).toBe(true);
  });

  it("answers resync with a fresh snapshot", async () => {
    const host = await listen(engineWith(1));
    const mirror = new Mirror(`ws://${host}/api/stream`);
    await mirror.until((m) => m.topology !== null);
    mirror.socket.send(JSON.stringify({ type: "resync" }));
    await mirror.until((m) => m.messages.filter((x) => x.type === "snapshot").length === 2);
  });

  it("keeps sending to the others while one client does not read, and bounds what it queues", async () => {
    const engine = engineWith(1);
    const host = await listen(engine, { hub: { highWaterBytes: 256 * 1024 } });
    const reader = new Mirror(`ws://${host}/api/stream`);
    const paused = new Mirror(`ws://${host}/api/stream`);
    await reader.until((m) => m.topology !== null);
    await paused.until((m) => m.topology !== null);
    (paused.socket as unknown as { _socket: { pause(): void } })._socket.pause();

    // ~40 MB of changes: far past the kernel's socket buffers.
    const big = "x".repeat(200_000);
    for (let i = 0; i < 200; i++) {
      const c = engine.containers[0]!;
      c.Config.Hostname = `${i}${big}`;
      engine.emit({ Type: "container", Action: "update", Actor: { ID: c.Id } });
      await reader.until(
        (m) => m.topology?.containers[c.Id]?.state !== undefined && m.topology.revision >= i + 2,
        5000,
      );
    }
    expect(reader.gaps).toBe(0);
    const hub = server!.hub as unknown as { clients: Set<{ socket: WebSocket }> };
    const queued = Math.max(...[...hub.clients].map((c) => c.socket.bufferedAmount));
    expect(queued).toBeLessThan(2 * 256 * 1024 + 200_000 * 2);

    (paused.socket as unknown as { _socket: { resume(): void } })._socket.resume();
    await paused.until((m) => m.topology?.revision === reader.topology?.revision, 10_000);
    expect(paused.topology).toEqual(reader.topology);
    // It fell behind, its patches were dropped, and it caught up through a new snapshot.
    expect(paused.messages.filter((x) => x.type === "snapshot").length).toBeGreaterThanOrEqual(2);
  }, 60_000);
});

describe("safe defaults", () => {
  it("refuses a WebSocket upgrade from another site's page (403 before the upgrade)", async () => {
    const host = await listen(engineWith(1));
    expect(await opened(`ws://${host}/api/stream`, { origin: "https://evil.example" })).toEqual({ status: 403 });
    expect(await opened(`ws://${host}/api/stream`, { origin: `http://${host}` })).toBe("open");
    expect(await opened(`ws://${host}/api/stream`, { origin: "null" })).toEqual({ status: 403 });
  });

  it("refuses HTTP and WebSocket requests whose Host is not this server (DNS rebinding)", async () => {
    const host = await listen(engineWith(1));
    const port = host.split(":")[1];
    const res = await getWithHost(host, "/api/topology", `rebind.example:${port}`);
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toMatchObject({ error: "Forbidden" });
    expect((await getWithHost(host, "/api/health", `localhost:${port}`)).status).toBe(200);
    expect((await getWithHost(host, "/api/health", `[::1]:${port}`)).status).toBe(200);
    expect((await getWithHost(host, "/api/health", "localhost:1")).status).toBe(403);
    expect((await getWithHost(host, "/api/health", `localhost.evil.example:${port}`)).status).toBe(403);
    expect(await opened(`ws://${host}/api/stream`, { host: `rebind.example:${port}` })).toEqual({ status: 403 });
  });

  it("with a token, refuses requests without it and accepts header, cookie and the page's ?token=", async () => {
    const token = "0123456789abcdef0123";
    const host = await listen(engineWith(1), { token });
    expect((await fetch(`http://${host}/api/topology`)).status).toBe(401);
    expect(
      (await fetch(`http://${host}/api/topology`, { headers: { authorization: "Bearer wrong-token-wrong" } })).status,
    ).toBe(401);
    expect((await fetch(`http://${host}/api/topology`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(
      200,
    );
    expect(await opened(`ws://${host}/api/stream`)).toEqual({ status: 401 });

    const page = await fetch(`http://${host}/?token=${token}`, { redirect: "manual" });
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe("/");
    const cookie = page.headers.get("set-cookie")?.split(";")[0] ?? "";
    expect(page.headers.get("set-cookie")).toMatch(/HttpOnly; SameSite=Strict/);
    expect((await fetch(`http://${host}/api/topology`, { headers: { cookie } })).status).toBe(200);
    expect(await opened(`ws://${host}/api/stream`, { cookie })).toBe("open");
    expect((await fetch(`http://${host}/api/topology?token=${token}`)).status).toBe(401);
  });

  it("closes a connection that sends an oversized, malformed, binary or unknown frame, and only that one", async () => {
    const host = await listen(engineWith(1));
    const bystander = new Mirror(`ws://${host}/api/stream`);
    await bystander.until((m) => m.topology !== null);
    const cases: Array<[(ws: WebSocket) => void, number]> = [
      [(ws) => ws.send("x".repeat(10_000)), 1009],
      [(ws) => ws.send("{not json"), 1007],
      [(ws) => ws.send(Buffer.from([1, 2, 3])), 1003],
      [(ws) => ws.send(JSON.stringify({ type: "exec", cmd: "rm -rf /" })), 1008],
      [(ws) => ws.send(JSON.stringify({ type: "resync", __proto__: { polluted: true }, extra: 1 })), 1008],
    ];
    for (const [send, code] of cases) {
      const m = new Mirror(`ws://${host}/api/stream`);
      await m.until((x) => x.topology !== null);
      send(m.socket);
      expect((await m.closed).code).toBe(code);
    }
    expect(bystander.socket.readyState).toBe(WebSocket.OPEN);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("answers a client of another protocol version with 'incompatible' and closes", async () => {
    const host = await listen(engineWith(1));
    const m = new Mirror(`ws://${host}/api/stream`);
    await m.until((x) => x.topology !== null);
    m.socket.send(JSON.stringify({ type: "hello", protocol: 99 }));
    expect((await m.closed).code).toBe(4000);
    expect(m.messages.at(-1)).toMatchObject({ type: "incompatible", protocol: PROTOCOL_VERSION });
  });

  it("has no route that changes anything (actions are off by default)", async () => {
    const engine = engineWith(1);
    server = await buildServer({ dockerHost: "unix:///fake.sock", collectors: [engine.collector()] });
    await server.ready();
    expect(server.printRoutes({ commonPrefix: false })).toContain("(GET, HEAD)");
    const mutating = server.printRoutes({ commonPrefix: false }).match(/\b(POST|PUT|PATCH|DELETE)\b/g);
    expect(mutating).toBeNull();
    expect((await server.inject({ method: "POST", url: "/api/scenarios/user-bridge/up" })).statusCode).toBe(404);
  });

  it("sets security headers on every answer", async () => {
    const host = await listen(engineWith(1));
    for (const path of ["/", "/api/health", "/api/nothing"]) {
      const res = await fetch(`http://${host}${path}`);
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toMatch(/script-src 'self'(;|$)/);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    }
  });
});
