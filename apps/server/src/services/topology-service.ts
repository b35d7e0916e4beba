import { EventEmitter } from "node:events";
import { EngineWatcher, type EngineCollector, type WatchLog } from "@netdive/collector";
import {
  buildTopology,
  diff,
  emptyTopology,
  netnsOwner,
  type Container,
  type ContainerDetails,
  type EngineInventory,
  type Json,
  type PatchOperation,
  type Topology,
} from "@netdive/model";

/** Emitted after every collection that changed something. */
export interface TopologyChange {
  from: number;
  revision: number;
  ops: PatchOperation[];
  topology: Topology;
}

/**
 * Holds the current topology of every engine and collects it anew on demand. Concurrent requests
 * share one collection; the revision moves only when the picture really changed.
 */
export class TopologyService extends EventEmitter<{ change: [TopologyChange] }> {
  private topology: Topology = emptyTopology();
  private readonly inventories = new Map<string, EngineInventory>();
  private inflight: Promise<Topology> | null = null;
  private collectedAt = 0;

  /** One watcher per engine, each keeping its engine's inventory live; empty when not watching. */
  readonly watchers: readonly EngineWatcher[];

  constructor(
    readonly collectors: readonly EngineCollector[],
    private readonly staleMs: number,
    /** Keep every engine live from its events (null: collect on request, after `staleMs`). */
    watch: { log: WatchLog; reconcileMs: number } | null,
  ) {
    super();
    this.watchers = watch
      ? collectors.map(
          (collector) =>
            new EngineWatcher({
              collector,
              log: watch.log,
              reconcileMs: watch.reconcileMs,
              onChange: (inventory) => this.setInventory(inventory),
            }),
        )
      : [];
  }

  /** The topology as last collected, without touching the engine. */
  current(): Topology {
    return this.topology;
  }

  /** The topology: as the watchers keep it when they run, else collected anew once older than `staleMs`. */
  async recent(): Promise<Topology> {
    // Watched engines are as fresh as their events; an unreachable one is being retried already,
    // and a request must not wait for it.
    if (this.watchers.length > 0) return this.topology;
    return Date.now() - this.collectedAt > this.staleMs ? this.refresh() : this.topology;
  }

  /** Takes one engine's new inventory (from its watcher) and publishes what changed. */
  setInventory(inventory: EngineInventory): void {
    this.inventories.set(inventory.engine.id, inventory);
    this.publish(buildTopology([...this.inventories.values()], this.topology.revision));
  }

  /** Collects every engine now (joining a collection already under way). */
  refresh(): Promise<Topology> {
    this.inflight ??= this.collectAll().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async collectAll(): Promise<Topology> {
    const started = Date.now();
    if (this.watchers.length > 0) {
      // A full re-read goes through the watchers, so they stay the one source.
      await Promise.all(this.watchers.map((w) => w.refresh()));
      this.collectedAt = started;
      return this.topology;
    }
    const inventories = await Promise.all(this.collectors.map((c) => c.collect()));
    for (const inventory of inventories) this.inventories.set(inventory.engine.id, inventory);
    this.publish(buildTopology([...this.inventories.values()], this.topology.revision));
    this.collectedAt = started;
    return this.topology;
  }

  private publish(next: Topology): void {
    const ops = diff(this.topology as unknown as Json, next as unknown as Json).filter((op) => op.path !== "/revision");
    if (ops.length === 0) return;
    const from = this.topology.revision;
    next.revision = from + 1;
    ops.push({ op: "replace", path: "/revision", value: next.revision });
    this.topology = next;
    this.emit("change", { from, revision: next.revision, ops, topology: next });
  }

  collectorOf(engineId: string): EngineCollector | undefined {
    return this.collectors.find((c) => c.engineId === engineId);
  }

  /** A container with the files and DNS hooks that are read only when someone asks. */
  async details(container: Container): Promise<ContainerDetails> {
    const collector = this.collectorOf(container.engineId);
    if (!collector) throw new Error(`no collector for engine ${container.engineId}`);
    const files = await collector.readFiles(container, netnsOwner(this.topology, container));
    return { ...container, ...files };
  }
}
