import { readFile } from "node:fs/promises";
import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { mapLimit } from "@netdive/model";
import {
  parseRecording,
  RECORDING_FORMAT,
  RecordingError,
  RecordingTimeline,
  type ContainerDetails,
  type ExportedMoment,
} from "@netdive/model";
import { exportHtml, ExportNotBuilt } from "../services/export-html";
import { ReplayTopologyService } from "../services/replay-service";
import type { TopologyService } from "../services/topology-service";

/** Most container detail reads at once for one export (live): they go to the engine. */
const DETAILS_AT_ONCE = 4;

export interface ExportOptions {
  /** The export build of the page (apps/web/dist/export), or null when the server serves no page. */
  exportRoot: string | null;
  /** The built-in demo recording (`?demo=1` exports one of its moments), or null. */
  demoFile: string | null;
}

/**
 * `GET /api/export.html[?moment=N][&demo=1]`: one self-contained page of the moment shown (live:
 * now; replay: moment N of the recording, or of the built-in demo, its last by default), with
 * every container's details, that opens from disk with no server and no network. Read-only.
 */
const exportRoute: FastifyPluginAsyncTypebox<ExportOptions> = async (app, { exportRoot, demoFile }) => {
  app.get(
    "/api/export.html",
    {
      schema: {
        querystring: Type.Object(
          { moment: Type.Optional(Type.Integer({ minimum: 0 })), demo: Type.Optional(Type.Literal("1")) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      // Before any detail is read: without the page there is nothing to export.
      if (exportRoot === null) return reply.notFound("this netdive serves no page, so it has none to export");
      const { moment: index, demo } = request.query;
      let moment: ExportedMoment | null;
      if (demo) {
        const timeline = await readDemo(demoFile);
        if (typeof timeline === "string") return reply.notFound(timeline);
        moment = momentOfTimeline(timeline, index);
      } else {
        moment = await momentOf(app.topology, index);
      }
      if (moment === null) return reply.notFound(`the recording has no moment ${index}`);
      let html: string;
      try {
        html = await exportHtml(exportRoot, moment);
      } catch (err) {
        if (err instanceof ExportNotBuilt)
          return reply.code(503).send({ statusCode: 503, error: "Service Unavailable", message: err.message });
        throw err;
      }
      const stamp = new Date(moment.t).toISOString().replace(/[:.]/g, "-").slice(0, 19);
      return reply
        .type("text/html; charset=utf-8")
        .header("content-disposition", `attachment; filename="netdive-${stamp}.html"`)
        .send(html);
    },
  );
};

async function momentOf(service: TopologyService, index: number | undefined): Promise<ExportedMoment | null> {
  if (service instanceof ReplayTopologyService) return momentOfTimeline(service.timeline, index);
  if (index !== undefined) return null;
  const topology = service.current();
  const read = await mapLimit(Object.values(topology.containers), DETAILS_AT_ONCE, (c) =>
    service.details(c).catch(() => null),
  );
  const details: Record<string, ContainerDetails> = {};
  for (const d of read) if (d) details[d.id] = d;
  return { type: "netdive-moment", format: RECORDING_FORMAT, t: Date.now(), topology, details };
}

/** Moment `index` of a recording (its last by default), or null when it has no such moment. */
function momentOfTimeline(timeline: RecordingTimeline, index: number | undefined): ExportedMoment | null {
  const last = timeline.moments.length - 1;
  const i = index ?? last;
  if (i > last) return null;
  return {
    type: "netdive-moment",
    format: RECORDING_FORMAT,
    t: timeline.moments[i]?.t ?? Date.now(),
    topology: timeline.topologyAt(i),
    details: timeline.allDetailsAt(i),
  };
}

/** The built-in demo as a timeline, or why there is none. */
async function readDemo(file: string | null): Promise<RecordingTimeline | string> {
  if (file === null) return "this netdive was started without the built-in demo";
  try {
    return new RecordingTimeline(parseRecording(await readFile(file, "utf8"), "the built-in demo"));
  } catch (err) {
    return err instanceof RecordingError ? err.message : "the built-in demo is not in this install";
  }
}

export default exportRoute;
