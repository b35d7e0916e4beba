import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { ProbeEngine } from "@netdive/collector";
import { ProbeAnswer, ProbeRequest } from "@netdive/model";
import { ErrorReply, errorReplies } from "../schemas";
import { ProbeRefusal } from "../services/probe-plan";
import { ProbeService } from "../services/probe-service";

/** Requests are a few short fields: anything bigger is refused before it is parsed. */
export const PROBE_BODY_LIMIT = 4096;

export interface ProbeRoutesOptions {
  /** How probes reach the engine: one, or each engine's by its id (several engines). */
  engine: ProbeEngine | ((engineId: string) => ProbeEngine);
}

/**
 * `POST /api/probes`: runs one bounded ping or lookup from a container's network namespace, in
 * a short-lived lab container. Registered only with --allow-actions.
 */
const probes: FastifyPluginAsyncTypebox<ProbeRoutesOptions> = async (app, opts) => {
  const service = new ProbeService(app.topology, opts.engine);
  // JSON only: a cross-site form can send text/plain without asking first.
  app.removeContentTypeParser(["text/plain"]);
  app.post(
    "/api/probes",
    {
      bodyLimit: PROBE_BODY_LIMIT,
      schema: { body: ProbeRequest, response: { 200: ProbeAnswer, 429: ErrorReply, ...errorReplies } },
    },
    async (request, reply) => {
      try {
        return await service.probe(request.body);
      } catch (err) {
        if (!(err instanceof ProbeRefusal)) throw err;
        return reply.code(err.statusCode).send({
          statusCode: err.statusCode,
          error: REASONS[err.statusCode],
          message: err.message,
        });
      }
    },
  );
};

const REASONS: Record<ProbeRefusal["statusCode"], string> = {
  400: "Bad Request",
  409: "Conflict",
  429: "Too Many Requests",
  503: "Service Unavailable",
};

export default probes;
