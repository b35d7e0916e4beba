import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Health } from "@netdive/model";

export interface HealthOptions {
  /** `--replay`: what the recording holds, so health says it is a replay, not a live engine. */
  replay?: Health["replay"];
}

/**
 * `GET /api/health`: degraded, with the engine's reason, whenever an engine cannot be read; in a
 * replay, the recorded engines (as they were) and `replay`.
 */
const health: FastifyPluginAsyncTypebox<HealthOptions> = async (app, opts) => {
  app.get("/api/health", { schema: { response: { 200: Health } } }, async () => {
    const topology = await app.topology.recent();
    const engines = Object.values(topology.engines).map((e) => ({
      ...e,
      kernel: topology.hosts[e.id]?.kernel ?? { visible: false, reason: "The engine was never reached." },
    }));
    const status = engines.length > 0 && engines.every((e) => e.reachable) ? ("ok" as const) : ("degraded" as const);
    return { status, revision: topology.revision, engines, ...(opts.replay ? { replay: opts.replay } : {}) };
  });
};

export default health;
