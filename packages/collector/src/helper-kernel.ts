import Docker from "dockerode";
import { mapLimit, type NetnsRead, type RawContainer } from "@netdive/model";
import { ownsNetns } from "./collector";
import { openNegotiated } from "./docker-api";
import { modemOptions, type EngineTls } from "./engine-endpoint";
import { describeDockerError } from "./errors";
import { runHelper } from "./helper-run";
import type { DnsRulesRead, HostFirewall, HostRead, KernelReader } from "./kernel";
import { kernelFactsArgs, parseKernelFacts, type FactsTarget, type KernelFacts } from "./kernel-facts";

/**
 * Least time between the starts of two helper runs on one engine. A run is a container's create,
 * start, exit and removal plus a Node start on the engine's host: ~0.5 s of wall time here, up
 * to ~1.7 s on a loaded machine (docs/benchmarks.md), and four events in the stream of everyone
 * who watches that engine. One every 5 s at most keeps a burst of changes (a `compose up`) to
 * ~10% of the engine's time while the picture still catches up within 5 s; when nothing changes,
 * runs follow the reconcile, which waits 20x a full read's duration (>= 10 s with a helper in it).
 */
export const HELPER_MIN_INTERVAL_MS = 5_000;

/**
 * A helper run's time limit, create to removed: 10-40x a run's time here, so a loaded engine or a
 * slow link is waited for, while a wedged run is killed long before the next reconcile would
 * want another. The helper also ends itself after this long (kernel-facts-mode.ts), netdive or not.
 */
export const HELPER_TIMEOUT_MS = 20_000;

/** The engine calls a helper reader makes; small so tests can give a fake. */
export interface HelperEngine {
  /** The running containers that own a network namespace, with their engine pids, and the engine's firewall backend. */
  targets(): Promise<{ targets: FactsTarget[]; firewallBackend?: string }>;
  /** One helper run for these targets; throws an Error whose message says what failed and what to do. */
  run(targets: readonly FactsTarget[], firewallBackend?: string): Promise<KernelFacts>;
}

export interface HelperKernelOptions {
  /** The engine, for messages. */
  url: string;
  engine: HelperEngine;
  /** Least time between two runs' starts; {@link HELPER_MIN_INTERVAL_MS} unless told. */
  minIntervalMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** One run's result: the facts, or why there are none. */
type Batch = { startedAt: number; facts: KernelFacts } | { startedAt: number; reason: string };

const sleepUnref = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * Kernel facts of an engine netdive cannot read itself, from its helper container
 * (`--kernel-helper`): one run reads the host and every running container's namespace and DNS
 * hooks at once. A collection gets one run at most (its namespace reads are served from it), a
 * re-read after events gets a run that starts after it was asked for, and runs start at least
 * `minIntervalMs` apart: requests in between wait for the next run and share it.
 */
export class HelperKernel implements KernelReader {
  private last: Batch | null = null;
  private running: Promise<Batch> | null = null;
  /** The next run, waiting for its turn, and the containers asked for besides the engine's list. */
  private queued: { extra: Map<string, FactsTarget>; done: Promise<Batch> } | null = null;
  private lastStart = Number.NEGATIVE_INFINITY;
  private closed = false;
  /** How many runs have started (tests and the benchmark). */
  runs = 0;
  private readonly minIntervalMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: HelperKernelOptions) {
    this.minIntervalMs = options.minIntervalMs ?? HELPER_MIN_INTERVAL_MS;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? sleepUnref;
  }

  async unavailableReason(): Promise<string | null> {
    return null;
  }

  async readHost(options?: { cached?: boolean }): Promise<HostRead> {
    // A collection (`cached`) takes a run under way or one started moments ago; a re-read after
    // events needs a run that starts after them.
    const batch = options?.cached ? await this.recent() : await this.fresh();
    return "facts" in batch ? structuredClone(batch.facts.host) : { ok: false, reason: batch.reason };
  }

  async readNetns(containerId: string, pid: number): Promise<NetnsRead> {
    const read = await this.entry(containerId, pid);
    return "reason" in read ? { ok: false, reason: read.reason } : structuredClone(read.netns);
  }

  async readDnsRules(containerId: string, pid: number): Promise<DnsRulesRead> {
    const read = await this.entry(containerId, pid);
    return "reason" in read ? { ok: false, reason: read.reason } : structuredClone(read.dnsRules);
  }

  /** Per-namespace files of the engine's host (conntrack) are on another machine: not readable here. */
  async hostProc(): Promise<null> {
    return null;
  }

  /** The host's firewall as the latest run read it (a run moments old, or a new one). */
  async readFirewall(): Promise<HostFirewall> {
    const batch = await this.recent();
    if (!("facts" in batch))
      return { rules: { ok: false, reason: batch.reason }, proxies: { ok: false, reason: batch.reason } };
    const reason = `The helper image on ${this.options.url} is older than this netdive and does not read the firewall — load this netdive's image there.`;
    return structuredClone(batch.facts.firewall) ?? { rules: { ok: false, reason }, proxies: { ok: false, reason } };
  }

  close(): void {
    this.closed = true;
  }

  private async entry(id: string, pid: number): Promise<KernelFacts["containers"][string] | { reason: string }> {
    const batch = await this.covering({ id, pid });
    if ("reason" in batch) return { reason: batch.reason };
    const entry = batch.facts.containers[id];
    if (entry?.pid === pid) return entry;
    return { reason: "The container was not running with this process when the kernel helper read the engine." };
  }

  /**
   * The newest run that read this container at this pid: one under way or waiting (a re-read
   * after events started it, and its facts are newer), else the last; else a new one.
   */
  private async covering(target: FactsTarget): Promise<Batch> {
    const pending = this.queued?.done ?? this.running;
    if (pending) {
      const batch = await pending;
      if (covers(batch, target) || "reason" in batch) return batch;
    } else if (this.last && (covers(this.last, target) || ("reason" in this.last && this.young(this.last)))) {
      // A failed run's reason stands until the next turn: not one new run per container.
      return this.last;
    }
    return this.fresh(target);
  }

  private young(batch: Batch): boolean {
    return this.now() - batch.startedAt < this.minIntervalMs;
  }

  /** For a collection: a run under way or waiting, a run started less than the interval ago, or a new one. */
  private async recent(): Promise<Batch> {
    const pending = this.running ?? this.queued?.done;
    if (pending) return pending;
    if (this.last && this.young(this.last)) return this.last;
    return this.fresh();
  }

  /** A run that starts after this call: the waiting one, or a new one that waits for its turn. */
  private fresh(extra?: FactsTarget): Promise<Batch> {
    if (this.queued) {
      if (extra) this.queued.extra.set(extra.id, extra);
      return this.queued.done;
    }
    const extraTargets = new Map<string, FactsTarget>(extra ? [[extra.id, extra]] : []);
    const turn = async (): Promise<Batch> => {
      // Yield first, so this run is the queued one before anything can start it.
      await Promise.resolve();
      while (this.running) await this.running;
      const wait = this.lastStart + this.minIntervalMs - this.now();
      if (wait > 0) await this.sleep(wait);
      if (this.queued?.extra === extraTargets) this.queued = null;
      return this.start([...extraTargets.values()]);
    };
    const queued = { extra: extraTargets, done: turn() };
    this.queued = queued;
    return queued.done;
  }

  private async start(extra: readonly FactsTarget[]): Promise<Batch> {
    const startedAt = this.now();
    this.lastStart = startedAt;
    const run = (async (): Promise<Batch> => {
      if (this.closed) return { startedAt, reason: "netdive is shutting down." };
      this.runs++;
      try {
        const { targets, firewallBackend } = await this.options.engine.targets();
        const listed = new Set(targets.map((t) => t.id));
        const all = [...targets, ...extra.filter((t) => !listed.has(t.id))];
        return { startedAt, facts: await this.options.engine.run(all, firewallBackend) };
      } catch (err) {
        return {
          startedAt,
          reason: `netdive's kernel helper (--kernel-helper) could not read the engine at ${this.options.url}: ${(err as Error).message}.`,
        };
      }
    })();
    this.running = run;
    const batch = await run;
    if (this.running === run) this.running = null;
    this.last = batch;
    return batch;
  }
}

function covers(batch: Batch, target: FactsTarget): boolean {
  return "facts" in batch && batch.facts.containers[target.id]?.pid === target.pid;
}

/** Where the helper runs and as what. */
export interface DockerHelperOptions {
  url: string;
  /** The netdive image to run (netdive:latest unless `--kernel-helper-image` says otherwise). */
  image: string;
  timeoutMs?: number;
  /** Labels the helper carries besides its own (a test's run labels). */
  labels?: Readonly<Record<string, string>>;
  /** For a `tcp://` engine: its TLS material, as netdive's own connection to it has. */
  tls?: EngineTls;
}

/** The helper engine on a real engine, through dockerode; the connection opens on first use, again after a failure. */
export function dockerHelperEngine(options: DockerHelperOptions): HelperEngine {
  const { url, image } = options;
  const timeoutMs = options.timeoutMs ?? HELPER_TIMEOUT_MS;
  let connection: Promise<{ docker: Docker; streams: Docker }> | null = null;
  const connect = () =>
    (connection ??= openNegotiated(url, 10_000, options.tls).then(
      ({ docker, apiVersion }) => ({
        docker,
        // Attach and wait last as long as the run: no per-request timeout on them.
        streams: new Docker({ ...modemOptions(url, 0, options.tls), version: `v${apiVersion}` }),
      }),
      (err: unknown) => {
        connection = null;
        throw new Error(describeDockerError(err, url), { cause: err });
      },
    ));
  const engineCall = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (err) {
      if (typeof (err as { statusCode?: unknown }).statusCode !== "number") connection = null;
      throw err;
    }
  };

  return {
    targets: () =>
      engineCall(async () => {
        const { docker } = await connect();
        const [running, info] = await Promise.all([docker.listContainers(), docker.info()]);
        const inspected = await mapLimit(running, 8, (c) =>
          docker
            .getContainer(c.Id)
            .inspect()
            .catch(() => null),
        );
        const targets = inspected
          .filter((c): c is Docker.ContainerInspectInfo => c !== null && ownsNetns(c as unknown as RawContainer))
          .map((c) => ({ id: c.Id, pid: c.State.Pid }));
        const firewall = (info as { FirewallBackend?: { Driver?: string } }).FirewallBackend?.Driver;
        return { targets, ...(firewall ? { firewallBackend: firewall } : {}) };
      }),
    run: (targets, firewallBackend) =>
      engineCall(async () => {
        const { docker, streams } = await connect();
        const args = kernelFactsArgs(targets, firewallBackend);
        const { stdout } = await runHelper(docker, streams, url, {
          image,
          args,
          timeoutMs,
          ...(options.labels ? { labels: options.labels } : {}),
        });
        try {
          return parseKernelFacts(stdout);
        } catch (err) {
          throw new Error(
            `${image} answered with what this netdive cannot read (${(err as Error).message}) — load this version's image on the engine`,
            { cause: err },
          );
        }
      }),
  };
}
