import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Health } from "@netdive/model";
import { EnginePlatforms, isDockerDesktop, readRuntime } from "../runtime";

export interface HealthOptions {
  /** `--replay`: what the recording holds, so health says it is a replay, not a live engine. */
  replay?: Health["replay"];
}

/**
 * `GET /api/health`: degraded, with the engine's reason, whenever an engine cannot be read; each
 * engine's operating system (Docker Desktop said as such), and where netdive itself runs; in a
 * replay, the recorded engines (as they were) and `replay`.
 */
const health: FastifyPluginAsyncTypebox<HealthOptions> = async (app, opts) => {
  const runtime = readRuntime();
  const platforms = new EnginePlatforms(app.topology.collectors);
  app.get("/api/health", { schema: { response: { 200: Health } } }, async () => {
    const topology = app.topology.current();
    const engines = await Promise.all(
      Object.values(topology.engines).map(async (e) => {
        const operatingSystem = e.reachable ? await platforms.operatingSystem(e.id) : null;
        return {
          ...e,
          kernel: topology.hosts[e.id]?.kernel ?? { visible: false, reason: "The engine was never reached." },
          ...(operatingSystem !== null ? { operatingSystem, desktop: isDockerDesktop(operatingSystem) } : {}),
        };
      }),
    );
    const status = engines.length > 0 && engines.every((e) => e.reachable) ? ("ok" as const) : ("degraded" as const);
    return { status, revision: topology.revision, engines, runtime, ...(opts.replay ? { replay: opts.replay } : {}) };
  });
};

export default health;
