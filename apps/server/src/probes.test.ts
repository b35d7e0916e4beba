import { ProbeError, type ProbeEngine, type ProbeRun, type ProbeSpec } from "@netdive/collector";
import type { Container, ContainerDetails, RawContainer, RawNetwork, ScenarioActions } from "@netdive/model";
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { buildServer } from "./app";
import { FakeEngine, labContainer, MYNET } from "@netdive/collector/test-support";

const id = (n: number) => `aaaaaaaaaaaa${String(n).repeat(52)}`;
const WEB = id(1);
const DB = id(2);
const LONE = id(3);
const OLD = `bbbbbbbbbbbb${"4".repeat(52)}`;
const SIDECAR = `cccccccccccc${"5".repeat(52)}`;
const HOSTY = `dddddddddddd${"6".repeat(52)}`;
const WIDE = `eeeeeeeeeeee${"7".repeat(52)}`;

const BRIDGE: RawNetwork = {
  ...MYNET,
  Id: "b".repeat(64),
  Name: "bridge",
  IPAM: { Config: [{ Subnet: "172.17.0.0/16", Gateway: "172.17.0.1" }] },
  Options: { "com.docker.network.bridge.name": "docker0" },
};

/** One extra network per index, for a container with many addresses. */
const extraNet = (i: number): RawNetwork => ({
  ...MYNET,
  Id: String(i).repeat(64),
  Name: `extra${i}`,
  IPAM: { Config: [{ Subnet: `10.${i}.0.0/16`, Gateway: `10.${i}.0.1` }] },
});

function onBridge(containerId: string, name: string, ip: string): RawContainer {
  const c = labContainer(containerId, name, BRIDGE, ip);
  const ep = c.NetworkSettings.Networks?.bridge;
  if (ep) ep.Gateway = "172.17.0.1";
  c.HostConfig.NetworkMode = "default";
  return c;
}

function engineWithLab(): FakeEngine {
  const engine = new FakeEngine();
  const extras = [1, 2, 3, 4, 5].map(extraNet);
  engine.networks = [MYNET, BRIDGE, ...extras];
  const old = labContainer(OLD, "old", MYNET, "");
  old.State = { Status: "exited", Running: false, Pid: 0 };
  const sidecar = labContainer(SIDECAR, "sidecar", MYNET, "");
  sidecar.HostConfig.NetworkMode = `container:${WEB}`;
  sidecar.NetworkSettings.Networks = {};
  const hosty = labContainer(HOSTY, "hosty", MYNET, "");
  hosty.HostConfig.NetworkMode = "host";
  hosty.NetworkSettings.Networks = {};
  const wide = labContainer(WIDE, "wide", extras[0] as RawNetwork, "10.1.0.2");
  for (const [i, net] of extras.entries()) {
    (wide.NetworkSettings.Networks as Record<string, unknown>)[net.Name] = {
      ...wide.NetworkSettings.Networks?.extra1,
      NetworkID: net.Id,
      IPAddress: `10.${i + 1}.0.2`,
      Gateway: `10.${i + 1}.0.1`,
    };
  }
  engine.containers = [
    labContainer(WEB, "web", MYNET, "172.18.0.2"),
    labContainer(DB, "db", MYNET, "172.18.0.3"),
    onBridge(LONE, "lone", "172.17.0.2"),
    old,
    sidecar,
    hosty,
    wide,
  ];
  return engine;
}

/** Records every probe it is asked to run and answers from `answer`; never touches an engine. */
class FakeProbes implements ProbeEngine {
  readonly url = "unix:///fake.sock";
  runs: ProbeSpec[] = [];
  image = true;
  down: string | null = null;
  upstream: Record<string, string[]> = {};
  /** Addresses that answer a ping, and names that resolve (to the address given). */
  answering = new Set<string>();
  names: Record<string, string> = {};
  /** When set, each run waits for it (to hold probes in flight). */
  gate: Promise<void> | null = null;
  /** An engine too busy to start a container within the time limit. */
  busy = false;

  private guard() {
    if (this.down) throw new ProbeError(this.down, "unreachable");
  }

  async hasImage(): Promise<boolean> {
    this.guard();
    return this.image;
  }

  async dnsServers(containerId: string): Promise<string[] | null> {
    this.guard();
    return this.upstream[containerId] ?? [];
  }

  async run(spec: ProbeSpec): Promise<ProbeRun> {
    this.guard();
    this.runs.push(spec);
    if (this.gate) await this.gate;
    if (this.busy) return { exitCode: null, output: "", durationMs: spec.timeoutMs, started: false };
    const [program, ...args] = spec.argv;
    const target = args.at(-1) as string;
    if (program === "ping") {
      const ok = this.answering.has(target);
      const output = `PING ${target} (${target}): 56 data bytes\n\n--- ${target} ping statistics ---\n1 packets transmitted, ${ok ? 1 : 0} packets received\n`;
      return { exitCode: ok ? 0 : 1, output, durationMs: 5, started: true };
    }
    const address = this.names[target];
    const output = address
      ? `Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\nName:\t${target}\nAddress: ${address}\n`
      : ";; connection timed out; no servers could be reached\n";
    return { exitCode: address ? 0 : 1, output, durationMs: 5, started: true };
  }
}

let server: FastifyInstance | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Started {
  app: FastifyInstance;
  probes: FakeProbes;
  resolvConf: Record<string, string | null>;
}

/** The lab's up/down as the server sees it: the names asked for, and nothing done. */
const labCalls: string[] = [];
const fakeLab: ScenarioActions = {
  up: async (name) => (labCalls.push(`up ${name}`), { ok: true }),
  down: async (name) => (labCalls.push(`down ${name}`), { ok: true }),
};

async function start(options: { allowActions?: boolean; engine?: FakeEngine } = {}): Promise<Started> {
  const probes = new FakeProbes();
  labCalls.length = 0;
  const app = await buildServer({
    dockerHost: "unix:///fake.sock",
    collectors: [(options.engine ?? engineWithLab()).collector()],
    allowActions: options.allowActions ?? true,
    probeEngine: probes,
    scenarioActions: fakeLab,
  });
  server = app;
  await app.ready();
  // resolv.conf comes through the archive API, which the fake engine does not have.
  const resolvConf: Record<string, string | null> = {};
  app.topology.details = async (c: Container): Promise<ContainerDetails> => ({
    ...c,
    resolvConf: resolvConf[c.name] ?? null,
    hostsFile: null,
    dnsRules: null,
    unavailable: {},
  });
  return { app, probes, resolvConf };
}

const post = (app: FastifyInstance, payload: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method: "POST", url: "/api/probes", payload: payload as object, headers });

describe("POST /api/probes: refusals start nothing", () => {
  it("answers 400 for options, shell syntax, bad kinds and extra length", async () => {
    const { app, probes } = await start();
    const bodies: unknown[] = [
      { from: "-f", to: "db", kind: "ping" },
      { from: "web", to: "a;rm", kind: "ping" },
      { from: "web", to: "$(x)", kind: "ping" },
      { from: "web", to: "1.2.3.4 -c 100", kind: "ping" },
      { from: "web", to: "x\ny", kind: "ping" },
      { from: "web", to: "`id`", kind: "dns" },
      { from: "web", to: "db", kind: "exec" },
      { from: "web", to: "db" },
      { from: "x".repeat(129), to: "db", kind: "ping" },
      { from: "web", to: "db", kind: "dns", name: "db -type=any" },
      ["web", "db", "ping"],
    ];
    for (const body of bodies) {
      const res = await post(app, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json()).toMatchObject({ statusCode: 400, error: "Bad Request" });
    }
    expect(probes.runs).toEqual([]);
  });

  it("answers 400 with a sentence for an unknown or ambiguous container", async () => {
    const { app, probes } = await start();
    const unknown = await post(app, { from: "web", to: "nope", kind: "ping" });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toBe('no container "nope" (to) on the engine — list them with GET /api/topology');
    const ambiguous = await post(app, { from: "aaaa", to: "db", kind: "ping" });
    expect(ambiguous.statusCode).toBe(400);
    expect(ambiguous.json().message).toMatch(/"aaaa" \(from\) matches 3 containers/);
    expect(probes.runs).toEqual([]);
  });

  it("refuses addresses that are not on this engine's networks", async () => {
    const { app, probes } = await start();
    for (const to of ["8.8.8.8", "10.0.0.1", "172.18.0.99", "999.1.1.1"]) {
      const res = await post(app, { from: "web", to, kind: "ping" });
      expect(res.statusCode, to).toBe(400);
      expect(res.json().message).toBe(
        `${to} is not an address on this engine's networks — netdive probes only between this engine's containers`,
      );
    }
    const dns = await post(app, { from: "web", to: "172.18.0.3", kind: "dns" });
    expect(dns.statusCode).toBe(400);
    expect(dns.json().message).toMatch(/a DNS probe looks up a container's name/);
    expect(probes.runs).toEqual([]);
  });

  it("refuses a name the target is not known by", async () => {
    const { app, probes } = await start();
    const res = await post(app, { from: "web", to: "db", kind: "dns", name: "web" });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toBe('db is not known as "web" — its names are db');
    expect((await post(app, { from: "web", to: "db", kind: "ping", name: "db" })).statusCode).toBe(400);
    expect(probes.runs).toEqual([]);
  });

  it("answers 409 when from is not running, and when the lab image is missing", async () => {
    const { app, probes } = await start();
    const stopped = await post(app, { from: "old", to: "db", kind: "ping" });
    expect(stopped.statusCode).toBe(409);
    expect(stopped.json().message).toMatch(/^old is exited: a stopped container has no network namespace/);
    probes.image = false;
    const missing = await post(app, { from: "web", to: "db", kind: "ping" });
    expect(missing.statusCode).toBe(409);
    expect(missing.json().message).toBe(
      "the lab image netdive/lab:latest is missing — run `bash docker/lab-image.sh`, then try again",
    );
    expect(probes.runs).toEqual([]);
  });

  it("answers 503 with the engine's sentence when the engine cannot be reached", async () => {
    const { app, probes } = await start();
    probes.down = "cannot reach Docker at unix:///fake.sock: connection refused — the Docker engine is not running";
    const res = await post(app, { from: "web", to: "db", kind: "ping" });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ error: "Service Unavailable", message: probes.down });
  });

  it("answers 503 with the engine's sentence, not 'no container', when the engine cannot be read", async () => {
    const engine = engineWithLab();
    engine.down = "cannot reach Docker at unix:///fake.sock: connection refused — the Docker engine is not running";
    const { app, probes } = await start({ engine });
    const res = await post(app, { from: "web", to: "db", kind: "ping" });
    expect(res.statusCode).toBe(503);
    expect(res.json().message).toBe(engine.down);
    expect(probes.runs).toEqual([]);
  });

  it("lets at most two probes run at once and answers 429 beyond", async () => {
    const { app, probes } = await start();
    let open: () => void = () => undefined;
    probes.gate = new Promise((resolve) => (open = resolve));
    probes.answering.add("172.18.0.3");
    const first = post(app, { from: "web", to: "db", kind: "ping" });
    const second = post(app, { from: "db", to: "web", kind: "ping" });
    while (probes.runs.length < 2) await new Promise((r) => setTimeout(r, 5));
    const third = await post(app, { from: "web", to: "db", kind: "ping" });
    expect(third.statusCode).toBe(429);
    expect(third.json().message).toMatch(/2 probes are already running/);
    open();
    expect((await first).statusCode).toBe(200);
    expect((await second).statusCode).toBe(200);
    expect((await post(app, { from: "web", to: "db", kind: "ping" })).statusCode).toBe(200);
  });
});

describe("POST /api/probes: ping", () => {
  it("runs pings into one network namespace one after another, never two at once", async () => {
    const { app, probes } = await start();
    let open: () => void = () => undefined;
    probes.gate = new Promise((resolve) => (open = resolve));
    probes.answering.add("172.18.0.3");
    // sidecar shares web's network namespace: its probe joins the same one.
    const first = post(app, { from: "web", to: "db", kind: "ping" });
    const second = post(app, { from: "sidecar", to: "db", kind: "ping" });
    while (probes.runs.length < 1) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50));
    expect(probes.runs.map((r) => r.networkMode)).toEqual([`container:${WEB}`]);
    open();
    expect((await first).json().ok).toBe(true);
    expect((await second).json().ok).toBe(true);
    expect(probes.runs.map((r) => r.networkMode)).toEqual([`container:${WEB}`, `container:${WEB}`]);
  });

  it("runs ping -c 1 in from's network namespace and reports the reply", async () => {
    const { app, probes } = await start();
    probes.answering.add("172.18.0.3");
    const res = await post(app, { from: "web", to: "db", kind: "ping" });
    expect(res.statusCode).toBe(200);
    expect(probes.runs).toEqual([
      {
        image: "netdive/lab:latest",
        networkMode: `container:${WEB}`,
        argv: ["ping", "-c", "1", "-W", "1", "172.18.0.3"],
        timeoutMs: expect.any(Number),
      },
    ]);
    expect(res.json()).toMatchObject({
      kind: "ping",
      from: { id: WEB, name: "web" },
      to: { id: DB, name: "db", address: "172.18.0.3" },
      ran: true,
      ok: true,
      attempts: [{ target: "172.18.0.3", ok: true, output: expect.stringMatching(/1 packets received/) }],
      reason: "web pinged db at 172.18.0.3: one packet out, one reply back.",
      durationMs: expect.any(Number),
    });
  });

  it("tries at most four addresses, stopping at the first that answers", async () => {
    const { app, probes } = await start();
    const none = (await post(app, { from: "web", to: "wide", kind: "ping" })).json();
    expect(none).toMatchObject({ ran: true, ok: false });
    expect(none.attempts.map((a: { target: string }) => a.target)).toEqual([
      "10.1.0.2",
      "10.2.0.2",
      "10.3.0.2",
      "10.4.0.2",
    ]);
    expect(none.reason).toBe("web pinged wide at 10.1.0.2, 10.2.0.2, 10.3.0.2, 10.4.0.2: no reply.");
    probes.runs = [];
    probes.answering.add("10.2.0.2");
    const second = (await post(app, { from: "web", to: "wide", kind: "ping" })).json();
    expect(second).toMatchObject({ ok: true, to: { address: "10.2.0.2" } });
    expect(probes.runs).toHaveLength(2);
  });

  it("pings a gateway given as an address, and joins the owner's namespace for a joined container", async () => {
    const { app, probes } = await start();
    probes.answering.add("172.18.0.1");
    const res = (await post(app, { from: "sidecar", to: "172.18.0.1", kind: "ping" })).json();
    expect(res).toMatchObject({ ok: true, to: { id: null, name: null, address: "172.18.0.1" } });
    expect(probes.runs[0]?.networkMode).toBe(`container:${WEB}`);
  });

  it("names the container an address belongs to, and uses the host's stack for a host-mode container", async () => {
    const { app, probes } = await start();
    const res = (await post(app, { from: "hosty", to: "172.18.0.3", kind: "ping" })).json();
    expect(res).toMatchObject({ ran: true, ok: false, to: { id: DB, name: "db", address: "172.18.0.3" } });
    expect(probes.runs[0]?.networkMode).toBe("host");
  });

  it("gives each attempt what is left of a 5 s budget, and says so when the engine is too busy to start one", async () => {
    const { app, probes } = await start();
    probes.busy = true;
    const res = (await post(app, { from: "web", to: "wide", kind: "ping" })).json();
    expect(res).toMatchObject({ ran: false, ok: false, attempts: [] });
    expect(res.reason).toMatch(/^the engine did not start the probe beside web within 5 s/);
    expect(probes.runs).toHaveLength(1);
    expect(probes.runs[0]?.timeoutMs).toBeLessThanOrEqual(5000);
    expect(probes.runs[0]?.timeoutMs).toBeGreaterThan(4000);
  });

  it("runs nothing when the target has no address", async () => {
    const { app, probes } = await start();
    const res = await post(app, { from: "web", to: "old", kind: "ping" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ran: false, ok: false, attempts: [], reason: /old is exited/ });
    expect(probes.runs).toEqual([]);
  });
});

describe("POST /api/probes: dns", () => {
  it("looks the name up when the resolver cannot leave this machine, and reports the addresses", async () => {
    const { app, probes, resolvConf } = await start();
    resolvConf.web = "nameserver 127.0.0.11\noptions ndots:0\n";
    probes.upstream[WEB] = ["127.0.0.1"];
    probes.names.db = "172.18.0.3";
    const res = await post(app, { from: "web", to: "db", kind: "dns" });
    expect(res.statusCode).toBe(200);
    expect(probes.runs.map((r) => r.argv)).toEqual([["nslookup", "-timeout=1", "-retry=1", "db"]]);
    expect(res.json()).toMatchObject({
      kind: "dns",
      ran: true,
      ok: true,
      addresses: ["172.18.0.3"],
      attempts: [{ target: "db", ok: true }],
      reason: `web asked Docker's embedded DNS (127.0.0.11) for "db" and got 172.18.0.3.`,
    });
  });

  it("reports a lookup that was sent and failed", async () => {
    const { app, resolvConf } = await start();
    resolvConf.lone = "nameserver 127.0.0.1\n";
    const res = (await post(app, { from: "lone", to: "db", kind: "dns" })).json();
    expect(res).toMatchObject({ ran: true, ok: false, addresses: [] });
    expect(res.reason).toBe(
      `lone asked 127.0.0.1 for "db" and got no address (connection timed out; no servers could be reached).`,
    );
  });

  it("sends no lookup that could leave this machine, and says why", async () => {
    const { app, probes, resolvConf } = await start();
    resolvConf.lone = "nameserver 10.0.0.2\n";
    const outside = (await post(app, { from: "lone", to: "db", kind: "dns" })).json();
    expect(outside).toMatchObject({
      ran: false,
      ok: false,
      attempts: [],
      reason:
        "lone asks 10.0.0.2, outside this engine; netdive sends no lookup off this machine — the explainer's answer stands.",
    });
    resolvConf.web = "nameserver 127.0.0.11\n";
    const noUpstream = (await post(app, { from: "web", to: "db", kind: "dns" })).json();
    expect(noUpstream).toMatchObject({ ran: false, reason: /forwards names it does not know to the host's resolvers/ });
    probes.upstream[WEB] = ["8.8.8.8"];
    const farUpstream = (await post(app, { from: "sidecar", to: "db", kind: "dns" })).json();
    expect(farUpstream).toMatchObject({ ran: false, reason: /to 8\.8\.8\.8, outside this engine/ });
    const host = (await post(app, { from: "hosty", to: "db", kind: "dns" })).json();
    expect(host).toMatchObject({ ran: false, reason: /hosty uses the host's resolver/ });
    const unread = (await post(app, { from: "db", to: "web", kind: "dns" })).json();
    expect(unread).toMatchObject({ ran: false, reason: /could not be read/ });
    expect(probes.runs).toEqual([]);
  });
});

describe("actions and the security plugin", () => {
  it("has no route that changes anything without allowActions", async () => {
    const { app, probes } = await start({ allowActions: false });
    expect(app.printRoutes({ commonPrefix: false })).not.toMatch(/\b(POST|PUT|PATCH|DELETE)\b/);
    for (const url of ["/api/probes", "/api/scenarios/user-bridge/up", "/api/scenarios/x/down"]) {
      const res = await app.inject({ method: "POST", url, payload: { from: "web", to: "db", kind: "ping" } });
      expect(res.statusCode, url).toBe(404);
    }
    expect(probes.runs).toEqual([]);
  });

  it("with allowActions has exactly the documented mutating routes", async () => {
    const { app } = await start();
    const routes = app.printRoutes({ commonPrefix: false });
    expect(routes.match(/\b(PUT|PATCH|DELETE)\b/g)).toBeNull();
    expect(routes.match(/\bPOST\b/g)).toHaveLength(3);
    for (const url of ["/api/probes", "/api/scenarios/:name/up", "/api/scenarios/:name/down"]) {
      expect(app.hasRoute({ method: "POST", url }), url).toBe(true);
    }
  });

  it("refuses a cross-origin POST, a body over 4 KB and anything but JSON, and starts nothing", async () => {
    const { app, probes } = await start();
    probes.answering.add("172.18.0.3");
    const body = { from: "web", to: "db", kind: "ping" };
    const cross = await post(app, body, { origin: "http://evil.example" });
    expect(cross.statusCode).toBe(403);
    const crossLab = await app.inject({
      method: "POST",
      url: "/api/scenarios/none/up",
      headers: { origin: "http://evil.example" },
    });
    expect(crossLab.statusCode).toBe(403);
    const big = await post(app, { ...body, padding: "x".repeat(5000) });
    expect(big.statusCode).toBe(413);
    const text = await app.inject({
      method: "POST",
      url: "/api/probes",
      payload: JSON.stringify(body),
      headers: { "content-type": "text/plain" },
    });
    expect(text.statusCode).toBe(415);
    const form = await app.inject({
      method: "POST",
      url: "/api/probes",
      payload: "from=web&to=db&kind=ping",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(form.statusCode).toBe(415);
    const words = await app.inject({ method: "POST", url: "/api/probes", payload: "web db ping" });
    expect(words.statusCode).toBe(415);
    expect(probes.runs).toEqual([]);
    const same = await post(app, body, { origin: "http://localhost" });
    expect(same.statusCode).toBe(200);
  });

  it("refuses an unknown scenario name with 400 before touching the lab", async () => {
    const { app } = await start();
    for (const name of ["nope", "user-bridge%3Bls", "-rf"]) {
      const res = await app.inject({ method: "POST", url: `/api/scenarios/${name}/up` });
      expect(res.statusCode, name).toBe(400);
    }
    expect((await app.inject({ method: "POST", url: "/api/scenarios/nope/up" })).json().message).toMatch(
      /^no scenario "nope" — the scenarios are default-bridge, /,
    );
    expect(labCalls).toEqual([]);
  });
});
