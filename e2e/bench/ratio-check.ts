/**
 * ratio-check: an independent second measurement of "fresh collection ≤ 1.5x the floor".
 *
 * What it measures, on the real engine at unix:///var/run/docker.sock:
 *   - collect: `GET /api/topology?fresh=1` on a netdive server this script starts itself, body read to the end;
 *   - floor:   the same facts fetched by a minimal client (node:http over the unix socket, sysfs and procfs reads),
 *              with nothing of netdive's code in the path; two variants, "tight" and "phased" (see "The floor").
 * It creates its own load (120 containers over 3 user-defined bridges by default, `--containers=N` to change), waits
 * for the machine to settle, warms each up once, then alternates tight floor, collect and phased floor 9 times each and
 * prints per-run times and CPU (this script, netdive's server, dockerd), medians with min–max, the ratio of medians
 * and the median of per-pair ratios, the load average and the container count. PASS/MISS is judged on the tight
 * floor; it exits 0 on a miss too: it reports, it does not gate.
 *
 * How it differs from the project's bench (e2e/bench/run.ts): written without reading it or e2e/bench/engine-floor.ts,
 * it shares no code with them or with netdive (no @netdive/* import, no dockerode): its own HTTP client, its own load,
 * its own cleanup, so a mistake in one of the two measurements does not hide in both.
 *
 * Everything it creates is named `nd-chk-<runid>-…` and labelled `io.netdive.check=<runid>`, and is removed by that
 * label at the end, on failure and on Ctrl-C. Nothing else on the engine is touched.
 *
 *   pnpm bench:ratio-check [--containers=120] [--runs=9]   (builds the server, then runs this file with tsx)
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { Agent, request } from "node:http";
import { createServer } from "node:net";
import { cpus, loadavg } from "node:os";
import { dirname, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

const SOCKET = "/var/run/docker.sock";
const DOCKER_HOST = `unix://${SOCKET}`;
const IMAGE = "netdive/lab:latest"; // what docker/lab-image.sh builds
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const TARGET = 1.5;
const NETWORKS = 3;
const CREATE_PARALLEL = 4;
const INSPECT_IN_FLIGHT = 8;
const LINK_FILES = ["ifindex", "iflink", "address", "mtu", "operstate"] as const;
const CLOCK_TICKS = 100; // USER_HZ: the unit of utime and stime in /proc/<pid>/stat on Linux

interface Options {
  containers: number;
  runs: number;
}

class CheckError extends Error {
  override name = "CheckError";
}

// ---------------------------------------------------------------------------------------------------------------------
// Small helpers

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { containers: 120, runs: 9 };
  for (const arg of argv) {
    const match = /^--(containers|runs)=(\d+)$/.exec(arg);
    if (!match) throw new CheckError(`unknown argument "${arg}" — use --containers=N and --runs=N`);
    const value = Number(match[2]);
    if (value < 1) throw new CheckError(`--${match[1]} must be 1 or more, not ${value}`);
    options[match[1] as keyof Options] = value;
  }
  return options;
}

function sh(file: string, args: readonly string[], timeoutMs = 120_000): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      file,
      [...args],
      { cwd: REPO, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, DOCKER_HOST } },
      (err, stdout, stderr) => {
        if (err)
          reject(new CheckError(`\`${file} ${args.join(" ")}\` failed: ${String(stderr).trim() || err.message}`));
        else resolvePromise(String(stdout));
      },
    );
  });
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>) {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i] as T, i);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const spread = (values: readonly number[]) =>
  `${median(values).toFixed(1)} ms (min ${Math.min(...values).toFixed(1)} – max ${Math.max(...values).toFixed(1)})`;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

// ---------------------------------------------------------------------------------------------------------------------
// Engine and load

/** An engine must answer; if none does, try the repo's own scripts once, then fail with a sentence. */
async function ensureEngine(): Promise<string> {
  const version = () => sh("docker", ["version", "--format", "{{.Server.Version}}"], 15_000).then((v) => v.trim());
  try {
    return await version();
  } catch {
    console.log(`no engine answers at ${DOCKER_HOST}; running docker/ensure-engine.sh`);
    await sh("bash", ["docker/ensure-engine.sh"], 180_000).catch(() => undefined);
  }
  try {
    return await version();
  } catch (err) {
    throw new CheckError(
      `no Docker engine answers at ${DOCKER_HOST}, even after docker/ensure-engine.sh (${(err as Error).message}) — start dockerd and run again`,
    );
  }
}

async function ensureImage(): Promise<void> {
  try {
    await sh("docker", ["image", "inspect", "--format", "{{.Id}}", IMAGE], 15_000);
  } catch {
    console.log(`${IMAGE} is missing; building it with docker/lab-image.sh`);
    await sh("bash", ["docker/lab-image.sh"], 300_000);
  }
}

/** The load and its cleanup. Cleanup is by label only, so it removes exactly what this run made. */
class Load {
  readonly prefix: string;
  readonly label: string;
  private creating = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(readonly runId: string) {
    this.prefix = `nd-chk-${runId}-`;
    this.label = `io.netdive.check=${runId}`;
  }

  async create(count: number): Promise<void> {
    const networks: string[] = [];
    for (let n = 0; n < NETWORKS; n++) {
      const name = `${this.prefix}net${n}`;
      await this.track(sh("docker", ["network", "create", "--driver", "bridge", "--label", this.label, name]));
      networks.push(name);
    }
    const started = performance.now();
    let done = 0;
    await mapLimit(
      Array.from({ length: count }, (_, i) => i),
      CREATE_PARALLEL,
      async (i) => {
        if (this.stopped) throw new CheckError("interrupted while creating containers");
        await this.track(this.runContainer(i, networks[i % NETWORKS] as string));
        if (++done % 20 === 0 || done === count) {
          const secs = ((performance.now() - started) / 1000).toFixed(0);
          console.log(`  ${done}/${count} containers running (${secs} s, load ${load()})`);
        }
      },
    );
  }

  private runContainer(i: number, network: string): Promise<string> {
    const name = `${this.prefix}c${String(i).padStart(3, "0")}`;
    const limits = ["--memory", "32m", "--pids-limit", "16"];
    const args = ["run", "-d", "--name", name, "--label", this.label, "--network", network, ...limits];
    return sh("docker", [...args, IMAGE, "sleep", "86400"]);
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.creating.add(work);
    const forget = () => this.creating.delete(work);
    work.then(forget, forget);
    return work;
  }

  /** Containers first (`docker rm -f`), then networks; listed by label, twice to catch late creations. */
  async remove(): Promise<void> {
    this.stopped = true;
    await Promise.race([Promise.allSettled([...this.creating]), sleep(60_000)]);
    for (let pass = 0; pass < 2; pass++) {
      const ids = await this.listByLabel(["ps", "-aq"]);
      for (let i = 0; i < ids.length; i += 50) await sh("docker", ["rm", "-f", ...ids.slice(i, i + 50)], 300_000);
      const nets = await this.listByLabel(["network", "ls", "-q"]);
      if (nets.length > 0) await this.removeNetworks(nets);
      if (ids.length === 0 && nets.length === 0) return;
    }
  }

  private async listByLabel(command: string[]): Promise<string[]> {
    return (await sh("docker", [...command, "--filter", `label=${this.label}`])).split("\n").filter(Boolean);
  }

  /** The engine may count an endpoint of a just-removed container for a moment longer: retry, then say so. */
  private async removeNetworks(ids: string[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await sh("docker", ["network", "rm", ...ids]);
        return;
      } catch (err) {
        const left = await this.listByLabel(["network", "ls", "-q"]);
        if (left.length === 0) return;
        if (attempt === 5) {
          throw new CheckError(
            `could not remove network(s) ${left.join(" ")} after ${attempt} tries (${(err as Error).message}) — the engine still counts endpoints of removed containers; run \`docker network rm ${left.join(" ")}\` again later (a dockerd restart clears a stale count)`,
          );
        }
        ids = left;
        await sleep(2000);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// netdive's server

function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePromise(port));
    });
  });
}

class NetdiveServer {
  private child: ChildProcess | null = null;
  private output = "";
  private exited: Promise<void> = Promise.resolve();

  constructor(readonly port: number) {}

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    // The server as `pnpm start` runs it: the bundle (`pnpm bench:ratio-check` builds it first).
    const args = ["apps/server/dist/main.mjs", "--port", String(this.port), "--log-level", "warn"];
    const child = spawn(process.execPath, args, { cwd: REPO, env: { ...process.env, DOCKER_HOST } });
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-8000);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    this.exited = new Promise((r) => child.once("exit", () => r()));
    this.child = child;
  }

  /** Polls `GET /api/topology` until every container of this run is in it with its namespace read. */
  async waitForAll(prefix: string, count: number, timeoutMs = 180_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let seen = "no answer yet";
    while (Date.now() < deadline) {
      if (this.child?.exitCode !== null) {
        throw new CheckError(
          `netdive's server exited (code ${this.child?.exitCode}) before it was ready:\n${this.output}`,
        );
      }
      try {
        const topology = (await (await fetch(`${this.base}/api/topology`)).json()) as TopologyShape;
        const ours = Object.values(topology.containers ?? {}).filter((c) => c.name.startsWith(prefix));
        const visible = ours.filter((c) => c.kernel?.visible && (c.interfaces?.length ?? 0) > 0);
        seen = `${ours.length}/${count} containers listed, ${visible.length} with interfaces read`;
        if (ours.length === count && visible.length === count) return;
      } catch (err) {
        seen = (err as Error).message;
      }
      await sleep(1000);
    }
    throw new CheckError(
      `netdive's server did not list all ${count} containers within ${timeoutMs / 1000} s (${seen})`,
    );
  }

  async stop(): Promise<void> {
    if (!this.child || this.child.exitCode !== null) return;
    this.child.kill("SIGTERM");
    const gone = await Promise.race([this.exited.then(() => true), sleep(5000).then(() => false)]);
    if (!gone) this.child.kill("SIGKILL");
  }
}

interface TopologyShape {
  containers?: Record<string, { name: string; kernel?: { visible: boolean }; interfaces?: unknown[] }>;
}

/** One fresh collection, body read to the end. */
async function collect(server: NetdiveServer): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${server.base}/api/topology?fresh=1`);
  const body = await res.text();
  const ms = performance.now() - started;
  if (!res.ok) throw new CheckError(`GET /api/topology?fresh=1 answered ${res.status}: ${body.slice(0, 300)}`);
  return ms;
}

// ---------------------------------------------------------------------------------------------------------------------
// The floor
//
// What is a fair floor for "the same facts"? netdive's topology holds: every container (running or not) with its
// inspect data, every network, each running container's interfaces (name, ifindex, peer ifindex, MAC, MTU, state) and
// addresses, and the host side (veth ends, bridges, default route). A floor is the least work that fetches those:
//   - engine: containers/json?all=1 and networks in parallel, then one inspect per container, 8 in flight (netdive's
//     own concurrency), every body JSON-parsed (netdive must parse them too, so parsing is not overhead);
//   - kernel, per running container that owns its netns: the five link files of each interface under
//     /proc/<pid>/root/sys/class/net/*/, /proc/<pid>/net/fib_trie (IPv4 addresses) and /proc/<pid>/net/if_inet6
//     (IPv6 addresses: one small read, and the topology shows IPv6 addresses too);
//   - host: the same five link files for every host interface and /proc/net/route (timed apart, see below).
// Raw files, not `ip -j addr` through nsenter: the floor is the cheapest way to the facts, and netdive itself answers
// an unchanged namespace from a fingerprint of these same files. Not in the floor, deliberately: building and
// serving the topology JSON (the overhead the ratio is meant to show), netdive's pid/cgroup safety check, and a new
// connection per request (the floor keeps its sockets alive: it is a floor).
//
// Two floors are measured, because "the least work" depends on how the client is written:
//   - tight (the one PASS/MISS is judged on): each inspect's namespace is read as soon as the inspect answers (no
//     barrier between phases), and the procfs/sysfs files are read synchronously: they are generated by the kernel
//     and never wait on a disk, so going through libuv's 4-thread pool only adds round trips;
//   - phased: lists, then all inspects, then all namespaces (8 at a time), with fs/promises reads. This is the
//     straightforward client; if netdive beats it, it is not a floor, which is worth seeing.
// The host read is in both; netdive may skip it when `ip monitor` saw no change, so it is also reported on its own.

const engineAgent = new Agent({ keepAlive: true, maxSockets: 16 });

function engineGet(path: string): Promise<unknown> {
  return new Promise((resolvePromise, reject) => {
    const req = request({ socketPath: SOCKET, path, agent: engineAgent, headers: { host: "docker" } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        if (res.statusCode !== 200) reject(new CheckError(`engine answered ${res.statusCode} to ${path}: ${text}`));
        else resolvePromise(JSON.parse(text));
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

interface Inspect {
  Id: string;
  State: { Running: boolean; Pid: number };
  HostConfig: { NetworkMode?: string };
}

interface FloorRead {
  containers: number;
  namespaces: number;
  /** Phased floor only: time to the lists, to all inspects, to all namespace reads. */
  phases?: { listsMs: number; inspectMs: number; kernelMs: number };
  /** Tight floor only: the synchronous host read. */
  hostMs?: number;
}

function ownsNetns(c: Inspect): boolean {
  const mode = c.HostConfig.NetworkMode ?? "default";
  return c.State.Running && c.State.Pid > 0 && mode !== "host" && !mode.startsWith("container:");
}

const listBoth = (api: string) =>
  Promise.all([engineGet(`/${api}/containers/json?all=1`), engineGet(`/${api}/networks`)]) as Promise<
    [Array<{ Id: string }>, unknown[]]
  >;

const inspect = (api: string, id: string) => engineGet(`/${api}/containers/${id}/json`) as Promise<Inspect>;

function readOrSync(path: string, fallback: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return fallback;
  }
}

function readLinksSync(classNet: string): number {
  let bytes = 0;
  for (const name of readdirSync(classNet)) {
    for (const f of LINK_FILES) bytes += readOrSync(`${classNet}/${name}/${f}`, "?").length;
  }
  return bytes;
}

function readNetnsSync(pid: number): number {
  const links = readLinksSync(`/proc/${pid}/root/sys/class/net`);
  return (
    links +
    readFileSync(`/proc/${pid}/net/fib_trie`, "utf8").length +
    readOrSync(`/proc/${pid}/net/if_inet6`, "").length
  );
}

async function readLinks(classNet: string): Promise<string[]> {
  const names = await readdir(classNet);
  return Promise.all(
    names.flatMap((name) => LINK_FILES.map((f) => readFile(`${classNet}/${name}/${f}`, "utf8").catch(() => "?"))),
  );
}

async function readNetns(pid: number): Promise<number> {
  const [links, fib, inet6] = await Promise.all([
    readLinks(`/proc/${pid}/root/sys/class/net`),
    readFile(`/proc/${pid}/net/fib_trie`, "utf8"),
    readFile(`/proc/${pid}/net/if_inet6`, "utf8").catch(() => ""),
  ]);
  return links.length + fib.length + inet6.length;
}

async function tightFloor(api: string): Promise<FloorRead> {
  const lists = listBoth(api);
  // One turn of the loop sends the list requests; the host is read while the engine answers them.
  await new Promise((r) => setImmediate(r));
  const hostStarted = performance.now();
  readLinksSync("/sys/class/net");
  readFileSync("/proc/net/route", "utf8");
  const hostMs = performance.now() - hostStarted;
  const [list] = await lists;
  let namespaces = 0;
  await mapLimit(list, INSPECT_IN_FLIGHT, async (c) => {
    const raw = await inspect(api, c.Id);
    if (!ownsNetns(raw)) return;
    readNetnsSync(raw.State.Pid);
    namespaces++;
  });
  return { containers: list.length, namespaces, hostMs };
}

async function phasedFloor(api: string): Promise<FloorRead> {
  const t0 = performance.now();
  const hostRead = Promise.all([readLinks("/sys/class/net"), readFile("/proc/net/route", "utf8")]);
  const [list] = await listBoth(api);
  const t1 = performance.now();
  const inspected = await mapLimit(list, INSPECT_IN_FLIGHT, (c) => inspect(api, c.Id));
  const t2 = performance.now();
  const owners = inspected.filter(ownsNetns);
  await Promise.all([hostRead, mapLimit(owners, INSPECT_IN_FLIGHT, (c) => readNetns(c.State.Pid))]);
  const t3 = performance.now();
  const phases = { listsMs: t1 - t0, inspectMs: t2 - t1, kernelMs: t3 - t2 };
  return { containers: list.length, namespaces: owners.length, phases };
}

// ---------------------------------------------------------------------------------------------------------------------
// Measurement

/** User+system CPU of a process in ms, from /proc/<pid>/stat (NaN when it cannot be read). */
function procCpuMs(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

function dockerdPid(): number | undefined {
  const pid = Number(readOrSync("/var/run/docker.pid", "").trim());
  return pid > 0 ? pid : undefined;
}

interface Sample {
  ms: number;
  /** CPU used meanwhile by this script, by netdive's server and by dockerd. */
  clientCpuMs: number;
  serverCpuMs: number;
  engineCpuMs: number;
}

interface Round {
  tight: Sample & { read: FloorRead };
  phased: Sample & { read: FloorRead };
  collect: Sample;
}

async function sample<T>(pids: { server?: number; engine?: number }, work: () => Promise<T>) {
  const client = process.cpuUsage();
  const server = procCpuMs(pids.server);
  const engine = procCpuMs(pids.engine);
  const started = performance.now();
  const result = await work();
  const ms = performance.now() - started;
  const used = process.cpuUsage(client);
  return {
    ms,
    clientCpuMs: (used.user + used.system) / 1000,
    serverCpuMs: procCpuMs(pids.server) - server,
    engineCpuMs: procCpuMs(pids.engine) - engine,
    result,
  };
}

/** Waits (up to 90 s) until the machine is mostly idle: the containers just started still settle for a while. */
async function waitForQuiet(maxMs = 90_000): Promise<string> {
  const busy = async () => {
    const read = () => (readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "").split(/\s+/).slice(1).map(Number);
    const a = read();
    await sleep(2000);
    const b = read();
    const d = b.map((v, i) => v - (a[i] ?? 0));
    const total = d.reduce((x, y) => x + y, 0);
    return total > 0 ? 1 - ((d[3] ?? 0) + (d[4] ?? 0)) / total : 0;
  };
  const started = Date.now();
  let quietInARow = 0;
  let last = 1;
  while (Date.now() - started < maxMs && quietInARow < 2) {
    last = await busy();
    quietInARow = last < 0.2 ? quietInARow + 1 : 0;
  }
  const secs = ((Date.now() - started) / 1000).toFixed(0);
  return `${quietInARow >= 2 ? "quiet" : "still busy"}: CPU ${(last * 100).toFixed(0)}% busy after ${secs} s`;
}

async function measure(server: NetdiveServer, api: string, runs: number): Promise<Round[]> {
  const pids = { server: server.pid, engine: dockerdPid() };
  await tightFloor(api); // one warm-up of each
  await phasedFloor(api);
  await collect(server);
  console.log("");
  console.log("  run    tight  phased  collect   c/tight  c/phased   server CPU ms      dockerd CPU ms   engine");
  console.log("          (ms)    (ms)     (ms)                        floors  collect    tight  collect   ctrs");
  const rounds: Round[] = [];
  for (let i = 0; i < runs; i++) {
    const t = await sample(pids, () => tightFloor(api));
    const c = await sample(pids, () => collect(server));
    const p = await sample(pids, () => phasedFloor(api));
    const round = { tight: { ...t, read: t.result }, phased: { ...p, read: p.result }, collect: c };
    rounds.push(round);
    console.log(formatRound(i + 1, round));
  }
  return rounds;
}

function formatRound(n: number, r: Round): string {
  const num = (v: number, width: number, digits = 0) => (Number.isNaN(v) ? "n/a" : v.toFixed(digits)).padStart(width);
  const floorServerCpu = r.tight.serverCpuMs + r.phased.serverCpuMs;
  // netdive's server should idle while the floors run; CPU there means its background reconcile overlapped them.
  const flag = floorServerCpu > 30 ? " *" : "";
  return (
    [
      `  ${String(n).padStart(3)}`,
      num(r.tight.ms, 8, 1),
      num(r.phased.ms, 7, 1),
      num(r.collect.ms, 8, 1),
      `${num(r.collect.ms / r.tight.ms, 8, 2)}x`,
      `${num(r.collect.ms / r.phased.ms, 8, 2)}x`,
      num(floorServerCpu, 9),
      num(r.collect.serverCpuMs, 8),
      num(r.tight.engineCpuMs, 8),
      num(r.collect.engineCpuMs, 8),
      num(r.tight.read.containers, 6),
    ].join(" ") + flag
  );
}

// ---------------------------------------------------------------------------------------------------------------------
// Report

const ratioLine = (label: string, rounds: Round[], floorOf: (r: Round) => number) => {
  const ofMedians = median(rounds.map((r) => r.collect.ms)) / median(rounds.map(floorOf));
  const perPair = median(rounds.map((r) => r.collect.ms / floorOf(r)));
  console.log(
    `  ${label}: ratio of medians ${ofMedians.toFixed(2)}x, median of per-pair ratios ${perPair.toFixed(2)}x`,
  );
  return ofMedians;
};

function report(rounds: Round[], ours: number, loadBefore: string, quiet: string): void {
  const med = (f: (r: Round) => number) => median(rounds.map(f)).toFixed(0);
  const phase = (key: "listsMs" | "inspectMs" | "kernelMs") => med((r) => r.phased.read.phases?.[key] ?? Number.NaN);
  const last = (rounds[rounds.length - 1] as Round).tight.read;
  const flagged = rounds.filter((r) => r.tight.serverCpuMs + r.phased.serverCpuMs > 30).length;
  const counts = new Set(rounds.flatMap((r) => [r.tight.read.containers, r.phased.read.containers]));
  console.log("");
  console.log(`containers: ${ours} of this run, ${last.containers} on the engine, ${last.namespaces} namespaces read`);
  console.log(`tight floor:  ${spread(rounds.map((r) => r.tight.ms))}`);
  console.log(`              host sysfs read ${med((r) => r.tight.read.hostMs ?? Number.NaN)} ms of it (median)`);
  console.log(
    `              CPU per run: client ${med((r) => r.tight.clientCpuMs)} ms, dockerd ${med((r) => r.tight.engineCpuMs)} ms`,
  );
  console.log(`phased floor: ${spread(rounds.map((r) => r.phased.ms))}`);
  console.log(
    `              phases: lists ${phase("listsMs")} ms, inspects ${phase("inspectMs")} ms, namespaces ${phase("kernelMs")} ms`,
  );
  console.log(
    `              CPU per run: client ${med((r) => r.phased.clientCpuMs)} ms, dockerd ${med((r) => r.phased.engineCpuMs)} ms`,
  );
  console.log(`collect:      ${spread(rounds.map((r) => r.collect.ms))}`);
  console.log(
    `              CPU per run: netdive server ${med((r) => r.collect.serverCpuMs)} ms, dockerd ${med((r) => r.collect.engineCpuMs)} ms, client ${med((r) => r.collect.clientCpuMs)} ms`,
  );
  if (flagged > 0)
    console.log(`  * ${flagged} run(s): netdive's server used CPU during the floors (background reconcile)`);
  if (counts.size > 1) {
    const seen = [...counts].sort((a, b) => a - b).join(", ");
    console.log(`  ! the engine's container count changed during the rounds (${seen}): something else used the engine`);
  }
  console.log("ratios (collect / floor):");
  const tight = ratioLine("vs tight floor ", rounds, (r) => r.tight.ms);
  ratioLine("vs phased floor", rounds, (r) => r.phased.ms);
  console.log(
    `load average: before ${loadBefore}, after ${load()} (${cpus().length} CPUs; before measuring: ${quiet})`,
  );
  const verdict = tight <= TARGET ? "PASS" : "MISS";
  console.log(`${verdict}: fresh collection is ${tight.toFixed(2)}x the tight floor (target ≤ ${TARGET}x)`);
}

/** Which netdive ran: the commit, and whether the server's sources had uncommitted changes (read-only git calls). */
async function describeSource(): Promise<string> {
  try {
    const head = (await sh("git", ["rev-parse", "--short", "HEAD"], 10_000)).trim();
    const dirty = (await sh("git", ["diff", "--name-only", "HEAD", "--", "apps/server/src", "packages"], 10_000))
      .split("\n")
      .filter(Boolean);
    return dirty.length === 0 ? `HEAD ${head}` : `HEAD ${head} + uncommitted changes in ${dirty.join(", ")}`;
  } catch {
    return "unknown (no git)";
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const runId = `${Date.now().toString(36)}${Math.random().toString(16).slice(2, 6)}`;
  const workload = new Load(runId);
  const server = new NetdiveServer(await freePort());
  let cleaning: Promise<void> | null = null;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await server.stop().catch(() => undefined);
      console.log(`removing everything labelled ${workload.label}`);
      await workload.remove();
    })());
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: stopping and cleaning up`);
    void cleanup()
      .catch((err: unknown) => console.error(`ratio-check: cleanup failed: ${(err as Error).message}`))
      .finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  try {
    const version = await ensureEngine();
    await ensureImage();
    const info = (await engineGet("/version")) as { ApiVersion: string };
    const api = `v${info.ApiVersion}`;
    console.log(`engine ${version} (API ${info.ApiVersion}) at ${DOCKER_HOST}; run id ${runId}`);
    console.log(`netdive source: ${await describeSource()}`);
    console.log(`creating ${options.containers} containers over ${NETWORKS} bridges, ${CREATE_PARALLEL} at a time`);
    await workload.create(options.containers);
    server.start();
    await server.waitForAll(workload.prefix, options.containers);
    console.log(`netdive on port ${server.port} lists all ${options.containers} containers`);
    const quiet = await waitForQuiet();
    console.log(`machine ${quiet}; measuring (${options.runs} rounds of tight floor, collect, phased floor)`);
    const loadBefore = load();
    const rounds = await measure(server, api, options.runs);
    report(rounds, options.containers, loadBefore, quiet);
  } finally {
    await cleanup();
    engineAgent.destroy();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`ratio-check: ${err instanceof CheckError ? err.message : ((err as Error).stack ?? String(err))}`);
    process.exit(1);
  },
);
