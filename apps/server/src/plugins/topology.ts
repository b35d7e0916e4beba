import { connectDocker, createLinuxKernel, EngineCollector } from "@netdive/collector";
import fp from "fastify-plugin";
import { TopologyService } from "../services/topology-service";

declare module "fastify" {
  interface FastifyInstance {
    topology: TopologyService;
  }
}

export interface TopologyPluginOptions {
  dockerHost: string;
  staleMs: number;
  /** Injected collectors (tests); by default one for `dockerHost`. */
  collectors?: EngineCollector[];
}

/** Decorates the app with the topology service and makes the first collection at startup. */
export default fp<TopologyPluginOptions>(
  async (app, opts) => {
    const collectors = opts.collectors ?? [
      new EngineCollector({
        engineId: "local",
        url: opts.dockerHost,
        connect: () => connectDocker({ host: opts.dockerHost }),
        kernel: createLinuxKernel(),
      }),
    ];
    const service = new TopologyService(collectors, opts.staleMs);
    app.decorate("topology", service);
    app.addHook("onReady", async () => {
      const topology = await service.refresh();
      for (const engine of Object.values(topology.engines)) {
        if (engine.reachable)
          app.log.info({ engine: engine.id, version: engine.version, api: engine.apiVersion }, "engine reachable");
        else app.log.warn({ engine: engine.id }, engine.error ?? "engine unreachable");
      }
    });
  },
  { name: "topology" },
);
