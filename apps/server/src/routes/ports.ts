import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { ContainerPorts, NetworkRules } from "@netdive/model";
import { RefParams, errorReplies } from "../schemas";
import { networkWithEvidence, portsWithEvidence } from "../services/evidence";
import { findByRef } from "./find-by-ref";

/**
 * `GET /api/containers/:ref/ports`: each published port as a path (host address:port → the
 * engine's NAT → container IP:port) with what carries it on this engine: the DNAT rule, the
 * docker-proxy process, or both; `GET /api/networks/:ref/rules`: a bridge's MASQUERADE and the
 * rules that name it. Both read the host's firewall (and process list) when asked.
 */
const ports: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/api/containers/:ref/ports",
    { schema: { params: RefParams, response: { 200: ContainerPorts, ...errorReplies } } },
    async (request, reply) => {
      const topology = app.topology.current();
      const found = findByRef(topology.containers, request.params.ref, "container", reply);
      return found ? portsWithEvidence(app.topology, found) : reply;
    },
  );
  // The bridge's and its NAT line's evidence: what a click on the NAT line shows.
  app.get(
    "/api/networks/:ref/rules",
    { schema: { params: RefParams, response: { 200: NetworkRules, ...errorReplies } } },
    async (request, reply) => {
      const topology = app.topology.current();
      const found = findByRef(topology.networks, request.params.ref, "network", reply);
      return found ? networkWithEvidence(app.topology, found) : reply;
    },
  );
};

export default ports;
