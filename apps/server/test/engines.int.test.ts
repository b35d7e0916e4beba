import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cidrs, cleanup, hostLinks, labelArgs, leftovers, netnsLinks, newRun, type IpLinkJson } from "@netdive/lab";
import { DEFAULT_DOCKER_HOST, type PatchOperation, type Topology } from "@netdive/model";
import type { Server } from "node:net";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../src/app";
import { parseConfig } from "../src/config";
import type { EngineTarget } from "../src/engine-targets";
import { refuseSameEngine } from "../src/same-engine";
import { connectDocker } from "@netdive/collector";
import { makeCertificates, tlsFront, type TlsFiles } from "./engines/tls-front";
import { fact } from "./facts";
import { getJson } from "./inject";
import { dockerOn, runLabelled } from "./live/lab-cli";
import { PrivateEngine } from "./live/private-engine";

/**
 * Two engines in one netdive: the main engine and a private dockerd in its own network namespace
 * (docker/private-engine.sh with iptables: docker0, NAT, DNS hooks), each drawn with its own host's
 * kernel facts, checked against `ip` run in that namespace; a TLS listener in front of the private
 * engine's socket, reached through a Docker context; and the private engine killed, which must
 * change its own entries only.
 */
const run = newRun();
const engine = new PrivateEngine(`/tmp/nde-${run.id}`);
const onPrivate = dockerOn(engine.url);
const temp = mkdtempSync(join(tmpdir(), "netdive-engines-"));
const servers: FastifyInstance[] = [];
let server: FastifyInstance;
let tls: { url: string; server: Server };
let files: TlsFiles;
const names = { net: `${run.prefix}pnet`, a: `${run.prefix}pa`, b: `${run.prefix}pb`, main: `${run.prefix}m` };
const ids: Record<string, string> = {};

const targets = (): EngineTarget[] => [
  { id: "local", url: DEFAULT_DOCKER_HOST, from: "--docker-host (main)" },
  { id: "private", url: engine.url, from: "--docker-host (private)" },
];

async function topologyOf(s: FastifyInstance): Promise<Topology> {
  return (await getJson<Topology>(s, "/api/topology")).body;
}

/** Polls the topology until `ok` holds (the watchers read on their own). */
async function until(s: FastifyInstance, ok: (t: Topology) => boolean, what: string, ms = 30_000): Promise<Topology> {
  const deadline = Date.now() + ms;
  let t = await topologyOf(s);
  while (!ok(t)) {
    if (Date.now() > deadline) throw new Error(`not within ${ms / 1000} s: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
    t = await topologyOf(s);
  }
  return t;
}

let started = 0;
let firstPicture = 0;

beforeAll(async () => {
  mkdirSync(engine.dir, { recursive: true });
  await engine.start({ firewall: "iptables" });
  await engine.loadLabImage();
  await onPrivate(["network", "create", "--driver", "bridge", ...labelArgs(run), names.net]);
  ids.a = (await runLabelled(run, "pa", { network: names.net, host: engine.url })).id;
  ids.b = (await runLabelled(run, "pb", { network: names.net, host: engine.url })).id;
  ids.main = (await runLabelled(run, "m")).id;
  files = makeCertificates(join(temp, "certs"));
  tls = await tlsFront(files, engine.sock);
  started = Date.now();
  server = await buildServer({ dockerHost: DEFAULT_DOCKER_HOST, engines: targets(), reconcileMs: 60_000 });
  servers.push(server);
  await server.ready();
  await until(
    server,
    (t) => Boolean(t.containers[ids.a!] && t.containers[ids.b!] && t.containers[ids.main!]),
    "both engines' containers",
  );
  firstPicture = Date.now() - started;
});

afterAll(async () => {
  for (const s of servers) await s.close();
  tls?.server.close();
  try {
    await engine.stop();
  } finally {
    try {
      engine.remove();
    } finally {
      rmSync(temp, { recursive: true, force: true });
      await cleanup(run.id);
    }
  }
  expect(await leftovers(run.id), "nothing of this run is left on the main engine").toEqual({
    containers: [],
    networks: [],
  });
});

/** The host interfaces netdive reports for one engine, against `ip -j -d addr show` in that engine's namespace. */
function expectHost(t: Topology, engineId: string, truth: IpLinkJson[], names: readonly string[]): void {
  const reported = t.hosts[engineId]?.interfaces ?? [];
  for (const name of names) {
    const link = truth.find((l) => l.ifname === name);
    expect(link, `${engineId}: ip -j lists ${name}`).toBeDefined();
    const mine = reported.find((i) => i.name === name);
    fact(mine?.name, name, `${engineId} host ${name}: reported`);
    fact(mine?.ifindex, link!.ifindex, `${engineId} host ${name}: ifindex`);
    fact(mine?.mac, (link!.address ?? "").toLowerCase(), `${engineId} host ${name}: mac`);
    fact(mine?.addresses, cidrs(link!), `${engineId} host ${name}: addresses`);
    fact(mine?.master, link!.master ?? null, `${engineId} host ${name}: master`);
  }
  // Nothing of another namespace: every reported interface is one `ip` lists there, with its ifindex.
  fact(
    reported.map((i) => `${i.name}#${i.ifindex}`).sort(),
    truth.map((l) => `${l.ifname}#${l.ifindex}`).sort(),
    `${engineId}: the host's interfaces are exactly its namespace's`,
  );
}

/** A container's eth0 and its host veth, against its namespace and its engine's host namespace. */
async function expectContainer(t: Topology, id: string, host: IpLinkJson[], engineId: string): Promise<void> {
  const c = t.containers[id];
  fact(c?.engineId, engineId, `${id.slice(0, 12)}: engineId`);
  const pid = Number(
    (await dockerOn(engineId === "local" ? undefined : engine.url)(["inspect", "-f", "{{.State.Pid}}", id])).trim(),
  );
  const links = await netnsLinks(pid);
  const eth = links.find((l) => l.ifname === "eth0")!;
  const mine = c!.interfaces.find((i) => i.name === "eth0");
  fact(mine?.ifindex, eth.ifindex, `${c!.name}/eth0: ifindex`);
  fact(mine?.mac, (eth.address ?? "").toLowerCase(), `${c!.name}/eth0: mac`);
  fact(mine?.addresses, cidrs(eth), `${c!.name}/eth0: addresses`);
  const peer = host.find((h) => h.ifindex === eth.link_index && h.link_index === eth.ifindex);
  expect(peer, `${c!.name}: its engine's host namespace has eth0's veth`).toBeDefined();
  fact(
    mine?.hostPeer,
    { name: peer!.ifname, ifindex: peer!.ifindex, bridge: peer!.master ?? null },
    `${c!.name}/eth0: host peer, in its own engine's namespace`,
  );
}

describe("two engines in one netdive", () => {
  it("draws the main engine and a private one in its own namespace, each with its own host's kernel facts", async () => {
    const t = await topologyOf(server);
    console.log(`first picture with both engines' containers: ${firstPicture} ms after the server was built`);
    expect(Object.keys(t.engines)).toEqual(["local", "private"]);
    expect(t.engines.private).toMatchObject({ reachable: true, url: engine.url });
    fact(t.hosts.private?.kernel.visible, true, "private: kernel facts visible");
    const privateHost = await netnsLinks(engine.pid());
    const mainHost = await hostLinks();
    const net = Object.values(t.networks).find((n) => n.name === names.net);
    fact(net?.engineId, "private", "the private network is the private engine's");
    const bridge = `br-${net!.id.slice(0, 12)}`;
    fact(net?.bridge, bridge, "the private network's bridge");
    const vethOf = async (id: string) => {
      const pid = Number((await onPrivate(["inspect", "-f", "{{.State.Pid}}", id])).trim());
      const eth = (await netnsLinks(pid)).find((l) => l.ifname === "eth0")!;
      return privateHost.find((l) => l.ifindex === eth.link_index)!.ifname;
    };
    expectHost(t, "private", privateHost, ["lo", "docker0", bridge, await vethOf(ids.a!), await vethOf(ids.b!)]);
    await expectContainer(t, ids.a!, privateHost, "private");
    await expectContainer(t, ids.b!, privateHost, "private");
    await expectContainer(t, ids.main!, mainHost, "local");
    // The main engine's host is the machine's: its docker0 is not the private one's.
    const mainDocker0 = t.hosts.local?.interfaces.find((i) => i.name === "docker0");
    fact(mainDocker0?.ifindex, mainHost.find((l) => l.ifname === "docker0")?.ifindex, "local docker0: ifindex");
    expect(firstPicture, "time to the first picture with two engines").toBeLessThan(15_000);
  });

  it("keeps names unique across engines: <engine>/<name> finds one, a bare shared name is a 409 with the candidates", async () => {
    const both = await getJson<{ message: string }>(server, "/api/networks/bridge");
    expect(both.status).toBe(409);
    expect(both.body.message).toBe(
      '"bridge" names a network on 2 engines — ask for one of local/bridge, private/bridge',
    );
    const scoped = await getJson<{ engineId: string; name: string }>(server, "/api/networks/private%2Fbridge");
    expect(scoped.status).toBe(200);
    expect(scoped.body).toMatchObject({ engineId: "private", name: "bridge" });
    const ctr = await getJson<{ id: string }>(server, `/api/containers/private%2F${names.a}`);
    expect(ctr.status).toBe(200);
    expect(ctr.body.id).toBe(ids.a);
    expect((await getJson(server, `/api/containers/local%2F${names.a}`)).status).toBe(404);
  });

  it("reads the private engine through a TLS listener named by a Docker context, and refuses a wrong CA with a sentence", async () => {
    const home = join(temp, "home");
    const digest = createHash("sha256").update("tlsctx").digest("hex");
    mkdirSync(join(home, ".docker", "contexts", "meta", digest), { recursive: true });
    writeFileSync(
      join(home, ".docker", "contexts", "meta", digest, "meta.json"),
      JSON.stringify({ Name: "tlsctx", Metadata: {}, Endpoints: { docker: { Host: tls.url, SkipTLSVerify: false } } }),
    );
    const tlsDir = join(home, ".docker", "contexts", "tls", digest, "docker");
    mkdirSync(tlsDir, { recursive: true });
    for (const f of ["ca.pem", "cert.pem", "key.pem"]) {
      writeFileSync(join(tlsDir, f), readFileSync(join(files.clientDir, f)));
    }
    const config = parseConfig(["--context", "tlsctx"], { HOME: home });
    if (config === "help") throw new Error("help");
    expect(config.engines).toHaveLength(1);
    expect(config.engines[0]).toMatchObject({ id: "tlsctx", url: tls.url, tls: { verify: true } });
    const viaTls = await buildServer({ dockerHost: tls.url, engines: config.engines, reconcileMs: 60_000 });
    servers.push(viaTls);
    await viaTls.ready();
    const t = await until(viaTls, (x) => Boolean(x.containers[ids.a!]), "the private engine's containers over TLS");
    expect(t.engines.tlsctx).toMatchObject({ reachable: true, url: tls.url });
    expect(t.containers[ids.b!]?.name).toBe(names.b);
    expect(t.hosts.tlsctx?.kernel.reason).toMatch(/is not on this machine/);
    // The same engine through its socket and through TLS: refused, by its /info ID and data root.
    await expect(refuseSameEngine([targets()[1]!, config.engines[0]!])).rejects.toThrow(/reach the same Docker engine/);

    // DOCKER_TLS_VERIFY with a CA that did not sign the listener's certificate.
    const other = makeCertificates(join(temp, "other"));
    const wrong = join(temp, "wrong");
    mkdirSync(wrong, { recursive: true });
    writeFileSync(join(wrong, "ca.pem"), other.ca);
    for (const f of ["cert.pem", "key.pem"]) writeFileSync(join(wrong, f), readFileSync(join(files.clientDir, f)));
    const bad = parseConfig(["--docker-host", tls.url], { DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: wrong });
    if (bad === "help") throw new Error("help");
    await expect(connectDocker({ host: tls.url, tls: bad.engines[0]!.tls!, timeoutMs: 5_000 })).rejects.toThrow(
      `cannot reach Docker at ${tls.url}: the engine's TLS certificate is not signed by the CA netdive was given`,
    );
  });

  it("greys only the killed engine: its own entries change, the main engine's stay as they were", async () => {
    const before = await topologyOf(server);
    const ops: PatchOperation[] = [];
    server.topology.on("change", (change) => ops.push(...change.ops));
    engine.kill();
    const t = await until(
      server,
      (x) => x.engines.private?.reachable === false,
      "the private engine marked unreachable",
    );
    expect(t.engines.private?.error).toMatch(/cannot reach Docker at unix:\/\/\/tmp\/nde-/);
    expect(t.engines.local).toEqual(before.engines.local);
    expect(t.hosts.local).toEqual(before.hosts.local);
    expect(t.containers[ids.main!]).toEqual(before.containers[ids.main!]);
    expect(t.containers[ids.a!]).toBeUndefined();
    const privateIds = new Set([
      ...Object.values(before.containers)
        .filter((c) => c.engineId === "private")
        .map((c) => c.id),
      ...Object.values(before.networks)
        .filter((n) => n.engineId === "private")
        .map((n) => n.id),
    ]);
    const foreign = ops
      .map((op) => op.path)
      .filter((path) => {
        const [, collection, key] = path.split("/");
        if (collection === "revision") return false;
        if (collection === "engines" || collection === "hosts") return key !== "private";
        return !privateIds.has(key ?? "");
      });
    expect(foreign, "patch paths outside the private engine's entries").toEqual([]);
    const health = await getJson<{ status: string; engines: Array<{ id: string; reachable: boolean }> }>(
      server,
      "/api/health",
    );
    expect(health.body.status).toBe("degraded");
    expect(health.body.engines.map((e) => [e.id, e.reachable])).toEqual([
      ["local", true],
      ["private", false],
    ]);
  });
});
