import { execFile } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { createConnection, createServer, type Server } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import {
  connectDocker,
  EngineCollector,
  HelperKernel,
  KERNEL_HELPER_LABEL,
  type KernelReader,
} from "@netdive/collector";
import {
  cleanup,
  createNetwork,
  dnsHooks,
  docker,
  execArgv,
  LAB_IMAGE,
  leftovers,
  natTable,
  netnsLinks,
  newRun,
  nsenterNet,
  runContainer,
  useEngine,
  type LabObject,
} from "@netdive/lab";
import { buildTopology, type EngineInventory, type IpLink, type IpRoute, type Topology } from "@netdive/model";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../src/app";
import { kernelFor, NO_KERNEL_HELPER } from "../src/kernel-for";
import { getJson } from "./inject";
import { PrivateEngine } from "./live/private-engine";

/**
 * `--kernel-helper` on an engine netdive cannot read itself: a private engine in its own network
 * namespace with its firewall on (docker/private-engine.sh), reached as tcp://127.0.0.1:PORT
 * through a small TCP listener in front of its socket, so nothing ties it to a process here.
 * netdive's own image (built from this checkout) runs there as the helper; what it reports must
 * equal what nsenter reads in that engine's namespace directly, and it must leave nothing behind.
 */

const repo = join(dirname(fileURLToPath(import.meta.url)), "../../..");
const SCRIPT = join(repo, "docker/private-engine.sh");
const IMAGE = "netdive:latest";
const run = newRun();
const engine = new PrivateEngine(`/tmp/ndkh-${run.id}`);
let proxy: Server | undefined;
let url = "";
let bridge: LabObject;
let a: LabObject;
let b: LabObject;
const servers: FastifyInstance[] = [];
const readers: KernelReader[] = [];

/** The engine's own docker CLI, whatever the lab points at. */
const onEngine = (args: readonly string[]) => docker(args, { env: { DOCKER_HOST: engine.url } });

/** Helper containers on the private engine, running or not (counted by label). */
async function helpersLeft(): Promise<string[]> {
  const out = await onEngine(["ps", "-aq", "--filter", `label=${KERNEL_HELPER_LABEL}=1`]);
  return out.split("\n").filter((l) => l.trim() !== "");
}

function collectorWith(kernel: KernelReader): EngineCollector {
  readers.push(kernel);
  return new EngineCollector({ engineId: "remote", url, connect: () => connectDocker({ host: url }), kernel });
}

/** A TCP listener on 127.0.0.1 that pipes every connection to the engine's unix socket. */
function tcpInFront(sock: string): Promise<{ server: Server; port: number }> {
  const server = createServer((client) => {
    const upstream = createConnection(sock);
    client.pipe(upstream).pipe(client);
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve({ server, port: (server.address() as { port: number }).port }));
  });
}

beforeAll(async () => {
  // This checkout's image: an older netdive:latest would not know --kernel-facts.
  const started = Date.now();
  await promisify(execFile)("bash", ["docker/image.sh", IMAGE], { cwd: repo, timeout: 900_000 });
  console.log(`kernel helper: pnpm image took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  mkdirSync(engine.dir, { recursive: true });
  await execArgv("bash", [SCRIPT, "start", engine.dir], {
    env: { NETDIVE_PRIVATE_FIREWALL: "iptables" },
    timeoutMs: 90_000,
  });
  await execArgv(
    "bash",
    ["-c", 'docker save "$1" "$2" | DOCKER_HOST="$3" docker load -q', "load", IMAGE, LAB_IMAGE, engine.url],
    {
      timeoutMs: 180_000,
    },
  );
  useEngine(engine.url);
  bridge = await createNetwork(run, "kh-net");
  a = await runContainer(run, { name: "kh-a", network: bridge.name });
  b = await runContainer(run, { name: "kh-b", network: bridge.name });
  const front = await tcpInFront(engine.sock);
  proxy = front.server;
  url = `tcp://127.0.0.1:${front.port}`;
}, 900_000);

afterAll(async () => {
  for (const s of servers) await s.close();
  for (const r of readers) r.close?.();
  proxy?.close();
  try {
    await cleanup(run.id);
    expect(await leftovers(run.id), "nothing of this run is left on the private engine").toEqual({
      containers: [],
      networks: [],
    });
  } finally {
    await engine.stop();
    engine.remove();
  }
}, 120_000);

/** Pid of the private dockerd: its network namespace is that engine's host. */
function dockerdPid(): number {
  return Number(readFileSync(`${engine.dir}/docker.pid`, "utf8").trim());
}

/** The same API inventory, with the kernel facts read directly with nsenter instead of by the helper. */
async function readDirectly(inv: EngineInventory): Promise<EngineInventory> {
  const pid = dockerdPid();
  const links = (await netnsLinks(pid)) as unknown as IpLink[];
  const defaultRoutes = JSON.parse(
    (await nsenterNet(pid, ["ip", "-j", "route", "show", "default"])) || "[]",
  ) as IpRoute[];
  const netns: EngineInventory["netns"] = {};
  for (const c of inv.containers) {
    netns[c.Id] = { ok: true, links: (await netnsLinks(c.State.Pid)) as unknown as IpLink[] };
  }
  return { ...inv, host: { ok: true, links, defaultRoutes }, netns };
}

/** What the picture says of the host and each container's interfaces. */
function kernelView(t: Topology) {
  return {
    interfaces: t.hosts.remote?.interfaces,
    containers: Object.values(t.containers)
      .sort((x, y) => x.id.localeCompare(y.id))
      .map((c) => ({ id: c.id, interfaces: c.interfaces, kernel: c.kernel })),
  };
}

describe("kernel facts of a remote engine through the helper (--kernel-helper)", () => {
  it("reads the host, bridges, veth peers, container interfaces and DNS hooks as nsenter reads them there, in one run, and leaves nothing", async () => {
    const kernel = kernelFor(url, { kernelHelper: true, kernelHelperImage: IMAGE }, run.labels);
    expect(kernel).toBeInstanceOf(HelperKernel);
    const collector = collectorWith(kernel);
    const inv = await collector.collect();
    expect(inv.engine.reachable, inv.engine.error).toBe(true);
    expect(inv.host.ok ? null : inv.host.reason).toBeNull();
    // Only this run's two containers: the helper is netdive's own and is not drawn.
    expect(inv.containers.map((c) => c.Id).sort()).toEqual([a.id, b.id].sort());

    const helper = buildTopology([inv]);
    const direct = buildTopology([await readDirectly(inv)]);
    expect(kernelView(helper)).toEqual(kernelView(direct));

    // The facts are there to compare: docker0 (firewall on), this run's bridge, each container's veth on it.
    const names = helper.hosts.remote?.interfaces.map((i) => i.name) ?? [];
    const br = `br-${bridge.id.slice(0, 12)}`;
    expect(names).toEqual(expect.arrayContaining(["lo", "docker0", br]));
    for (const id of [a.id, b.id]) {
      const eth0 = helper.containers[id]?.interfaces.find((i) => i.name === "eth0");
      expect(eth0?.hostPeer?.bridge, `${id}'s eth0 has its veth on ${br}`).toBe(br);
      expect(names).toContain(eth0?.hostPeer?.name);
    }

    // DNS hooks, from the same run: the details read starts no second helper.
    for (const c of [a, b]) {
      const container = helper.containers[c.id];
      if (!container) throw new Error(`${c.name} is not in the picture`);
      const files = await collector.readFiles(container, container);
      const truth = dnsHooks(await natTable(container.pid as number));
      expect(truth).toHaveLength(2);
      expect(files.dnsRules?.slice().sort((x, y) => x.proto.localeCompare(y.proto))).toEqual(truth);
    }
    expect((kernel as HelperKernel).runs, "one helper run served the collection and the DNS reads").toBe(1);
    expect(await helpersLeft(), "no helper container is left on the engine").toEqual([]);
  });

  it("the server with the flag draws the remote engine's kernel, and the helper's own events start no new run", async () => {
    // The engine's clock is this machine's; fractions of a second keep the last test's run out.
    const since = (Date.now() / 1000).toFixed(3);
    const server = await buildServer({
      dockerHost: url,
      reconcileMs: 60_000,
      kernel: { kernelHelper: true, kernelHelperImage: IMAGE },
    });
    servers.push(server);
    await server.ready();
    const { body } = await getJson<Topology>(server, "/api/topology");
    expect(body.hosts.local?.kernel).toEqual({ visible: true, reason: null });
    expect(Object.keys(body.containers).sort()).toEqual([a.id, b.id].sort());
    // Past the least interval between runs: a helper answering its own events would have run again.
    await new Promise((r) => setTimeout(r, 6_500));
    const until = (Date.now() / 1000).toFixed(3);
    const created = await onEngine([
      "events",
      "--since",
      since,
      "--until",
      until,
      "--filter",
      `label=${KERNEL_HELPER_LABEL}=1`,
      "--filter",
      "event=create",
      "--format",
      "{{.Actor.ID}} {{.TimeNano}}",
    ]);
    expect(created.trim().split("\n").filter(Boolean), "one helper run, at startup").toHaveLength(1);
    await server.close();
    expect(await helpersLeft()).toEqual([]);
  });

  it("without the flag the engine is drawn from the API and the kernel reason names --kernel-helper", async () => {
    const inv = await collectorWith(kernelFor(url, NO_KERNEL_HELPER)).collect();
    expect(inv.containers.map((c) => c.Id).sort()).toEqual([a.id, b.id].sort());
    expect(inv.host.ok).toBe(false);
    expect(inv.host.ok ? "" : inv.host.reason).toContain(`The engine at ${url} is not on this machine`);
    expect(inv.host.ok ? "" : inv.host.reason).toContain("pass --kernel-helper");
  });

  it("an image that is not on the engine: the reason says so and how to load it", async () => {
    const image = "netdive:not-loaded-here";
    const inv = await collectorWith(kernelFor(url, { kernelHelper: true, kernelHelperImage: image })).collect();
    expect(inv.host.ok ? "" : inv.host.reason).toContain(
      `${image} is not on the engine at ${url}: load it with \`docker save ${image} | docker -H ${url} load\``,
    );
    expect(await helpersLeft()).toEqual([]);
  });
});
