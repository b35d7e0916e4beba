import { EVERYTHING, type EngineInventory, type TouchedIds } from "@netdive/model";
import type { EngineCollector } from "./collector";
import type { DockerEvent } from "./docker-api";
import { EngineLog, type WatchLog } from "./engine-log";
import { describeDockerError } from "./errors";
import { KERNEL_HELPER_LABEL } from "./kernel-facts";

/**
 * A reconcile re-reads everything (at 500 containers ~0.9 s of netdive's and dockerd's CPU) only
 * to catch events the stream lost, so it waits at least this many times its own last duration.
 */
const RECONCILE_COST_FACTOR = 20;

/** What one read touched: everything (a full collection, or the engine lost), or these ids. */
export type Touched = TouchedIds;

const FULL: Touched = EVERYTHING;

export interface WatcherOptions {
  collector: EngineCollector;
  /** Called with the engine's new inventory after every read, and what that read touched. */
  onChange: (inventory: EngineInventory, touched: Touched) => void;
  log: WatchLog;
  /**
   * Least time between full reconciles; stretched to 20x the last full collection's duration, so
   * the safety net for missed events costs at most ~5% of a core and of the engine's time.
   */
  reconcileMs: number;
  /** How long to gather a burst of events before reading what they touched. */
  coalesceMs?: number;
  /** Reconnect backoff bounds. */
  backoffMinMs?: number;
  backoffMaxMs?: number;
  /** Least time between reminders that the engine is still away (a minute unless told). */
  reminderMs?: number;
}

/** Container actions that change what netdive shows; exec_*, attach, top and the like do not. */
const CONTAINER_ACTIONS = new Set([
  "create",
  "start",
  "restart",
  "die",
  "stop",
  "kill",
  "destroy",
  "rename",
  "pause",
  "unpause",
  "update",
  "oom",
]);
/** Actions after which the host's veths have changed. */
const HOST_ACTIONS = new Set(["start", "restart", "die", "destroy", "connect", "disconnect"]);

/**
 * Keeps one engine's inventory live: subscribes to the engine's events before listing (so no
 * change falls between the two), re-reads only what each burst of events touched, reconciles in
 * full now and then for what events do not report, and reconnects with capped, jittered backoff
 * when the engine goes away.
 */
export class EngineWatcher {
  private inventory: EngineInventory | null = null;
  private readonly dirtyContainers = new Set<string>();
  private readonly dirtyNetworks = new Set<string>();
  private hostDirty = false;
  /** Kernel helper containers seen in the event stream and not yet destroyed. */
  private readonly kernelHelpers = new Set<string>();
  private fullDirty = true;
  private timer: NodeJS.Timeout | null = null;
  private reconcileTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  /** The periodic reconcile, collecting in the background while targeted flushes go on. */
  private reconciling: Promise<void> | null = null;
  /** What targeted flushes re-read while the background reconcile was collecting. */
  private touched: { containers: Set<string>; networks: Set<string>; host: boolean } | null = null;
  /** Counts full flushes: a background reconcile that one overtook is dropped, not published. */
  private fullEpoch = 0;
  private readonly stopper = new AbortController();
  private running: Promise<void> | null = null;
  private lastFullMs = 0;
  private markFirstRead: () => void = () => undefined;
  /** Settles once the first inventory (or the engine's absence) has been published. */
  readonly firstRead = new Promise<void>((resolve) => {
    this.markFirstRead = resolve;
  });
  private readonly engineLog: EngineLog;

  constructor(private readonly options: WatcherOptions) {
    this.engineLog = new EngineLog({
      log: options.log,
      ...(options.reminderMs !== undefined ? { reminderMs: options.reminderMs } : {}),
    });
  }

  private publish(inventory: EngineInventory, touched: Touched): void {
    if (this.stopper.signal.aborted) return;
    this.engineLog.seen(inventory);
    this.inventory = inventory;
    this.options.onChange(inventory, touched);
    this.markFirstRead();
  }

  start(): void {
    this.running ??= this.run();
  }

  /** Stops watching; an engine call still in flight is abandoned, not waited for (it may hang). */
  async stop(): Promise<void> {
    this.stopper.abort();
    if (this.timer) clearTimeout(this.timer);
    if (this.reconcileTimer) clearTimeout(this.reconcileTimer);
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([this.running, this.flushing, this.reconciling]),
      new Promise<void>((resolve) => {
        grace = setTimeout(resolve, 1000);
      }),
    ]);
    clearTimeout(grace);
  }

  /** Reads everything anew now (for `?fresh=1`); resolves once it is published. */
  async refresh(): Promise<void> {
    this.fullDirty = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flushNow();
  }

  private async run(): Promise<void> {
    const { collector, log } = this.options;
    let attempt = 0;
    while (!this.stopper.signal.aborted) {
      const session = new AbortController();
      const stopSession = () => session.abort();
      this.stopper.signal.addEventListener("abort", stopSession, { once: true });
      try {
        const api = await collector.docker();
        const { closed } = await api.subscribe((event) => this.onEvent(event), session.signal);
        this.fullDirty = true;
        await this.flushNow();
        if (this.inventory?.engine.reachable) attempt = 0;
        this.scheduleReconcile();
        // The stream fails with Node's bare "aborted" when the engine dies: say what happened.
        await closed.catch((err: unknown) => {
          throw new Error(describeDockerError(err, collector.url), { cause: err });
        });
        if (!this.stopper.signal.aborted) {
          throw new Error(
            `the engine at ${collector.url} closed its event stream — it may be restarting; netdive retries on its own`,
          );
        }
      } catch (err) {
        if (this.stopper.signal.aborted) break;
        collector.disconnect();
        const reason = (err as Error).message;
        // The person at the terminal hears of it from the engine log (lost, reminders, back).
        log.debug({ engine: collector.engineId, attempt }, reason);
        this.publish(collector.unreachable(reason), FULL);
        await sleep(this.backoff(attempt++), this.stopper.signal);
      } finally {
        session.abort();
        this.stopper.signal.removeEventListener("abort", stopSession);
        if (this.reconcileTimer) clearTimeout(this.reconcileTimer);
      }
    }
  }

  /** Full jitter between half and all of an exponential step, capped. */
  private backoff(attempt: number): number {
    const min = this.options.backoffMinMs ?? 250;
    const max = this.options.backoffMaxMs ?? 5_000;
    const step = Math.min(max, min * 2 ** attempt);
    return step / 2 + Math.random() * (step / 2);
  }

  private onEvent(event: DockerEvent): void {
    if (this.isKernelHelper(event)) return;
    if (event.Type === "container" && CONTAINER_ACTIONS.has(event.Action)) {
      this.dirtyContainers.add(event.Actor.ID);
      if (HOST_ACTIONS.has(event.Action)) this.hostDirty = true;
    } else if (event.Type === "network") {
      // Membership is read from the containers; the network itself changes only when it is
      // created or removed, so a connect (one per network at every start) re-reads no network.
      if (!event.Actor.Attributes?.container) this.dirtyNetworks.add(event.Actor.ID);
      const container = event.Actor.Attributes?.container;
      if (container) this.dirtyContainers.add(container);
      if (HOST_ACTIONS.has(event.Action)) this.hostDirty = true;
    } else if (event.Type === "daemon") {
      this.fullDirty = true;
    } else {
      return;
    }
    this.schedule();
  }

  /**
   * A kernel helper's events (its container's, by label, and its network's, by the container they
   * name) change nothing netdive draws; answering them with a host re-read would start another
   * helper run, and so on forever.
   */
  private isKernelHelper(event: DockerEvent): boolean {
    const attributes = event.Actor.Attributes ?? {};
    if (event.Type === "container" && attributes[KERNEL_HELPER_LABEL] === "1") {
      if (event.Action === "destroy") this.kernelHelpers.delete(event.Actor.ID);
      else this.kernelHelpers.add(event.Actor.ID);
      return true;
    }
    return event.Type === "network" && this.kernelHelpers.has(attributes.container ?? "");
  }

  private schedule(): void {
    if (this.timer || this.flushing || this.stopper.signal.aborted) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flushNow();
    }, this.options.coalesceMs ?? 5);
  }

  private scheduleReconcile(): void {
    if (this.reconcileTimer) clearTimeout(this.reconcileTimer);
    const every = Math.max(this.options.reconcileMs, this.lastFullMs * RECONCILE_COST_FACTOR);
    this.reconcileTimer = setTimeout(() => {
      void this.reconcileInBackground();
      this.scheduleReconcile();
    }, every);
    this.reconcileTimer.unref();
  }

  /** Reads what is dirty, one flush at a time; a burst during a flush is read by the next one. */
  private async flushNow(): Promise<void> {
    await this.exclusive(() => this.flushOnce());
  }

  /**
   * Runs `work` when no flush runs, as the only one. Events that came meanwhile could not
   * schedule a flush (one was running): what they left dirty is scheduled now.
   */
  private async exclusive(work: () => Promise<void>): Promise<void> {
    while (this.flushing) await this.flushing;
    this.flushing = work().finally(() => {
      this.flushing = null;
    });
    await this.flushing;
    if (this.dirtyContainers.size || this.dirtyNetworks.size || this.hostDirty || this.fullDirty) this.schedule();
  }

  /**
   * The periodic reconcile. A full collection takes seconds at hundreds of containers; run in
   * turn with the flushes it delayed every change that fell in it by that much. So it collects
   * beside them, then takes its turn: what targeted flushes re-read meanwhile is read once more
   * onto the full inventory (it may hold an older view of those), and that is published.
   */
  private async reconcileInBackground(): Promise<void> {
    if (this.reconciling || this.stopper.signal.aborted) return;
    if (!this.inventory?.engine.reachable) {
      this.fullDirty = true;
      this.schedule();
      return;
    }
    const { collector, log } = this.options;
    const touched = { containers: new Set<string>(), networks: new Set<string>(), host: false };
    const epoch = this.fullEpoch;
    this.touched = touched;
    this.reconciling = (async () => {
      try {
        const started = performance.now();
        const inventory = await collector.collect();
        this.lastFullMs = performance.now() - started;
        await this.exclusive(async () => {
          this.touched = null;
          if (epoch !== this.fullEpoch) return;
          if (!inventory.engine.reachable) {
            this.fullDirty = true;
            return;
          }
          await this.readTargeted(inventory, [...touched.containers], [...touched.networks], touched.host);
          this.publish(inventory, FULL);
        });
      } catch (err) {
        log.debug({ err, engine: collector.engineId }, "reconcile failed; will collect in full");
        this.fullDirty = true;
      } finally {
        this.touched = null;
        this.reconciling = null;
        if (this.fullDirty) this.schedule();
      }
    })();
    await this.reconciling;
  }

  private async flushOnce(): Promise<void> {
    const { collector, log } = this.options;
    const containers = [...this.dirtyContainers];
    const networks = [...this.dirtyNetworks];
    const host = this.hostDirty;
    const full = this.fullDirty || !this.inventory || !this.inventory.engine.reachable;
    this.dirtyContainers.clear();
    this.dirtyNetworks.clear();
    this.hostDirty = false;
    this.fullDirty = false;
    try {
      if (full) {
        this.fullEpoch++;
        const started = performance.now();
        const inventory = await collector.collect();
        this.lastFullMs = performance.now() - started;
        this.publish(inventory, FULL);
      } else {
        const inventory = this.inventory as EngineInventory;
        if (this.touched) {
          for (const id of containers) this.touched.containers.add(id);
          for (const id of networks) this.touched.networks.add(id);
          this.touched.host ||= host;
        }
        await this.readTargeted(inventory, containers, networks, host);
        this.publish(inventory, { full: false, containers, networks, host });
      }
    } catch (err) {
      // A targeted read failed (the engine may be going away): the next flush reads everything.
      log.debug({ err, engine: collector.engineId }, "targeted read failed; will collect in full");
      this.fullDirty = true;
    }
  }

  private async readTargeted(inv: EngineInventory, containers: string[], networks: string[], host: boolean) {
    const { collector } = this.options;
    const [containerReads, networkReads, hostRead] = await Promise.all([
      Promise.all(containers.map((id) => collector.readContainer(id))),
      Promise.all(networks.map((id) => collector.readNetwork(id))),
      host ? collector.readHost() : null,
    ]);
    containers.forEach((id, i) => {
      const { raw, netns } = containerReads[i] as Awaited<ReturnType<EngineCollector["readContainer"]>>;
      // Events name containers by full id; a read by that id returns the same id.
      inv.containers = inv.containers.filter((c) => c.Id !== id);
      delete inv.netns[id];
      if (raw) inv.containers.push(raw);
      if (raw && netns) inv.netns[raw.Id] = netns;
    });
    networks.forEach((id, i) => {
      const raw = networkReads[i];
      inv.networks = inv.networks.filter((n) => n.Id !== id);
      if (raw) inv.networks.push(raw);
    });
    if (hostRead) inv.host = hostRead;
  }
}

/**
 * Waits `ms`, or less when `signal` aborts. The abort listener goes when the wait ends either way:
 * the watcher's one signal lives as long as the process, and a listener left by every reconnect
 * attempt piled up (Node warned of a leak after 11).
 */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
