import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { preferredLanguage, ReachAnswer, ReachQuery } from "@netdive/model";
import { errorReplies } from "../schemas";
import { reachWithEvidence } from "../services/evidence";
import { findByRef } from "./find-by-ref";

/**
 * `GET /api/reach?from=<ref>&to=<ref>[&lang=es]`: can `from` reach `to` by IP and by name, and
 * why. Read-only and always on: Docker's documented behaviour over the current topology
 * (packages/model), with the host's firewall rules that decide it, read for the question.
 */
const reach: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/api/reach",
    { schema: { querystring: ReachQuery, response: { 200: ReachAnswer, ...errorReplies } } },
    async (request, reply) => {
      const { from, to, lang } = request.query;
      const topology = app.topology.current();
      const a = findByRef(topology.containers, from, "container", reply);
      if (!a) return reply;
      const b = findByRef(topology.containers, to, "container", reply);
      if (!b) return reply;
      return reachWithEvidence(
        app.topology,
        a.id,
        b.id,
        lang ?? preferredLanguage((request.headers["accept-language"] ?? "").split(",")),
      );
    },
  );
};

export default reach;
