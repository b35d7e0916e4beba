import { basename } from "node:path";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { RecorderState } from "@netdive/model";
import type { Recorder } from "../services/recorder";

/**
 * The page's Record button: `GET /api/recorder` says whether this netdive records (`--record
 * FILE`) and whether the session is recorded now. Only with a recorder, `POST
 * /api/recorder/start` and `/stop` start a new session in FILE or end the one under way: they
 * change what netdive writes, never the engine.
 */
const recorderRoutes: FastifyPluginAsyncTypebox<{ recorder: Recorder | null }> = async (app, { recorder }) => {
  const schema = { response: { 200: RecorderState } };
  if (!recorder) {
    app.get("/api/recorder", { schema }, async (): Promise<RecorderState> => ({ file: null, active: false }));
    return;
  }
  const state = (): RecorderState => ({ file: basename(recorder.file), active: recorder.active });
  app.get("/api/recorder", { schema }, async () => state());
  // JSON or nothing: a cross-site form can send text/plain without asking first.
  app.removeContentTypeParser(["text/plain"]);
  app.post("/api/recorder/start", { schema, bodyLimit: 1024 }, async () => {
    recorder.start();
    return state();
  });
  app.post("/api/recorder/stop", { schema, bodyLimit: 1024 }, async () => {
    recorder.stop();
    return state();
  });
};

export default recorderRoutes;
