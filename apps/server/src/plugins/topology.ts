import { connectDocker, EngineCollector, type EngineWatcher } from "@netdive/collector";
import type { RecordingTimeline } from "@netdive/model";
import fp from "fastify-plugin";
import type { EngineTarget } from "../engine-targets";
import { kernelFor, NO_KERNEL_HELPER, type KernelChoice } from "../kernel-for";
import { ReplayTopologyService } from "../services/replay-service";
import { TopologyHub, type HubOptions } from "../services/topology-hub";
import { TopologyService } from "../services/topology-service";

/** How long startup waits for the engines' first answer before serving what it has. */
const STARTUP_WAIT_MS = 3000;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

declare module "fastify" {
  interface FastifyInstance {
    topology: TopologyService;
    hub: TopologyHub;
  }
}

export interface TopologyPluginOptions {
  dockerHost: string;
  /** Every engine to read (`--docker-host`, `--context`); absent: `dockerHost` alone, as "local". */
  engines?: readonly EngineTarget[];
  reconcileMs: number;
  hub?: Omit<HubOptions, "log">;
  /** Injected collectors (tests); by default one for `dockerHost`. */
  collectors?: EngineCollector[];
  /** `--kernel-helper` and its image; none unless told. */
  kernel?: KernelChoice;
  /** `--replay`: the recording stands in for the engine (no collector, no watcher). */
  replay?: RecordingTimeline;
}

/**
 * Decorates the app with the topology service and the stream hub, and keeps every engine live
 * with a watcher from startup to close.
 */
export default fp<TopologyPluginOptions>(
  async (app, opts) => {
    const collectors = opts.replay
      ? []
      : (opts.collectors ??
        (opts.engines ?? [{ id: "local", url: opts.dockerHost, from: "--docker-host" }]).map(
          (target) =>
            new EngineCollector({
              engineId: target.id,
              url: target.url,
              connect: () => connectDocker({ host: target.url, ...(target.tls ? { tls: target.tls } : {}) }),
              // Each engine its own kernel reader (kernel-for.ts): a local socket's host is read in the
              // namespace of the process that serves it, so an engine in a namespace of its own has its own host.
              kernel: kernelFor(target.url, opts.kernel ?? NO_KERNEL_HELPER, undefined, target.tls),
            }),
        ));
    const service = opts.replay
      ? new ReplayTopologyService(opts.replay)
      : new TopologyService(collectors, { log: app.log, reconcileMs: opts.reconcileMs });
    const hub = new TopologyHub(service, { ...opts.hub, log: app.log });
    app.decorate("topology", service);
    app.decorate("hub", hub);

    const watchers = service.watchers;

    app.addHook("onReady", async () => {
      // Until the engine answers, say so: a slow or wedged engine is reported, never fatal.
      for (const c of collectors)
        service.setInventory(c.unreachable(`waiting for the first answer from the engine at ${c.url}`));
      // Each watcher says in the log when its engine is read, lost or back.
      const answered = new Set<EngineWatcher>();
      for (const w of watchers) {
        w.start();
        void w.firstRead.then(() => answered.add(w));
      }
      await Promise.race([Promise.all(watchers.map((w) => w.firstRead)), delay(STARTUP_WAIT_MS)]);
      watchers.forEach((w, i) => {
        const url = collectors[i]?.url;
        if (!answered.has(w)) app.log.info(`no answer yet from the engine at ${url}; serving meanwhile`);
      });
    });
    app.addHook("onClose", async () => {
      hub.close();
      await Promise.all(watchers.map((w) => w.stop()));
      for (const c of collectors) c.close();
    });
  },
  { name: "topology" },
);
