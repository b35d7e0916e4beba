import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Topology } from "@netdive/model";

/** `GET /api/topology[?fresh=1]`: the whole contract; `fresh=1` collects anew first. */
const topology: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/api/topology",
    {
      schema: {
        querystring: Type.Object(
          {
            fresh: Type.Optional(
              Type.Union([Type.Literal("1"), Type.Literal("true"), Type.Literal("0"), Type.Literal("false")]),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Topology },
      },
    },
    async (request) => {
      const fresh = request.query.fresh === "1" || request.query.fresh === "true";
      return fresh ? app.topology.refresh() : app.topology.current();
    },
  );
};

export default topology;
