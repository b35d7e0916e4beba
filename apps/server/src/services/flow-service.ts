import { ownsNetns, type FlowNamespace, type FlowRead } from "@netdive/collector";
import { flowsOf, type FlowsAnswer, type Topology } from "@netdive/model";

/** What the service needs of the topology: the picture and each engine's raw containers (their pids). */
export interface FlowTopology {
  current(): Topology;
  inventoryOf(engineId: string): { containers: ReadonlyArray<Parameters<typeof ownsNetns>[0]> } | undefined;
  /**
   * The /proc entry of a process in the engine's host namespace (its dockerd's, for an engine in a
   * namespace of its own); null when netdive cannot read that namespace itself. Absent: netdive's own.
   */
  hostProcOf?(engineId: string): Promise<string | null | undefined>;
}

export interface FlowServiceOptions {
  /** Reads one engine's tables (collector's createFlowReader; tests inject a fake). */
  read: (engineId: string, namespaces: readonly FlowNamespace[], hostProc?: string) => Promise<FlowRead>;
  windowSeconds: number;
  addresses: boolean;
  /** Least time between two reads, ms: the cost bound (one read a second per engine). */
  minIntervalMs?: number;
  now?: () => number;
  /** Called when a background read fails (it is retried on the next tick). */
  onError?: (err: unknown) => void;
}

/**
 * At most this share of the time goes to reading: a read that took longer than a fifth of the
 * interval spaces the next ones out to five times its length (a conntrack table of tens of
 * thousands of entries, read a page per read(), can take a second), up to {@link MAX_INTERVAL_MS}.
 * Reads as netdive makes them here (conntrack: 5-30 ms; every socket table of 22 containers:
 * 130-190 ms) stay once a second.
 */
const READ_SHARE = 0.2;
const MAX_INTERVAL_MS = 15_000;

/**
 * Who is talking now, read on demand and never more than once a second: a request or a stream
 * tick within the interval gets the last read, concurrent ones share one read. The kernel is
 * read only while someone watches (a stream client that asked, or a request). Where reads are
 * slow the interval grows with them, so flows never take more than a fifth of a core.
 */
export class FlowService {
  private last: { at: number; answer: FlowsAnswer } | null = null;
  private inflight: Promise<FlowsAnswer> | null = null;
  private readonly watchers = new Set<(answer: FlowsAnswer) => void>();
  private timer: NodeJS.Timeout | null = null;
  /** Whether the watchers' read loop runs (a read under way, or the next one scheduled). */
  private looping = false;
  private readonly minIntervalMs: number;
  /** The interval now: the least one, or more after slow reads (READ_SHARE). */
  private intervalMs: number;
  private readonly now: () => number;
  /** How many times the kernel was read (the rate bound's witness). */
  reads = 0;

  constructor(
    private readonly topology: FlowTopology,
    private readonly opts: FlowServiceOptions,
  ) {
    this.minIntervalMs = opts.minIntervalMs ?? 1000;
    this.intervalMs = this.minIntervalMs;
    this.now = opts.now ?? Date.now;
  }

  /** The least time between two reads now, ms (more than the bound after slow reads). */
  get interval(): number {
    return this.intervalMs;
  }

  get windowSeconds(): number {
    return this.opts.windowSeconds;
  }

  /** The flows now: the last read when it is younger than the interval, else a new one. */
  current(): Promise<FlowsAnswer> {
    if (this.last && this.now() - this.last.at < this.intervalMs) return Promise.resolve(this.last.answer);
    this.inflight ??= this.readAll().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  /** Calls `listener` with each read while it watches; the returned function stops it. */
  watch(listener: (answer: FlowsAnswer) => void): () => void {
    this.watchers.add(listener);
    if (!this.looping) {
      this.looping = true;
      this.tick();
    }
    return () => {
      this.watchers.delete(listener);
      if (this.watchers.size === 0) this.stop();
    };
  }

  get watching(): number {
    return this.watchers.size;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.looping = false;
    this.watchers.clear();
  }

  /**
   * One read for the watchers, then the next one as soon as the interval since this read's start
   * has passed. (A fixed setInterval fired a hair before the interval was over, was answered with
   * the previous read, and so read only every other tick: a flow showed up to 2 s late.)
   */
  private tick(): void {
    this.timer = null;
    void this.current()
      .then(
        (answer) => {
          for (const w of this.watchers) w(answer);
        },
        (err: unknown) => this.opts.onError?.(err),
      )
      .finally(() => {
        if (!this.looping || this.watchers.size === 0) return;
        const since = this.last ? this.now() - this.last.at : this.intervalMs;
        this.timer = setTimeout(() => this.tick(), Math.max(0, this.intervalMs - since) + 5);
        this.timer.unref();
      });
  }

  private async readAll(): Promise<FlowsAnswer> {
    const at = this.now();
    this.reads++;
    const topology = this.topology.current();
    const answer: FlowsAnswer = {
      windowSeconds: this.opts.windowSeconds,
      readAt: new Date(at).toISOString(),
      flows: [],
      unavailable: [],
      sources: [],
    };
    for (const engineId of Object.keys(topology.engines)) {
      const kernel = topology.hosts[engineId]?.kernel;
      if (!kernel?.visible) {
        const why = kernel?.reason ?? "the engine has not answered yet";
        answer.unavailable.push({ engineId, reason: `flows need the engine's host kernel: ${why}` });
        continue;
      }
      const names = new Map(Object.values(topology.containers).map((c) => [c.id, c.name]));
      const namespaces = (this.topology.inventoryOf(engineId)?.containers ?? [])
        .filter(ownsNetns)
        .map((raw) => ({ containerId: raw.Id, name: names.get(raw.Id) ?? raw.Id.slice(0, 12), pid: raw.State.Pid }));
      const hostProc = this.topology.hostProcOf ? await this.topology.hostProcOf(engineId) : undefined;
      if (hostProc === null) {
        answer.unavailable.push({
          engineId,
          reason:
            "flows need this machine to see the engine's host namespace; its kernel facts come from elsewhere (a kernel helper), which reads no connection tracking",
        });
        continue;
      }
      const read = await this.opts.read(engineId, namespaces, hostProc ?? undefined);
      answer.flows.push(
        ...flowsOf(topology, read, { windowMs: this.opts.windowSeconds * 1000, addresses: this.opts.addresses }),
      );
      for (const reason of read.unavailable) answer.unavailable.push({ engineId, reason });
      answer.sources.push({ engineId, conntrack: read.conntrack !== null, sockets: read.socketsWhy });
    }
    this.last = { at, answer };
    const took = this.now() - at;
    this.intervalMs = Math.min(MAX_INTERVAL_MS, Math.max(this.minIntervalMs, took / READ_SHARE));
    return answer;
  }
}
