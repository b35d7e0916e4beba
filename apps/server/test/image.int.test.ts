import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import {
  LAB_IMAGE,
  cleanup,
  createNetwork,
  docker,
  freeTcpPort,
  labelArgs,
  leftovers,
  newRun,
  runContainer,
  tryExecArgv,
  type LabObject,
} from "@netdive/lab";
import type { Health, Topology } from "@netdive/model";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../src/app";
import { getJson } from "./inject";

/**
 * The image, run as docs/running.md says: `pnpm image` builds it (making its base offline the
 * first time), its Linux `docker run` line (read from the document itself, so the two cannot
 * drift) serves the page, and its topology equals the one netdive on the host reads, kernel facts
 * included. A run line that leaves a capability out gets a sentence naming it.
 */

const repo = join(dirname(fileURLToPath(import.meta.url)), "../../..");
const IMAGE = "netdive:latest";
const DOCKER_HOST = "unix:///var/run/docker.sock";
const run = newRun();

let hostServer: FastifyInstance | undefined;
let bridge: LabObject;
let web: LabObject;
let db: LabObject;
let plain: LabObject;
let sidecar: LabObject;

const LINUX_LINE = "docker run -d --name netdive --pid host --network host";
const DESKTOP_LINE = "docker run -d --name netdive --pid host -p 127.0.0.1:3000:3000";

/** A run line of docs/running.md (the one that starts with `begin`), as argv after `docker`. */
async function documentedRunLine(begin = LINUX_LINE): Promise<string[]> {
  const readme = await readFile(join(repo, "docs", "running.md"), "utf8");
  const start = readme.indexOf(begin);
  expect(start, `docs/running.md has the line ${begin}`).toBeGreaterThan(-1);
  const end = readme.indexOf("\n```", start);
  const words = readme
    .slice(start, end)
    .replace(/\\\n/g, " ")
    .split(/\s+/)
    .filter((w) => w !== "");
  expect(words.slice(0, 2)).toEqual(["docker", "run"]);
  return words.slice(1);
}

/** argv for `docker run` of the image as documented, with this run's name and labels, on `port`. */
function asThisRun(line: readonly string[], name: string, port: number, caps?: readonly string[]): string[] {
  const args = [...line];
  args[args.indexOf("--name") + 1] = `${run.prefix}${name}`;
  const image = args.lastIndexOf("netdive");
  expect(image, "the run line names the image").toBeGreaterThan(0);
  let options = args.slice(0, image).map((a) => a.replace(/^127\.0\.0\.1:3000:3000$/, `127.0.0.1:${port}:${port}`));
  if (caps) options = [...options.filter((a, i) => !isCapArg(options, i)), ...caps];
  return [...options, ...labelArgs(run), IMAGE, ...args.slice(image + 1), "--port", String(port)];
}

function isCapArg(args: readonly string[], i: number): boolean {
  const a = args[i] as string;
  const before = args[i - 1];
  return a === "--cap-add" || a === "--cap-drop" || before === "--cap-add" || before === "--cap-drop";
}

/** Starts the image with `argv` and waits until it answers on 127.0.0.1:`port`. */
async function startImage(argv: readonly string[], port: number): Promise<string> {
  const id = (await docker(argv)).trim();
  const until = Date.now() + 30_000;
  for (;;) {
    try {
      // Bounded: while the container starts, docker-proxy accepts and drops connections, and a
      // fetch caught in that window was seen to never settle.
      const res = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return id;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) {
      const logs = await tryExecArgv("docker", ["logs", "--tail", "20", id]);
      throw new Error(
        `the image did not answer on 127.0.0.1:${port} within 30 s; its log:\n${logs.stdout}${logs.stderr}`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function getFrom<T>(port: number, path: string): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  expect(res.status, `GET ${path} on the image`).toBe(200);
  return (await res.json()) as T;
}

/** What both must agree on: this run's networks and containers whole, the host's own interfaces. */
function comparable(t: Topology, ids: ReadonlySet<string>) {
  const [host] = Object.values(t.hosts);
  const veths = new Set(
    Object.values(t.containers)
      .filter((c) => ids.has(c.id))
      .flatMap((c) => c.interfaces.map((i) => i.hostPeer?.name)),
  );
  const bridges = new Set(
    Object.values(t.networks)
      .filter((n) => ids.has(n.id) || n.name === "bridge")
      .map((n) => n.bridge),
  );
  return {
    engines: t.engines,
    hostname: host?.hostname,
    kernel: host?.kernel,
    // Other test runs add and remove bridges and veths at any moment: only this run's are compared,
    // with every interface of the host that is neither.
    interfaces: host?.interfaces.filter(
      (i) => (i.kind !== "veth" && i.kind !== "bridge") || veths.has(i.name) || bridges.has(i.name),
    ),
    networks: Object.values(t.networks)
      .filter((n) => ids.has(n.id))
      .sort((a, b) => a.id.localeCompare(b.id)),
    containers: Object.values(t.containers)
      .filter((c) => ids.has(c.id))
      .sort((a, b) => a.id.localeCompare(b.id)),
  };
}

beforeAll(async () => {
  // `pnpm image` as a user runs it: the base image is made once (minutes) and kept after.
  const started = Date.now();
  await promisify(execFile)("bash", ["docker/image.sh", IMAGE], { cwd: repo, timeout: 900_000 });
  console.log(`netdive image: pnpm image took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  bridge = await createNetwork(run, "img-net");
  web = await runContainer(run, { name: "img-web", network: bridge.name });
  db = await runContainer(run, { name: "img-db", network: bridge.name });
  plain = await runContainer(run, { name: "img-plain" });
  sidecar = await runContainer(run, { name: "img-side", network: `container:${web.name}` });
  hostServer = await buildServer({ dockerHost: DOCKER_HOST });
  await hostServer.ready();
}, 900_000);

afterAll(async () => {
  await hostServer?.close();
  await cleanup(run.id);
  expect(await leftovers(run.id), `nothing labelled io.netdive.run=${run.id} is left`).toEqual({
    containers: [],
    networks: [],
  });
});

describe("the image, run with the documented Linux line (docs/running.md)", () => {
  it("has no pnpm, no node_modules and no sources, and runs as the documented entrypoint", async () => {
    const listing = await docker([
      "run",
      "--rm",
      ...labelArgs(run),
      "--entrypoint",
      "sh",
      IMAGE,
      "-c",
      "command -v pnpm npm npx yarn gcc make cc; ls /opt/netdive/apps; find / -xdev \\( -name node_modules -o -name '*.ts' -o -name package.json \\) | head",
    ]);
    expect(listing.trim().split("\n")).toEqual(["server", "web"]);
    const entrypoint = await docker(["image", "inspect", "-f", "{{json .Config.Entrypoint}}", IMAGE]);
    expect(JSON.parse(entrypoint)).toEqual(["node", "--enable-source-maps", "/opt/netdive/apps/server/dist/main.mjs"]);
  });

  it("serves the page and draws what netdive on the host draws, fact for fact", async () => {
    const port = await freeTcpPort(3915);
    const me = await startImage(asThisRun(await documentedRunLine(), "img-netdive", port), port);
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<div id="root">/);

    const ids = new Set([bridge.id, web.id, db.id, plain.id, sidecar.id, me]);
    // Both read at about the same moment; a container of another run changing in between would
    // not matter (only this run's objects and the host's own interfaces are compared).
    const [inImage, onHost] = await Promise.all([
      getFrom<Topology>(port, "/api/topology?fresh=1"),
      getJson<Topology>(hostServer as FastifyInstance, "/api/topology?fresh=1").then((r) => r.body),
    ]);
    const image = comparable(inImage, ids);
    const host = comparable(onHost, ids);
    // The facts are there to compare: kernel visible, every container with its veth and bridge.
    expect(image.kernel).toEqual({ visible: true, reason: null });
    expect(image.containers).toHaveLength(5);
    const webInImage = image.containers.find((c) => c.id === web.id);
    expect(webInImage?.interfaces.find((i) => i.name === "eth0")?.hostPeer?.bridge).toMatch(/^br-/);
    expect(image.interfaces?.map((i) => i.name)).toEqual(
      expect.arrayContaining(["docker0", `br-${bridge.id.slice(0, 12)}`]),
    );
    expect(image).toEqual(host);

    // The firewall read too: the embedded DNS rules of a container on a user-defined bridge.
    const [dnsImage, dnsHost] = await Promise.all([
      getFrom<{ dnsRules: unknown }>(port, `/api/containers/${db.id}`),
      getJson<{ dnsRules: unknown }>(hostServer as FastifyInstance, `/api/containers/${db.id}`).then((r) => r.body),
    ]);
    expect(dnsImage.dnsRules).toHaveLength(2);
    expect(dnsImage.dnsRules).toEqual(dnsHost.dnsRules);
    // Health knows it runs in this container, with every capability, on an engine that is not Desktop.
    const health = await getFrom<Health>(port, "/api/health");
    expect(health.runtime).toEqual({ containerId: me, missingCapabilities: [] });
    const os = (await docker(["info", "--format", "{{.OperatingSystem}}"])).trim();
    expect(health.engines[0]).toMatchObject({ operatingSystem: os, desktop: false });
    await docker(["rm", "-f", me]);
  });

  it("without SYS_ADMIN it says that CAP_SYS_ADMIN is missing and how to add it", async () => {
    const port = await freeTcpPort(3916);
    const caps = ["--cap-drop", "ALL", "--cap-add", "SYS_PTRACE", "--cap-add", "NET_ADMIN"];
    const me = await startImage(asThisRun(await documentedRunLine(), "img-nosysadmin", port, caps), port);
    const health = await getFrom<Health>(port, "/api/health");
    expect(health.runtime?.missingCapabilities.map((m) => m.capability)).toEqual(["SYS_ADMIN"]);
    expect(health.engines[0]?.kernel.reason).toContain(
      "cannot enter container network namespaces (setns): CAP_SYS_ADMIN is missing — add --cap-add SYS_ADMIN",
    );
    await docker(["rm", "-f", me]);
  });

  it("without NET_ADMIN it draws the namespaces and says the DNS rules need CAP_NET_ADMIN", async () => {
    const port = await freeTcpPort(3917);
    const caps = ["--cap-drop", "ALL", "--cap-add", "SYS_ADMIN", "--cap-add", "SYS_PTRACE"];
    const me = await startImage(asThisRun(await documentedRunLine(), "img-nonetadmin", port, caps), port);
    const health = await getFrom<Health>(port, "/api/health");
    expect(health.engines[0]?.kernel).toEqual({ visible: true, reason: null });
    const container = await getFrom<{ dnsRules: unknown; unavailable: Record<string, string> }>(
      port,
      `/api/containers/${db.id}`,
    );
    expect(container.dnsRules).toBeNull();
    expect(container.unavailable.dnsRules).toContain("CAP_NET_ADMIN is missing — add --cap-add NET_ADMIN");
    await docker(["rm", "-f", me]);
  });
});

describe("the image behind a loopback publish: the documented Docker Desktop line, on this engine", () => {
  // Behind a publish netdive is in a network namespace of its own; the engine's host is the
  // namespace of the process that listens on the mounted socket (dockerd), found through /proc
  // (`--pid host`). Not pid 1's: this CI machine's init (Firecracker's) refuses /proc/1/ns even to root.
  it("serves this machine's 127.0.0.1 and the engine's topology with its kernel facts, and knows it runs in a container", async () => {
    const port = await freeTcpPort(3918);
    const me = await startImage(asThisRun(await documentedRunLine(DESKTOP_LINE), "img-published", port), port);
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    const health = await getFrom<Health>(port, "/api/health");
    expect(health.runtime).toEqual({ containerId: me, missingCapabilities: [] });
    expect(health.engines[0]).toMatchObject({ reachable: true, desktop: false });
    const topology = await getFrom<Topology>(port, "/api/topology?fresh=1");
    expect(topology.containers[me]?.ports).toContainEqual({
      containerPort: port,
      protocol: "tcp",
      hostIp: "127.0.0.1",
      hostPort: port,
    });
    expect(Object.keys(topology.containers)).toEqual(expect.arrayContaining([web.id, db.id, plain.id, sidecar.id]));
    // The kernel facts are the host's, not the container's own namespace's: the same as netdive on the host.
    const ids = new Set([bridge.id, web.id, db.id, plain.id, sidecar.id, me]);
    const onHost = (await getJson<Topology>(hostServer as FastifyInstance, "/api/topology?fresh=1")).body;
    // The hostname is not: the container has a UTS namespace of its own.
    const image = { ...comparable(topology, ids), hostname: null };
    const host = { ...comparable(onHost, ids), hostname: null };
    expect(image.kernel).toEqual({ visible: true, reason: null });
    expect(image.interfaces?.map((i) => i.name)).toEqual(
      expect.arrayContaining(["docker0", `br-${bridge.id.slice(0, 12)}`]),
    );
    expect(image).toEqual(host);

    // Another container on the same bridge reaches netdive's port directly: refused without the token.
    const address = (await docker(["inspect", "-f", "{{.NetworkSettings.IPAddress}}", me])).trim();
    const neighbour = await docker([
      "run",
      "--rm",
      ...labelArgs(run),
      LAB_IMAGE,
      "sh",
      "-c",
      `printf 'GET /api/health HTTP/1.0\\r\\nHost: localhost:${port}\\r\\n\\r\\n' | nc -w 5 ${address} ${port} | head -n 1`,
    ]);
    expect(neighbour.trim()).toBe("HTTP/1.1 403 Forbidden");
    await docker(["rm", "-f", me]);
  });

  it("without --pid host it cannot see the engine's process: kernel facts are unavailable, saying so, never its own namespace's", async () => {
    const port = await freeTcpPort(3920);
    const line = asThisRun(await documentedRunLine(DESKTOP_LINE), "img-nopid", port);
    const at = line.indexOf("--pid");
    line.splice(at, 2);
    const me = await startImage(line, port);
    const topology = await getFrom<Topology>(port, "/api/topology?fresh=1");
    const [host] = Object.values(topology.hosts);
    expect(host?.kernel.visible).toBe(false);
    expect(host?.kernel.reason).toMatch(/is visible from here.*--pid host/);
    expect(host?.interfaces).toEqual([]);
    expect(topology.containers[web.id]?.interfaces).toEqual([]);
    await docker(["rm", "-f", me]);
  });

  it("a publish on every address of the host is refused without a token, saying so", async () => {
    const port = await freeTcpPort(3919);
    const argv = asThisRun(await documentedRunLine(DESKTOP_LINE), "img-wide", port).map((a) =>
      a === `127.0.0.1:${port}:${port}` ? `${port}:${port}` : a,
    );
    const id = (await docker(argv)).trim();
    const code = (await docker(["wait", id], { timeoutMs: 30_000 })).trim();
    const logs = await tryExecArgv("docker", ["logs", id]);
    expect(code).toBe("2");
    expect(logs.stderr).toContain("published on 0.0.0.0:");
    expect(logs.stderr).toContain(`publish it as -p 127.0.0.1:${port}:${port}, or pass --token`);
    await docker(["rm", "-f", id]);
  });
});
