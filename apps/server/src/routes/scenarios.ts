import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type, type Static } from "@sinclair/typebox";
import {
  downScenario,
  isScenarioName,
  LabError,
  SCENARIO_INFO,
  SCENARIO_NAMES,
  scenarioStates,
  upScenario,
  type Run,
} from "@netdive/lab";
import type { FastifyReply, FastifyRequest } from "fastify";
import { ErrorReply, errorReplies } from "../schemas";

const Bilingual = Type.Object({ en: Type.String(), es: Type.String() });

const ScenarioContainer = Type.Object({ name: Type.String(), id: Type.String(), running: Type.Boolean() });

/** One scenario of the workshop run: what it shows and whether it is there. */
export const ScenarioItem = Type.Object({
  name: Type.String(),
  title: Bilingual,
  summary: Bilingual,
  /** `up`: every container runs; `partial`: some of it is there; `down`: nothing is. */
  state: Type.Union([Type.Literal("up"), Type.Literal("partial"), Type.Literal("down")]),
  containers: Type.Array(ScenarioContainer),
});
export type ScenarioItem = Static<typeof ScenarioItem>;

export const ScenarioList = Type.Object({
  /** Whether this server brings scenarios up and down (`--allow-actions`). */
  actions: Type.Boolean(),
  scenarios: Type.Array(ScenarioItem),
});

const NameParams = Type.Object({ name: Type.String({ pattern: "^[a-z0-9][a-z0-9-]{0,31}$" }) });

export interface ScenarioRoutesOptions {
  /** The lab run whose scenarios are listed and changed: the workshop's (`nd-demo-…`) unless a test gives its own. */
  run: Run;
  /** Whether `POST /api/scenarios/:name/up|down` exist. */
  actions: boolean;
}

/**
 * `GET /api/scenarios` (always, read-only): the workshop's scenarios and their state.
 * `POST /api/scenarios/:name/up` and `/down` (only with --allow-actions): one lab operation at a
 * time, answered with the scenario's new state.
 */
const scenarios: FastifyPluginAsyncTypebox<ScenarioRoutesOptions> = async (app, opts) => {
  const { run } = opts;

  const read = async (): Promise<ScenarioItem[]> => {
    const states = await scenarioStates(run);
    return SCENARIO_NAMES.map((name) => ({
      name,
      title: SCENARIO_INFO[name].title,
      summary: SCENARIO_INFO[name].summary,
      state: states[name].state,
      containers: states[name].containers,
    }));
  };
  // Every open page asks after each topology change: requests that overlap share one read.
  let reading: Promise<ScenarioItem[]> | null = null;
  const list = (): Promise<ScenarioItem[]> =>
    (reading ??= read().finally(() => {
      reading = null;
    }));

  /** A LabError is the lab's sentence for the user: 503 when the engine is away, else 409. */
  const refuse = (reply: FastifyReply, err: LabError) => {
    const statusCode = err.reason === "engine" ? 503 : 409;
    return reply
      .code(statusCode)
      .send({ statusCode, error: statusCode === 503 ? "Service Unavailable" : "Conflict", message: err.message });
  };

  app.get(
    "/api/scenarios",
    { schema: { response: { 200: ScenarioList, 503: ErrorReply } } },
    async (_request, reply) => {
      try {
        return { actions: opts.actions, scenarios: await list() };
      } catch (err) {
        if (err instanceof LabError) return refuse(reply, err);
        throw err;
      }
    },
  );

  if (!opts.actions) return;

  // One lab operation at a time: two `up`s of one scenario would race for the same names.
  let busy: string | null = null;
  const operate = (action: "up" | "down") =>
    async function handler(request: FastifyRequest<{ Params: Static<typeof NameParams> }>, reply: FastifyReply) {
      const name = request.params.name;
      if (!isScenarioName(name)) {
        return reply.badRequest(`no scenario "${name}" — the scenarios are ${SCENARIO_NAMES.join(", ")}`);
      }
      if (busy) return reply.conflict(`another lab operation is running (${busy}) — wait for it, then try again`);
      busy = `${action} ${name}`;
      try {
        if (action === "up") await upScenario(run, name, (line) => request.log.info({ scenario: name }, line));
        else await downScenario(run, name);
        // Read anew: a listing already under way may have started before this change.
        return (await read()).find((s) => s.name === name) as ScenarioItem;
      } catch (err) {
        if (err instanceof LabError) return refuse(reply, err);
        throw err;
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
