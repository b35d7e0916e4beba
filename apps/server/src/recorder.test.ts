import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FakeEngine, labContainer, MYNET } from "@netdive/collector/test-support";
import { parseRecording, RecordingTimeline } from "@netdive/model";
import type { FastifyInstance } from "fastify";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { buildServer } from "./app";

const WEB = `bbbbbbbbbbbb${"1".repeat(52)}`;
const dir = mkdtempSync(join(tmpdir(), "netdive-recorder-unit-"));
let server: FastifyInstance | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function engine(): FakeEngine {
  const e = new FakeEngine();
  e.networks = [MYNET];
  e.containers = [labContainer(WEB, "web", MYNET, "172.18.0.2")];
  return e;
}

async function start(record?: string): Promise<FastifyInstance> {
  server = await buildServer({
    dockerHost: "unix:///fake.sock",
    collectors: [engine().collector()],
    ...(record ? { record } : {}),
  });
  await server.ready();
  return server;
}

describe("--record and the Record button", () => {
  it("a session starts with the engine's first answer, and the container's details follow the snapshot", async () => {
    const file = join(dir, "first.ndjson");
    const app = await start(file);
    await app.recorder?.settled();
    const timeline = new RecordingTimeline(parseRecording(readFileSync(file, "utf8")));
    expect(Object.keys(timeline.topologyAt(0).containers)).toEqual([WEB]);
    expect(timeline.detailsAt(0, WEB)?.name).toBe("web");
  });

  it("stop ends the session and start appends a new one to the same file", async () => {
    const file = join(dir, "button.ndjson");
    const app = await start(file);
    expect((await app.inject("/api/recorder")).json()).toEqual({ file: "button.ndjson", active: true });
    const stopped = await app.inject({ method: "POST", url: "/api/recorder/stop" });
    expect(stopped.json()).toEqual({ file: "button.ndjson", active: false });
    await app.recorder?.settled();
    const started = await app.inject({ method: "POST", url: "/api/recorder/start" });
    expect(started.json()).toEqual({ file: "button.ndjson", active: true });
    await app.recorder?.settled();
    const text = readFileSync(file, "utf8");
    const headers = text.split("\n").filter((l) => l.includes('"type":"netdive-recording"'));
    expect(headers).toHaveLength(2);
    // Both sessions replay, one after the other.
    expect(new RecordingTimeline(parseRecording(text)).moments.filter((m) => m.line.type === "snapshot")).toHaveLength(
      2,
    );
  });

  it("without --record there is no recorder to start, and a text/plain POST is refused", async () => {
    const app = await start();
    expect((await app.inject("/api/recorder")).json()).toEqual({ file: null, active: false });
    expect((await app.inject({ method: "POST", url: "/api/recorder/start" })).statusCode).toBe(404);
    const recording = await start(join(dir, "plain.ndjson"));
    const res = await recording.inject({
      method: "POST",
      url: "/api/recorder/stop",
      headers: { "content-type": "text/plain" },
      payload: "x",
    });
    expect(res.statusCode).toBe(415);
  });
});
