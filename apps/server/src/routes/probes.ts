import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { ProbeEngine } from "@netdive/collector";
import { Ref } from "@netdive/model";
import { ErrorReply, OpenObject, errorReplies } from "../schemas";
import { ProbeRefusal } from "../services/probe-plan";
import { ProbeService } from "../services/probe-service";

export const ProbeBody = Type.Object(
  {
    /** The container the probe runs beside, in its network namespace. */
    from: Ref,
    /** A container, or (ping only) an IPv4 address on this engine's networks. */
    to: Ref,
    kind: Type.Union([Type.Literal("ping"), Type.Literal("dns")]),
    /** DNS only: one DNS label among the target's name and aliases. */
    name: Type.Optional(Type.String({ pattern: "^[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$", maxLength: 63 })),
  },
  { additionalProperties: false },
);

/** Requests are a few short fields: anything bigger is refused before it is parsed. */
export const PROBE_BODY_LIMIT = 4096;

export interface ProbeRoutesOptions {
  /** How probes reach the engine. */
  engine: ProbeEngine;
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
      schema: { body: ProbeBody, response: { 200: OpenObject, 429: ErrorReply, ...errorReplies } },
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
