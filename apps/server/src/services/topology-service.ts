import { EventEmitter } from "node:events";
import { EngineWatcher, type EngineCollector, type WatchLog } from "@netdive/collector";
import {
  diff,
  emptyTopology,
  EngineTopology,
  escapePointer,
  EVERYTHING,
  netnsOwner,
  type Container,
  type ContainerDetails,
  type EngineInventory,
  type Json,
  type PartUpdate,
  type PatchOperation,
  type PatchTouched,
  type Topology,
  type TouchedIds,
} from "@netdive/model";

/** Emitted after every collection that changed something. */
export interface TopologyChange {
  from: number;
  revision: number;
  ops: PatchOperation[];
  /** The ids the ops change, by collection (the patch message carries them). */
  touched: PatchTouched;
  topology: Topology;
}

/**
 * Holds the current topology of every engine and collects it anew on demand. Concurrent requests
 * share one collection; the revision moves only when the picture really changed.
 */
export class TopologyService extends EventEmitter<{ change: [TopologyChange] }> {
  protected topology: Topology = emptyTopology();
  private readonly inventories = new Map<string, EngineInventory>();
  /** Each engine's part, rebuilt read by read from what the read touched. */
  private readonly parts = new Map<string, EngineTopology>();
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
          onChange: (inventory, touched) => this.setInventory(inventory, touched),
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

  /**
   * Takes one engine's new inventory (from its watcher) and publishes what changed. `touched`:
   * what the read re-read (the watcher's event ids); only those entries are rebuilt and diffed,
   * and every other entry stays the same object.
   */
  setInventory(inventory: EngineInventory, touched: TouchedIds = EVERYTHING): void {
    const engineId = inventory.engine.id;
    this.inventories.set(engineId, inventory);
    let part = this.parts.get(engineId);
    if (!part) this.parts.set(engineId, (part = new EngineTopology()));
    this.publish(engineId, part.update(inventory, touched));
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

  private publish(engineId: string, { part, changed }: PartUpdate): void {
    const was = this.topology;
    const next: Topology = {
      revision: was.revision,
      engines: { ...was.engines, [engineId]: part.engine },
      hosts: { ...was.hosts, [engineId]: part.host },
      networks: { ...was.networks },
      containers: { ...was.containers },
    };
    const ops: PatchOperation[] = [];
    const touched: PatchTouched = { engines: [], networks: [], containers: [] };
    const entry = (collection: "engines" | "hosts" | "networks" | "containers", id: string, value: unknown) => {
      const before = was[collection][id] as Json | undefined;
      const path = `/${collection}/${escapePointer(id)}`;
      const count = ops.length;
      if (value === undefined) {
        delete next[collection][id];
        if (before !== undefined) ops.push({ op: "remove", path });
      } else {
        (next[collection] as Record<string, unknown>)[id] = value;
        if (before === undefined) ops.push({ op: "add", path, value: value as Json });
        else ops.push(...diff(before, value as Json, path));
      }
      if (ops.length === count) return;
      const list = collection === "hosts" ? touched.engines : touched[collection];
      if (!list.includes(id)) list.push(id);
    };
    if (changed.engine) entry("engines", engineId, part.engine);
    if (changed.host) entry("hosts", engineId, part.host);
    for (const id of changed.networks) entry("networks", id, part.networks[id]);
    for (const id of changed.containers) entry("containers", id, part.containers[id]);
    if (ops.length === 0) return;
    const from = was.revision;
    next.revision = from + 1;
    ops.push({ op: "replace", path: "/revision", value: next.revision });
    this.topology = next;
    this.emit("change", { from, revision: next.revision, ops, touched, topology: next });
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
