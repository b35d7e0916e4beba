import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type, type Static } from "@sinclair/typebox";
import {
  ErrorReply,
  LAB_SCENARIOS,
  SCENARIO_TEXT,
  ScenarioItem,
  ScenarioList,
  scenarioStates,
  type LabRunNames,
  type LabScenario,
  type ScenarioActions,
  type Topology,
} from "@netdive/model";
import type { FastifyReply, FastifyRequest } from "fastify";
import { errorReplies } from "../schemas";

const NameParams = Type.Object({ name: Type.String({ pattern: "^[a-z0-9][a-z0-9-]{0,31}$" }) });

export interface ScenarioRoutesOptions {
  /** The lab run whose scenarios are listed: the workshop's (`nd-demo-…`) unless a test gives its own. */
  run: LabRunNames;
  /** The lab's up/down (only with --allow-actions): `POST /api/scenarios/:name/up|down` exist with it. */
  actions: ScenarioActions | null;
}

/** Each scenario's state, read off the topology the server already holds. */
function list(topology: Topology, run: LabRunNames): ScenarioItem[] {
  const states = scenarioStates(topology, run);
  return LAB_SCENARIOS.map((name) => ({ name, ...SCENARIO_TEXT[name], ...states[name] }));
}

const isScenario = (name: string): name is LabScenario => (LAB_SCENARIOS as readonly string[]).includes(name);

/**
 * `GET /api/scenarios` (always, read-only): the workshop's scenarios and their state, a pure
 * function of the topology. `POST /api/scenarios/:name/up` and `/down` (only with
 * --allow-actions): one lab operation at a time, answered with the scenario's new state.
 */
const scenarios: FastifyPluginAsyncTypebox<ScenarioRoutesOptions> = async (app, opts) => {
  const { run, actions } = opts;

  app.get(
    "/api/scenarios",
    { schema: { response: { 200: ScenarioList, 503: ErrorReply } } },
    async (_request, reply) => {
      const topology = app.topology.current();
      const engines = Object.values(topology.engines);
      if (engines.length > 0 && !engines.some((e) => e.reachable)) {
        const message = engines.map((e) => e.error ?? `cannot reach Docker at ${e.url}`).join("; ");
        return reply.code(503).send({ statusCode: 503, error: "Service Unavailable", message });
      }
      return { actions: actions !== null, scenarios: list(topology, run) };
    },
  );

  if (!actions) return;

  // One lab operation at a time: two `up`s of one scenario would race for the same names.
  let busy: string | null = null;
  const operate = (action: "up" | "down") =>
    async function handler(request: FastifyRequest<{ Params: Static<typeof NameParams> }>, reply: FastifyReply) {
      const name = request.params.name;
      if (!isScenario(name)) {
        return reply.badRequest(`no scenario "${name}" — the scenarios are ${LAB_SCENARIOS.join(", ")}`);
      }
      if (busy) return reply.conflict(`another lab operation is running (${busy}) — wait for it, then try again`);
      busy = `${action} ${name}`;
      try {
        const done =
          action === "up"
            ? await actions.up(name, (line) => request.log.info({ scenario: name }, line))
            : await actions.down(name);
        if (!done.ok) {
          const statusCode = done.reason === "engine" ? 503 : 409;
          const error = statusCode === 503 ? "Service Unavailable" : "Conflict";
          return reply.code(statusCode).send({ statusCode, error, message: done.message });
        }
        // Read anew: the watcher may not have seen the lab's last change yet.
        return list(await app.topology.refresh(), run).find((s) => s.name === name);
      } finally {
        busy = null;
      }
    };

  const schema = { params: NameParams, response: { 200: ScenarioItem, ...errorReplies } };
  // JSON or nothing: a cross-site form can send text/plain without asking first.
  app.removeContentTypeParser(["text/plain"]);
  app.post("/api/scenarios/:name/up", { schema, bodyLimit: 1024 }, operate("up"));
  app.post("/api/scenarios/:name/down", { schema, bodyLimit: 1024 }, operate("down"));
};

export default scenarios;
