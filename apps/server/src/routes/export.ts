import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { mapLimit } from "@netdive/collector";
import { RECORDING_FORMAT, type ContainerDetails, type ExportedMoment } from "@netdive/model";
import { exportHtml, ExportNotBuilt } from "../services/export-html";
import { ReplayTopologyService } from "../services/replay-service";
import type { TopologyService } from "../services/topology-service";

/** Most container detail reads at once for one export (live): they go to the engine. */
const DETAILS_AT_ONCE = 4;

/**
 * `GET /api/export.html[?moment=N]`: one self-contained page of the moment shown (live: now;
 * replay: moment N of the recording, its last by default), with every container's details, that
 * opens from disk with no server and no network. Read-only.
 */
const exportRoute: FastifyPluginAsyncTypebox<{ exportRoot: string | null }> = async (app, { exportRoot }) => {
  app.get(
    "/api/export.html",
    {
      schema: {
        querystring: Type.Object(
          { moment: Type.Optional(Type.Integer({ minimum: 0 })) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const moment = await momentOf(app.topology, request.query.moment);
      if (moment === null) return reply.notFound(`the recording has no moment ${request.query.moment}`);
      if (exportRoot === null) return reply.notFound("this netdive serves no page, so it has none to export");
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
  if (service instanceof ReplayTopologyService) {
    const i = index ?? service.last;
    if (i > service.last) return null;
    const { timeline } = service;
    return {
      type: "netdive-moment",
      format: RECORDING_FORMAT,
      t: timeline.moments[i]?.t ?? Date.now(),
      topology: timeline.topologyAt(i),
      details: timeline.allDetailsAt(i),
    };
  }
  if (index !== undefined) return null;
  const topology = service.current();
  const read = await mapLimit(Object.values(topology.containers), DETAILS_AT_ONCE, (c) =>
    service.details(c).catch(() => null),
  );
  const details: Record<string, ContainerDetails> = {};
  for (const d of read) if (d) details[d.id] = d;
  return { type: "netdive-moment", format: RECORDING_FORMAT, t: Date.now(), topology, details };
}

export default exportRoute;
