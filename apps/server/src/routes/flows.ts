import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { FlowsAnswer } from "@netdive/model";
import { errorReplies } from "../schemas";

/**
 * `GET /api/flows`: the connections seen in the last window (`--flows`), read now unless the last
 * read is under a second old. A 404 that says how to turn them on when they are off.
 */
const flows: FastifyPluginAsyncTypebox = async (app) => {
  app.get("/api/flows", { schema: { response: { 200: FlowsAnswer, ...errorReplies } } }, async (_request, reply) => {
    if (!app.flows)
      return reply.notFound(
        "flows are off: start netdive with --flows (or NETDIVE_FLOWS=1) to read connection tracking and draw who talks to whom",
      );
    return app.flows.current();
  });
};

export default flows;
