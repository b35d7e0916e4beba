import { mkdirSync } from "node:fs";
import { cleanup, docker, execArgv, leftovers, newRun, type LabObject } from "@netdive/lab";
import type { Topology } from "@netdive/model";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { buildServer } from "../../src/app";
import { runLabelled } from "./lab-cli";
import { Mirror, quiet } from "./mirror";
import { PrivateEngine } from "./private-engine";
import { viewOfEngine, viewOfTopology } from "./run-view";

/**
 * netdive against an engine that is absent, killed and started again: a private dockerd of this
 * test's own (docker/private-engine.sh), never the main engine, which must not notice.
 */
const run = newRun();
const engine = new PrivateEngine(`/tmp/ndp-${run.id}`);
const servers: FastifyInstance[] = [];
const mirrors: Mirror[] = [];
let sentinel: LabObject;
let sentinelState = "";
/** Ids of the containers run on the private engine. */
const privateIds: string[] = [];

/** A main-engine container's state and start time: unchanged while it ran on undisturbed. */
async function stateOf(id: string): Promise<string> {
  return (await docker(["inspect", "-f", "{{.State.Status}} {{.State.StartedAt}}", id])).trim();
}

interface Health {
  status: "ok" | "degraded";
  engines: Array<{ id: string; reachable: boolean; error?: string }>;
}

async function serve(): Promise<{ address: string; get: <T>(path: string) => Promise<T> }> {
  const server = await buildServer({ dockerHost: engine.url, reconcileMs: 60_000 });
  servers.push(server);
  const address = new URL(await server.listen({ host: "127.0.0.1", port: 0 })).host;
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`http://${address}${path}`);
    expect(res.status, `GET ${path}`).toBe(200);
    return (await res.json()) as T;
  };
  return { address, get };
}

function connect(address: string): Mirror {
  const mirror = new Mirror(`ws://${address}/api/stream`);
  mirrors.push(mirror);
  return mirror;
}

const reachable = (m: Mirror) => m.topology?.engines.local?.reachable;

beforeAll(async () => {
  mkdirSync(engine.dir, { recursive: true });
  sentinel = await runLabelled(run, "sentinel");
  sentinelState = await stateOf(sentinel.id);
});

afterAll(async () => {
  for (const m of mirrors) m.close();
  for (const s of servers) await s.close();
  try {
    await engine.stop();
  } finally {
    try {
      engine.remove();
    } finally {
      await cleanup(run.id);
    }
  }
  expect(await leftovers(run.id), `nothing labelled io.netdive.run=${run.id} is left on the main engine`).toEqual({
    containers: [],
    networks: [],
  });
});

describe("an engine that comes and goes", () => {
  it("netdive started while no engine answers serves a degraded health with the reason, and recovers on its own", async () => {
    const { address, get } = await serve();
    const health = await get<Health>("/api/health");
    expect(health.status).toBe("degraded");
    expect(health.engines).toHaveLength(1);
    expect(health.engines[0]).toMatchObject({ id: "local", reachable: false });
    expect(health.engines[0]?.error).toMatch(
      new RegExp(`^cannot reach Docker at ${engine.url}: the socket does not exist — start the Docker engine`),
    );
    const mirror = connect(address);
    await mirror.until((m) => m.topology !== null, 5000, "the first snapshot");
    expect(reachable(mirror)).toBe(false);

    await engine.start();
    const appeared = performance.now();
    await Promise.all([
      engine.loadLabImage(),
      mirror.until((m) => reachable(m) === true, 15_000, "the engine to be reachable"),
    ]);
    console.log(
      `private-engine.sh start returned -> client told the engine is reachable: ${(mirror.reachability.at(-1)!.at - appeared).toFixed(0)} ms (negative: netdive found it before the script returned)`,
    );
    expect(mirror.reachability.at(-1)).toMatchObject({ engineId: "local", reachable: true });
    expect((await get<Health>("/api/health")).status).toBe("ok");
    expect(mirror.snapshots).toBe(1);
    expect(mirror.gaps).toBe(0);
  });

  it("tells a client within 2 s that the engine was killed, and catches up on the same connection when it is back", async () => {
    const first = await runLabelled(run, "first", { network: "none", host: engine.url });
    privateIds.push(first.id);
    const { address, get } = await serve();
    const mirror = connect(address);
    await mirror.until((m) => m.topology?.containers[first.id]?.state === "running", 10_000, "the first container");

    const killedAt = performance.now();
    engine.kill();
    await mirror.until((m) => m.reachability.some((r) => !r.reachable), 2000, "engine lost");
    const lost = mirror.reachability.find((r) => !r.reachable)!;
    console.log(
      `engine killed -> client told it is unreachable: ${(lost.at - killedAt).toFixed(0)} ms (${lost.error})`,
    );
    expect(lost.at - killedAt).toBeLessThan(2000);
    expect(lost).toMatchObject({ engineId: "local", reachable: false });
    // Soft: a wrong sentence here is a bug to report, and the catching up below is still worth checking.
    expect
      .soft(lost.error, "the first patch that says the engine is lost says why, as a sentence")
      .toMatch(new RegExp(`^(cannot reach Docker at|the engine at) ${engine.url}.{20,}`));

    const health = await get<Health>("/api/health");
    expect(health.status).toBe("degraded");
    expect(health.engines[0]?.reachable).toBe(false);
    expect
      .soft(health.engines[0]?.error, "health says why, as a sentence")
      .toMatch(new RegExp(`^cannot reach Docker at ${engine.url}: .{20,}`));

    await engine.start();
    const second = await runLabelled(run, "second", { network: "none", host: engine.url });
    privateIds.push(second.id);
    await mirror.until(
      (m) => reachable(m) === true && m.topology?.containers[second.id]?.state === "running",
      15_000,
      "the engine back with the second container",
    );
    console.log(`reachability on the one connection: ${JSON.stringify(mirror.reachability)}`);
    const engineMessages = mirror.reachability.map((r) => r.reachable);
    expect(engineMessages.at(-1)).toBe(true);
    // The snapshot's first reachable, then lost, then reachable again after it.
    expect(engineMessages.lastIndexOf(true)).toBeGreaterThan(engineMessages.indexOf(false));

    await quiet([mirror], 1000, 10_000);
    const fresh = await get<Topology>("/api/topology?fresh=1");
    await quiet([mirror], 1000, 10_000);
    expect(mirror.socket.readyState).toBe(WebSocket.OPEN);
    expect(mirror.snapshots, "one snapshot: the same connection caught up by patches").toBe(1);
    expect(mirror.gaps).toBe(0);
    expect(mirror.patchErrors).toEqual([]);
    expect(mirror.at(fresh.revision)).toEqual(fresh);
    expect(mirror.topology).toEqual(fresh);
    expect(Object.keys(fresh.containers).sort()).toEqual([first.id, second.id].sort());
    expect(viewOfTopology(fresh, run)).toEqual(await viewOfEngine(run, engine.url));
  });

  it("left the main engine alone", async () => {
    const mainIds = (await docker(["ps", "-aq", "--no-trunc"])).split("\n");
    expect(privateIds.length, "the private engine ran containers of this test").toBeGreaterThan(0);
    expect(
      mainIds.filter((id) => privateIds.includes(id)),
      "the main engine never saw them",
    ).toEqual([]);
    expect(await stateOf(sentinel.id), "the main engine's container ran on, untouched").toBe(sentinelState);
    expect(sentinelState).toMatch(/^running /);
    await execArgv("ip", ["link", "show", "docker0"]);
  });
});
