import type { FastifyPluginAsync } from "fastify";

/**
 * `/api/stream`: a snapshot, then patches and engine messages (see packages/model protocol.ts).
 * Host, Origin and token checks run in onRequest hooks, before the upgrade.
 */
const stream: FastifyPluginAsync = async (app) => {
  app.get("/api/stream", { websocket: true }, (socket) => app.hub.join(socket));
};

export default stream;
