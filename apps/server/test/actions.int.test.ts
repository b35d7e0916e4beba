import { connectProbeEngine, PROBE_LABEL, type ProbeEngine } from "@netdive/collector";
import {
  cleanup,
  docker,
  leftovers,
  newRun,
  RUN_LABEL,
  runContainer,
  scenarioActions,
  SCENARIO_NAMES,
  tearDown,
  upAll,
  type LabObject,
  type ScenarioName,
  type ScenarioRun,
} from "@netdive/lab";
import { explainReach, type ProbeAnswer, type Topology } from "@netdive/model";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINE_URL } from "./engine";
import { buildServer } from "../src/app";
import { getJson } from "./inject";

/**
 * The action routes on the real engine, with `--allow-actions`: probes from inside lab
 * containers (user bridge, default bridge, isolation) under a run of this test's own, and the
 * scenario routes against that run (never the workshop's). Every probe container is removed.
 */

const DOCKER_HOST = ENGINE_URL;
const run = newRun();
let scenarios: Partial<Record<ScenarioName, ScenarioRun>> = {};
let server: FastifyInstance;
let topology: Topology;
/** Probes this server asked the engine to run (refusals must not add any). */
let started = 0;

function counting(engine: ProbeEngine): ProbeEngine {
  return {
    url: engine.url,
    hasImage: (image) => engine.hasImage(image),
    dnsServers: (id) => engine.dnsServers(id),
    run: (spec) => {
      started++;
      return engine.run(spec);
    },
  };
}

beforeAll(async () => {
  scenarios = await upAll(run, ["user-bridge", "default-bridge", "isolation"]);
  server = await buildServer({
    dockerHost: DOCKER_HOST,
    allowActions: true,
    labRun: run,
    scenarioActions: scenarioActions(DOCKER_HOST, run),
    probeEngine: counting(connectProbeEngine({ host: DOCKER_HOST, labels: run.labels })),
  });
  await server.ready();
  topology = (await getJson<Topology>(server, "/api/topology?fresh=1")).body;
});

afterAll(async () => {
  await server?.close();
  const made = Object.values(scenarios);
  await (made.length ? tearDown(run, made) : cleanup(run.id));
  expect(await leftovers(run.id), `nothing labelled io.netdive.run=${run.id} is left`).toEqual({
    containers: [],
    networks: [],
  });
  expect(await probeContainers(), "no probe container is left").toEqual([]);
});

const lab = (scenario: ScenarioName, role: string) => scenarios[scenario]?.containers[role] as LabObject;

function idOf(o: LabObject): string {
  const c = Object.values(topology.containers).find((x) => x.name === o.name);
  if (!c) throw new Error(`${o.name} is not in netdive's topology`);
  return c.id;
}

function ipOf(o: LabObject): string {
  const c = topology.containers[idOf(o)];
  const ip = Object.values(c?.endpoints ?? {}).find((e) => e.ipv4)?.ipv4;
  if (!ip) throw new Error(`${o.name} has no IPv4 address in netdive's topology`);
  return ip;
}

/** This run's probe containers: others' (a server or test sharing the engine) are none of its business. */
async function probeContainers(): Promise<string[]> {
  const out = await docker([
    "ps",
    "-aq",
    "--no-trunc",
    "--filter",
    `label=${PROBE_LABEL}=1`,
    "--filter",
    `label=${RUN_LABEL}=${run.id}`,
  ]);
  return out.split("\n").filter((l) => l.trim() !== "");
}

type ProbeReply = ProbeAnswer;

async function probe(from: string, to: string, kind: "ping" | "dns"): Promise<{ status: number; body: ProbeReply }> {
  const res = await server.inject({ method: "POST", url: "/api/probes", payload: { from, to, kind } });
  return { status: res.statusCode, body: res.json() as ProbeReply };
}

describe("POST /api/probes on the engine", () => {
  it("pings db from web on mynet: one reply, at db's address", async () => {
    const [web, db] = [lab("user-bridge", "web"), lab("user-bridge", "db")];
    const { status, body } = await probe(web.name, db.name, "ping");
    expect(status).toBe(200);
    expect(body).toMatchObject({
      kind: "ping",
      from: { id: idOf(web), name: web.name },
      to: { id: idOf(db), name: db.name, address: ipOf(db) },
      ran: true,
      ok: true,
    });
    expect(body.attempts).toEqual([
      { target: ipOf(db), ok: true, output: expect.stringMatching(/1 packets received/) },
    ]);
    expect(body.durationMs).toBeLessThan(5000);
  });

  it("gets no reply across bridges, as the explainer says", async () => {
    const pairs: Array<[LabObject, LabObject]> = [
      [lab("user-bridge", "web"), lab("default-bridge", "db")],
      [lab("isolation", "leftA"), lab("isolation", "rightB")],
      [lab("isolation", "quietA"), lab("isolation", "quietB")],
    ];
    for (const [from, to] of pairs) {
      const { status, body } = await probe(from.name, to.name, "ping");
      expect(status).toBe(200);
      expect(body, `${from.name} -> ${to.name}`).toMatchObject({ ran: true, ok: false });
      expect(explainReach(topology, idOf(from), idOf(to)).ip.reachable).toBe(false);
    }
    const router = await probe(lab("isolation", "router").name, lab("isolation", "rightB").name, "ping");
    expect(router.body).toMatchObject({ ran: true, ok: true });
  });

  it("resolves db from web on mynet to db's address", async () => {
    const [web, db] = [lab("user-bridge", "web"), lab("user-bridge", "db")];
    const { status, body } = await probe(web.name, db.name, "dns");
    expect(status).toBe(200);
    expect(body).toMatchObject({ kind: "dns", ran: true, ok: true, addresses: [ipOf(db)] });
    expect(body.attempts[0]?.target).toBe(db.name);
    expect(body.reason).toBe(
      `${web.name} asked Docker's embedded DNS (127.0.0.11) for "${db.name}" and got ${ipOf(db)}.`,
    );
  });

  it("does not resolve names where the explainer says so, and never claims what it did not send", async () => {
    const pairs: Array<[LabObject, LabObject]> = [
      [lab("default-bridge", "web"), lab("default-bridge", "db")],
      [lab("isolation", "leftA"), lab("isolation", "rightB")],
    ];
    for (const [from, to] of pairs) {
      const { status, body } = await probe(from.name, to.name, "dns");
      expect(status, JSON.stringify(body)).toBe(200);
      const predicted = explainReach(topology, idOf(from), idOf(to)).dns;
      expect(predicted.resolves).toBe(false);
      expect(body.ok, `${from.name} -> ${to.name}: ${body.reason}`).toBe(predicted.resolves);
      if (body.ran) expect(body.attempts).toHaveLength(1);
      else expect(body.reason).toMatch(/netdive sends no lookup off this machine/);
    }
  });

  it("refuses options, shell syntax, outside addresses, unknown and ambiguous containers with 400 and starts nothing", async () => {
    const web = lab("user-bridge", "web").name;
    const prefix = await ambiguousPrefix();
    const bodies = [
      { from: web, to: "-f", kind: "ping" },
      { from: "-c", to: web, kind: "ping" },
      { from: web, to: "a;rm", kind: "ping" },
      { from: web, to: "$(x)", kind: "ping" },
      { from: web, to: "1.2.3.4 -c 100", kind: "ping" },
      { from: web, to: "x\ny", kind: "dns" },
      { from: web, to: "8.8.8.8", kind: "ping" },
      { from: web, to: "10.0.0.1", kind: "ping" },
      { from: web, to: `${run.prefix}nobody`, kind: "ping" },
      { from: prefix, to: web, kind: "ping" },
      { from: web, to: prefix, kind: "dns" },
    ];
    const before = { started, containers: await probeContainers() };
    for (const payload of bodies) {
      const res = await server.inject({ method: "POST", url: "/api/probes", payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().message).toMatch(/\S/);
    }
    expect(started).toBe(before.started);
    expect(await probeContainers()).toEqual(before.containers);
  });

  it("leaves no probe container behind", async () => {
    expect(await probeContainers()).toEqual([]);
  });
});

describe("scenario routes, for this test's run", () => {
  it("GET /api/scenarios lists every scenario with its state and containers", async () => {
    const { status, body } = await getJson<{
      actions: boolean;
      scenarios: Array<{ name: string; state: string; title: { en: string }; containers: { name: string }[] }>;
    }>(server, "/api/scenarios");
    expect(status).toBe(200);
    expect(body.actions).toBe(true);
    expect(body.scenarios.map((s) => s.name)).toEqual(SCENARIO_NAMES);
    const byName = Object.fromEntries(body.scenarios.map((s) => [s.name, s]));
    expect(byName["user-bridge"]).toMatchObject({ state: "up", title: { en: expect.any(String) } });
    expect(byName["user-bridge"]?.containers.map((c) => c.name).sort()).toEqual(
      [lab("user-bridge", "db").name, lab("user-bridge", "web").name].sort(),
    );
    expect(byName.compose).toMatchObject({ state: "down", containers: [] });
  });

  it("brings none up and down, one operation at a time", async () => {
    const up = server.inject({ method: "POST", url: "/api/scenarios/none/up" });
    // The first request holds the lab while it works; a second one is refused meanwhile.
    await new Promise((r) => setTimeout(r, 50));
    const meanwhile = await server.inject({ method: "POST", url: "/api/scenarios/none/down" });
    expect(meanwhile.statusCode).toBe(409);
    expect(meanwhile.json().message).toMatch(/^another lab operation is running/);
    const upped = await up;
    expect(upped.statusCode).toBe(200);
    expect(upped.json()).toMatchObject({
      name: "none",
      state: "up",
      containers: [{ name: `${run.prefix}none-tools`, running: true }],
    });
    const down = await server.inject({ method: "POST", url: "/api/scenarios/none/down" });
    expect(down.statusCode).toBe(200);
    expect(down.json()).toMatchObject({ name: "none", state: "down", containers: [] });
    expect((await server.inject({ method: "POST", url: "/api/scenarios/nope/up" })).statusCode).toBe(400);
  });
});

/**
 * A hex prefix that fits at least two containers on the engine. With 17 containers, two share a
 * first hex digit for sure: when fewer share one, the run gets a few idle containers more.
 */
async function ambiguousPrefix(): Promise<string> {
  const find = (ids: string[]) => {
    const count = new Map<string, number>();
    for (const id of ids) count.set(id[0] as string, (count.get(id[0] as string) ?? 0) + 1);
    return [...count].find(([, n]) => n >= 2)?.[0];
  };
  const ids = () => Object.keys(topology.containers);
  let prefix = find(ids());
  if (!prefix) {
    const spares = Math.max(0, 17 - ids().length);
    await Promise.all(Array.from({ length: spares }, (_, i) => runContainer(run, { name: `spare${i}` })));
    topology = (await getJson<Topology>(server, "/api/topology?fresh=1")).body;
    prefix = find(ids());
  }
  if (!prefix) throw new Error("no two containers share a first hex digit");
  return prefix;
}
