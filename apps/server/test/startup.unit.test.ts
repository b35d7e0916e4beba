import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { connectDocker, createLinuxKernel, EngineCollector } from "@netdive/collector";
import { buildServer } from "../src/app";

/** A socket that accepts connections and never answers: a wedged engine. */
async function hungEngine(): Promise<{ url: string; close: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "netdive-hung-"));
  const path = join(dir, "docker.sock");
  const held = new Set<Socket>();
  const server: Server = createServer((socket) => {
    held.add(socket);
    socket.on("close", () => held.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return {
    url: `unix://${path}`,
    close: async () => {
      for (const s of held) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

interface Health {
  status: string;
  engines: Array<{ reachable: boolean; error?: string }>;
}

describe("an engine that accepts connections and never answers", () => {
  it("does not keep the server from starting: health says degraded", async () => {
    const engine = await hungEngine();
    cleanups.push(engine.close);
    const server = await buildServer({ dockerHost: engine.url });
    cleanups.push(() => server.close().catch(() => undefined));

    await expect(server.ready(), "ready() resolves: a slow engine is reported, not fatal").resolves.toBeDefined();
    const health = await server.inject({ method: "GET", url: "/api/health" });
    expect(health.statusCode).toBe(200);
    const body = health.json() as Health;
    expect(body.status).toBe("degraded");
    expect(body.engines[0]?.reachable).toBe(false);
  }, 40_000);

  it("is reported as giving no answer in time, not as having closed the connection", async () => {
    const engine = await hungEngine();
    cleanups.push(engine.close);
    // netdive's own collector, with a request timeout short enough to pass Fastify's startup.
    const collector = new EngineCollector({
      engineId: "local",
      url: engine.url,
      connect: () => connectDocker({ host: engine.url, timeoutMs: 500 }),
      kernel: createLinuxKernel(),
    });
    const server = await buildServer({ dockerHost: engine.url, collectors: [collector] });
    cleanups.push(() => server.close().catch(() => undefined));
    await server.ready();

    const body = (await server.inject({ method: "GET", url: "/api/health" })).json() as Health;
    expect(body.engines[0]?.reachable).toBe(false);
    // The socket never closed: it stayed open and silent until netdive gave up waiting.
    expect(body.engines[0]?.error).toMatch(/no answer in time/);
  }, 20_000);
});
