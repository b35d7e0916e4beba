import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { NetworkDetails } from "@netdive/model";
import { RefParams, errorReplies } from "../schemas";
import { findByRef } from "./find-by-ref";

/** `GET /api/networks/:ref`: one network with a summary of each member's endpoint. */
const networks: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/api/networks/:ref",
    { schema: { params: RefParams, response: { 200: NetworkDetails, ...errorReplies } } },
    async (request, reply) => {
      const topology = app.topology.current();
      const network = findByRef(topology.networks, request.params.ref, "network", reply);
      if (!network) return reply;
      const members = network.containerIds.flatMap((id) => {
        const c = topology.containers[id];
        const ep = c?.endpoints[network.id];
        return c && ep
          ? [{ id, name: c.name, ipv4: ep.ipv4, prefixLen: ep.prefixLen, mac: ep.mac, aliases: ep.aliases }]
          : [];
      });
      return { ...network, members };
    },
  );
};

export default networks;
