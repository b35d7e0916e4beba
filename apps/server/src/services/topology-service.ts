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
  protected topology: Topology = emptyTopology();
  private readonly inventories = new Map<string, EngineInventory>();
  private inflight: Promise<Topology> | null = null;

  /** One watcher per engine, each keeping its engine's inventory live from its events. */
  readonly watchers: readonly EngineWatcher[];

  constructor(
    readonly collectors: readonly EngineCollector[],
    watch: { log: WatchLog; reconcileMs: number },
  ) {
    super();
    this.watchers = collectors.map(
      (collector) =>
        new EngineWatcher({
          collector,
          log: watch.log,
          reconcileMs: watch.reconcileMs,
          onChange: (inventory) => this.setInventory(inventory),
        }),
    );
  }

  /**
   * The topology as the watchers keep it, without touching the engine: as fresh as their events
   * (an unreachable engine is being retried already, so a request does not wait for it).
   */
  current(): Topology {
    return this.topology;
  }

  /** Takes one engine's new inventory (from its watcher) and publishes what changed. */
  setInventory(inventory: EngineInventory): void {
    this.inventories.set(inventory.engine.id, inventory);
    this.publish(buildTopology([...this.inventories.values()], this.topology.revision));
  }

  /** Re-reads every engine in full now, through its watcher (joining a re-read already under way). */
  refresh(): Promise<Topology> {
    this.inflight ??= Promise.all(this.watchers.map((w) => w.refresh()))
      .then(() => this.topology)
      .finally(() => {
        this.inflight = null;
      });
    return this.inflight;
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

  /** The engine's last raw inventory (flows read its containers' pids from it), or undefined. */
  inventoryOf(engineId: string): EngineInventory | undefined {
    return this.inventories.get(engineId);
  }

  /** The /proc entry of a process in the engine's host namespace, for per-namespace files (flows). */
  async hostProcOf(engineId: string): Promise<string | null | undefined> {
    const collector = this.collectorOf(engineId);
    return collector ? collector.hostProc() : null;
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
