import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { ContainerDetails } from "@netdive/model";
import { RefParams, errorReplies } from "../schemas";
import { findByRef } from "./find-by-ref";

/** `GET /api/containers/:ref`: one container with resolv.conf, /etc/hosts and its DNS hooks. */
const containers: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/api/containers/:ref",
    { schema: { params: RefParams, response: { 200: ContainerDetails, ...errorReplies } } },
    async (request, reply) => {
      const topology = app.topology.current();
      const found = findByRef(topology.containers, request.params.ref, "container", reply);
      return found ? app.topology.details(found) : reply;
    },
  );
};

export default containers;
