import { FakeEngine, labContainer, MYNET } from "@netdive/collector/test-support";
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { buildServer } from "./app";

const LOCAL_WEB = `aaaaaaaaaaaa${"1".repeat(52)}`;
const OTHER_WEB = `bbbbbbbbbbbb${"1".repeat(52)}`;
const OTHER_NET = { ...MYNET, Id: `cccccccccccc${"9".repeat(52)}` };

let server: FastifyInstance | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Two engines that both run a container "web" on a network "mynet". */
async function twoEngines(): Promise<{ app: FastifyInstance; other: FakeEngine }> {
  const local = new FakeEngine();
  local.networks = [MYNET];
  local.containers = [labContainer(LOCAL_WEB, "web", MYNET, "172.18.0.2")];
  const other = new FakeEngine();
  other.networks = [OTHER_NET];
  other.containers = [labContainer(OTHER_WEB, "web", OTHER_NET, "172.18.0.2")];
  server = await buildServer({
    dockerHost: "unix:///fake.sock",
    collectors: [local.collector(), other.collector(undefined, "other")],
  });
  await server.ready();
  return { app: server, other };
}

describe("several engines behind one API", () => {
  it("finds <engineId>/<name> on that engine, and answers a name both use with 409 and the candidates", async () => {
    const { app } = await twoEngines();
    const both = await app.inject("/api/containers/web");
    expect(both.statusCode).toBe(409);
    expect(both.json().message).toBe('"web" names a container on 2 engines — ask for one of local/web, other/web');
    const other = await app.inject("/api/containers/other%2Fweb");
    expect(other.statusCode).toBe(200);
    expect(other.json()).toMatchObject({ id: OTHER_WEB, engineId: "other" });
    expect((await app.inject("/api/containers/local%2Fweb")).json()).toMatchObject({ id: LOCAL_WEB });
    expect((await app.inject("/api/networks/other%2Fmynet")).json()).toMatchObject({ id: OTHER_NET.Id });
    expect((await app.inject("/api/containers/nobody%2Fweb")).statusCode).toBe(404);
  });

  it("reports each engine in health, degraded when one is down while the other stays reachable", async () => {
    const { app, other } = await twoEngines();
    const ok = (await app.inject("/api/health")).json();
    expect(ok.status).toBe("ok");
    expect(ok.engines.map((e: { id: string }) => e.id)).toEqual(["local", "other"]);
    other.down = "cannot reach Docker at unix:///fake-other.sock: connection refused";
    await app.topology.refresh();
    const down = (await app.inject("/api/health")).json();
    expect(down.status).toBe("degraded");
    expect(down.engines.map((e: { id: string; reachable: boolean }) => [e.id, e.reachable])).toEqual([
      ["local", true],
      ["other", false],
    ]);
    expect((await app.inject("/api/containers/web")).json()).toMatchObject({ id: LOCAL_WEB });
  });
});
