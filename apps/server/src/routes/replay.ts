import { readFile } from "node:fs/promises";
import type { FastifyPluginAsync } from "fastify";
import { PROTOCOL_VERSION, type ServerMessage } from "@netdive/model";

const NDJSON = "application/x-ndjson; charset=utf-8";

/**
 * The routes of `--replay` that stand in for the live stream: `/api/stream` says "replay" and
 * closes; `GET /api/recording` is the file as it was read at startup (the page reads it with the
 * same reader, so a file cut short says so on the page too). Nothing here changes anything.
 */
export const replayRoutes: FastifyPluginAsync<{ text: string }> = async (app, { text }) => {
  app.get("/api/recording", async (_request, reply) => reply.type(NDJSON).send(text));
  app.get("/api/stream", { websocket: true }, (socket) => {
    const message: ServerMessage = { type: "replay", protocol: PROTOCOL_VERSION, recording: "/api/recording" };
    socket.send(JSON.stringify(message));
    socket.close(1000, "replaying a recording");
  });
};

/**
 * `GET /api/demo.ndjson`: the built-in recording of the workshop lab, which the page offers when
 * no engine answers. Read when asked: an install without it answers 404 with why.
 */
export const demoRoute: FastifyPluginAsync<{ file: string | null }> = async (app, { file }) => {
  app.get("/api/demo.ndjson", async (_request, reply) => {
    if (file === null) return reply.notFound("this netdive was started without the built-in demo");
    try {
      return reply.type(NDJSON).send(await readFile(file, "utf8"));
    } catch {
      return reply.notFound(`the built-in demo is not in this install (no ${file.split("/").slice(-3).join("/")})`);
    }
  });
};
