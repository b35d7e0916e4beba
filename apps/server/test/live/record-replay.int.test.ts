import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cleanup, leftovers, newRun } from "@netdive/lab";
import {
  parseRecording,
  RecordingTimeline,
  type ContainerDetails,
  type RecordedPatch,
  type ServerMessage,
  type Topology,
  PROTOCOL_VERSION,
} from "@netdive/model";
import type { FastifyInstance } from "fastify";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../../src/app";
import { createLabelledNetwork, dockerOn, runLabelled } from "./lab-cli";
import { Mirror, quiet } from "./mirror";

/**
 * `--record` on the real engine while the run's containers churn, then `--replay` of that file
 * with no engine: stepped change by change, the replay equals what a live stream client held at
 * every revision, and its end equals a fresh collection.
 */
const DOCKER_HOST = "unix:///var/run/docker.sock";
const run = newRun();
const P = run.prefix;
const cli = dockerOn(undefined);
const dir = mkdtempSync(join(tmpdir(), "netdive-record-"));
const file = join(dir, "session.ndjson");
let live: FastifyInstance | undefined;
let mirror: Mirror | undefined;

beforeAll(async () => {
  live = await buildServer({ dockerHost: DOCKER_HOST, reconcileMs: 60_000, record: file });
  const url = new URL(await live.listen({ host: "127.0.0.1", port: 0 }));
  mirror = new Mirror(`ws://${url.host}/api/stream`);
  await mirror.until((m) => m.topology?.engines.local?.reachable === true, 30_000, "the first collection");
});

afterAll(async () => {
  mirror?.close();
  await live?.close();
  await cleanup(run.id);
  rmSync(dir, { recursive: true, force: true });
  expect(await leftovers(run.id)).toEqual({ containers: [], networks: [] });
});

describe("record, then replay with no engine", () => {
  let fresh: Topology;
  let text = "";

  it("records the churn: every patch the clients got, and the details of each container", async () => {
    const m = mirror as Mirror;
    const [n1, n2] = (await Promise.all(["r1", "r2"].map((n) => createLabelledNetwork(run, n)))).map((n) => n.name) as [
      string,
      string,
    ];
    await Promise.all(["a", "b", "c", "d"].map((name, i) => runLabelled(run, name, { network: i < 2 ? n1 : n2 })));
    await cli(["network", "connect", n2, `${P}a`]);
    await Promise.all([cli(["stop", "-t", "1", `${P}c`]), cli(["rm", "-f", `${P}d`])]);
    await cli(["network", "disconnect", n1, `${P}b`]);
    await quiet([m], 1000, 20_000);
    const res = await fetch(`http://${hostOf(live)}/api/topology?fresh=1`);
    fresh = (await res.json()) as Topology;
    await quiet([m], 1000, 10_000);
    await live?.recorder?.settled();
    await live?.close();
    live = undefined;
    text = readFileSync(file, "utf8");

    const timeline = new RecordingTimeline(parseRecording(text));
    expect(timeline.recording.stoppedEarly).toBeNull();
    expect(timeline.brokenAt).toBeNull();
    // Every revision the client held after its snapshot is a moment of the recording, equal to it.
    const patches = m.messagesOf("patch").map((r) => r.message);
    // Events coalesce into fewer patches on a busy engine; what the churn did must be in them.
    expect(patches.length, "the churn made changes").toBeGreaterThanOrEqual(3);
    const byRevision = new Map(timeline.moments.map((moment) => [moment.topology.revision, moment.topology]));
    for (const p of patches) {
      expect(byRevision.get(p.revision), `the replay at revision ${p.revision} equals the live copy`).toEqual(
        m.at(p.revision),
      );
    }
    const recordedPatches = timeline.recording.lines.filter((l): l is RecordedPatch => l.type === "patch");
    expect(recordedPatches.map((l) => l.revision)).toEqual(expect.arrayContaining(patches.map((p) => p.revision)));
    // Times only move forward.
    const times = timeline.moments.map((moment) => moment.t);
    expect([...times].sort((x, y) => x - y)).toEqual(times);

    const last = timeline.topologyAt(timeline.moments.length - 1);
    expect(byRevision.get(fresh.revision), "the replay at the fresh collection's revision equals it").toEqual(fresh);
    expect(last, "the replay's end equals the live client's end").toEqual(m.topology);

    // The churn, as the recording tells it: d came and went, c stopped, a joined n2, b left n1.
    const named = (t: Topology, name: string) => Object.values(t.containers).find((c) => c.name === `${P}${name}`);
    expect(
      timeline.moments.some((moment) => named(moment.topology, "d")),
      "d was recorded",
    ).toBe(true);
    expect(named(last, "d"), "d is gone at the end").toBeUndefined();
    expect(timeline.moments.some((moment) => named(moment.topology, "c")?.state === "running")).toBe(true);
    expect(named(last, "c")?.state).toBe("exited");
    expect(Object.values(named(last, "b")?.endpoints ?? {}).map((e) => e.networkName)).toEqual([]);

    // Details: every container of the run still there, read while it ran.
    const a = Object.values(last.containers).find((c) => c.name === `${P}a`);
    expect(a, "container a is in the replay").toBeDefined();
    const details = timeline.detailsAt(timeline.moments.length - 1, a?.id ?? "") as ContainerDetails;
    expect(details.resolvConf).toMatch(/nameserver 127\.0\.0\.11/);
    expect(details.hostsFile).toMatch(/localhost/);
    // a joined n2 during the recording: its last details carry both endpoints.
    expect(
      Object.values(details.endpoints)
        .map((e) => e.networkName)
        .sort(),
    ).toEqual([n1, n2].sort());
  });

  it("replays with no engine: the same topology and details, the stream says replay, and nothing can be changed", async () => {
    const timeline = new RecordingTimeline(parseRecording(text));
    const replay = await buildServer({
      dockerHost: "unix:///nonexistent/docker.sock",
      replay: { timeline, text },
      allowActions: true,
    });
    try {
      const url = new URL(await replay.listen({ host: "127.0.0.1", port: 0 }));
      const topology = (await (await fetch(`${url.origin}/api/topology?fresh=1`)).json()) as Topology;
      expect(topology).toEqual(timeline.topologyAt(timeline.moments.length - 1));
      const a = Object.values(timeline.topologyAt(timeline.moments.length - 1).containers).find(
        (c) => c.name === `${P}a`,
      );
      const details = (await (await fetch(`${url.origin}/api/containers/${P}a`)).json()) as ContainerDetails;
      expect(details.resolvConf).toBe(timeline.detailsAt(timeline.moments.length - 1, a?.id ?? "")?.resolvConf);
      expect(await (await fetch(`${url.origin}/api/recording`)).text()).toBe(text);
      const health = (await (await fetch(`${url.origin}/api/health`)).json()) as {
        revision: number;
        replay?: { moments: number; from: string; to: string };
      };
      expect(health.revision).toBe(topology.revision);
      // Health says it is a replay, of how many moments recorded when.
      expect(health.replay).toEqual({
        moments: timeline.moments.length,
        from: new Date(timeline.moments[0]!.t).toISOString(),
        to: new Date(timeline.moments.at(-1)!.t).toISOString(),
      });

      for (const [method, path] of [
        ["POST", "/api/scenarios/user-bridge/up"],
        ["POST", "/api/scenarios/user-bridge/down"],
        ["POST", "/api/probes"],
        ["POST", "/api/recorder/start"],
      ] as const) {
        const res = await fetch(`${url.origin}${path}`, {
          method,
          headers: { "content-type": "application/json" },
          body: "{}",
        });
        expect(res.status, `${method} ${path} does not exist in a replay`).toBe(404);
      }
      const scenarios = (await (await fetch(`${url.origin}/api/scenarios`)).json()) as { actions: boolean };
      expect(scenarios.actions).toBe(false);

      const first = await new Promise<ServerMessage>((resolve, reject) => {
        const socket = new WebSocket(`ws://${url.host}/api/stream`);
        socket.once("message", (data: Buffer) => resolve(JSON.parse(data.toString()) as ServerMessage));
        socket.once("error", reject);
      });
      expect(first).toEqual({ type: "replay", protocol: PROTOCOL_VERSION, recording: "/api/recording" });
    } finally {
      await replay.close();
    }
  });

  it("a file cut short by a crash replays up to its last whole line", () => {
    const cut = text.slice(0, text.length - 30);
    writeFileSync(join(dir, "cut.ndjson"), cut);
    const whole = new RecordingTimeline(parseRecording(text));
    const timeline = new RecordingTimeline(parseRecording(readFileSync(join(dir, "cut.ndjson"), "utf8"), "cut.ndjson"));
    expect(timeline.recording.stoppedEarly).toMatch(/^cut\.ndjson ends in the middle of line \d+/);
    expect(timeline.recording.lines).toEqual(whole.recording.lines.slice(0, -1));
  });
});

function hostOf(server: FastifyInstance | undefined): string {
  const address = server?.server.address();
  if (!address || typeof address === "string") throw new Error("the server is not listening");
  return `127.0.0.1:${address.port}`;
}
