import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { buildServer } from "./app";
import { FakeEngine, labContainer, MYNET } from "@netdive/collector/test-support";
import { ContainerDetails, fits } from "@netdive/model";

const WEB = `aaaaaaaaaaaa${"1".repeat(52)}`;
const DB = `aaaaaaaaaaaa${"2".repeat(52)}`;

let server: FastifyInstance | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(engine: FakeEngine) {
  server = await buildServer({ dockerHost: "unix:///fake.sock", collectors: [engine.collector()] });
  await server.ready();
  return server;
}

function twoContainers(): FakeEngine {
  const engine = new FakeEngine();
  engine.networks = [MYNET];
  engine.containers = [labContainer(WEB, "web", MYNET, "172.18.0.2"), labContainer(DB, "db", MYNET, "172.18.0.3")];
  return engine;
}

describe("GET /api/containers/:ref", () => {
  it("finds a container by name, by unique id prefix and by full id", async () => {
    const app = await start(twoContainers());
    for (const ref of ["web", `aaaaaaaaaaaa1`, WEB]) {
      const res = await app.inject(`/api/containers/${ref}`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ id: WEB, name: "web", endpoints: { [MYNET.Id]: { ipv4: "172.18.0.2" } } });
      // The page checks the body against the contract before it shows it (DetailsPanel).
      expect(fits(ContainerDetails, res.json())).toBe(true);
    }
  });

  it("answers 400 as JSON for malformed refs, before any lookup", async () => {
    const app = await start(twoContainers());
    for (const ref of ["..%2Fetc%2Fpasswd", "a%3Bb", "%24(id)", "-rf", "x".repeat(200), "a%20b"]) {
      const res = await app.inject(`/api/containers/${ref}`);
      expect(res.statusCode, ref).toBe(400);
      expect(res.json()).toMatchObject({ statusCode: 400, error: "Bad Request" });
    }
  });

  it("answers 404 as JSON for an unknown container, and 409 for a prefix two share", async () => {
    const app = await start(twoContainers());
    const missing = await app.inject("/api/containers/nope");
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toMatch(/no container "nope"/);
    const ambiguous = await app.inject("/api/containers/aaaa");
    expect(ambiguous.statusCode).toBe(409);
    expect(ambiguous.json().message).toMatch(/matches 2 containers/);
  });

  it("says why resolv.conf and the DNS hooks are missing when they cannot be read", async () => {
    const app = await start(twoContainers());
    const body = (await app.inject("/api/containers/web")).json();
    expect(body.resolvConf).toBeNull();
    expect(body.unavailable.resolvConf).toMatch(/has no \/etc\/resolv.conf/);
    expect(body.dnsRules).toBeNull();
    expect(body.unavailable.dnsRules).toMatch(/not running as root/);
  });
});

describe("GET /api/networks/:ref", () => {
  it("lists the members with their addresses", async () => {
    const app = await start(twoContainers());
    const res = await app.inject("/api/networks/mynet");
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: "mynet", bridge: `br-${"f".repeat(12)}`, embeddedDns: true });
    expect(res.json().members.map((m: { name: string }) => m.name)).toEqual(["web", "db"]);
  });
});

describe("GET /api/health and /api/topology", () => {
  it("is degraded with the engine's reason when no engine answers, instead of failing", async () => {
    const engine = new FakeEngine();
    engine.down = "cannot reach Docker at unix:///fake.sock: connection refused — the Docker engine is not running";
    const app = await start(engine);
    const res = await app.inject("/api/health");
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: "degraded",
      engines: [{ id: "local", reachable: false, error: engine.down }],
    });
    // Live, not a replay.
    expect(res.json()).not.toHaveProperty("replay");
  });

  it("recovers when the engine comes back", async () => {
    const engine = twoContainers();
    engine.down = "down";
    const app = await start(engine);
    expect((await app.inject("/api/health")).json().status).toBe("degraded");
    engine.down = null;
    // The watcher retries on its own, with backoff; nobody has to ask.
    const deadline = Date.now() + 5000;
    let status = "";
    while (status !== "ok" && Date.now() < deadline) {
      status = (await app.inject("/api/health")).json().status;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe("ok");
  });

  it("moves the revision only when the topology changed, and fresh=1 sees a change at once", async () => {
    const engine = twoContainers();
    // No event tells the watcher of the removal: only fresh=1 reads it.
    const app = await start(engine);
    const first = (await app.inject("/api/topology")).json();
    const again = (await app.inject("/api/topology?fresh=1")).json();
    expect(again.revision).toBe(first.revision);
    engine.containers.pop();
    const cached = (await app.inject("/api/topology")).json();
    expect(Object.keys(cached.containers)).toHaveLength(2);
    const fresh = (await app.inject("/api/topology?fresh=1")).json();
    expect(fresh.revision).toBe(first.revision + 1);
    expect(Object.keys(fresh.containers)).toEqual([WEB]);
  });

  it("refuses unknown query values with 400", async () => {
    const app = await start(twoContainers());
    expect((await app.inject("/api/topology?fresh=maybe")).statusCode).toBe(400);
  });

  it("answers unknown routes with a JSON 404", async () => {
    const app = await start(twoContainers());
    const res = await app.inject("/api/nothing");
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: "Not Found" });
  });
});
