import { join } from "node:path";
import sensible from "@fastify/sensible";
import websocket from "@fastify/websocket";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { connectProbeEngine, type EngineCollector, type ProbeEngine } from "@netdive/collector";
import { labRunNames, type LabRunNames, type RecordingTimeline, type ScenarioActions } from "@netdive/model";
import fp from "fastify-plugin";
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyServerOptions } from "fastify";
import type { KernelChoice } from "./kernel-for";
import security from "./plugins/security";
import topologyPlugin, { type TopologyPluginOptions } from "./plugins/topology";
import flowsPlugin, { type FlowsPluginOptions } from "./plugins/flows";
import { Recorder } from "./services/recorder";
import containers from "./routes/containers";
import exportRoute from "./routes/export";
import flows from "./routes/flows";
import health from "./routes/health";
import networks from "./routes/networks";
import ports from "./routes/ports";
import probes from "./routes/probes";
import reach from "./routes/reach";
import recorderRoutes from "./routes/recorder";
import { demoRoute, replayRoutes } from "./routes/replay";
import root from "./routes/root";
import scenarios from "./routes/scenarios";
import stream from "./routes/stream";
import topology from "./routes/topology";

export interface AppOptions {
  dockerHost: string;
  /** Every engine to read; absent: `dockerHost` alone, as "local". */
  engines?: TopologyPluginOptions["engines"];
  /** The address the server listens on (an allowed Host name). */
  host?: string;
  /** Token every request must carry; null or absent: none. */
  token?: string | null;
  /** Without a token, the only non-loopback addresses answered (a loopback publish's gateway; see loopback-publish.ts). */
  trustedPeers?: readonly string[];
  /** Least time between full reconciles (ms). */
  reconcileMs?: number;
  hub?: TopologyPluginOptions["hub"];
  /** Folder of the built page (main.ts passes apps/web/dist beside the bundle); none: a page that says how to build it. */
  webRoot?: string;
  /** Whether routes that change the engine (lab scenarios, probes) exist; off by default. */
  allowActions?: boolean;
  /** Injected collectors (tests); by default one for `dockerHost`. */
  collectors?: EngineCollector[];
  /** `--kernel-helper` and its image: how an engine's kernel facts are read (kernel-for.ts); none by default. */
  kernel?: KernelChoice;
  /** How probes reach the engine (tests inject a fake); by default dockerode on `dockerHost`. */
  probeEngine?: ProbeEngine;
  /** The lab run the scenario routes list: the workshop's (`nd-demo-…`) unless a test gives its own. */
  labRun?: LabRunNames;
  /** The lab's up/down, wired by main.ts only with --allow-actions (and by tests); absent: none. */
  scenarioActions?: ScenarioActions;
  /** `--record FILE`: append a session to FILE from startup to close. */
  record?: string;
  /** `--replay FILE`: serve the recording (its text and what was read of it) instead of an engine. */
  replay?: { timeline: RecordingTimeline; text: string };
  /** The built-in demo recording the page offers when no engine answers; absent: none. */
  demoFile?: string;
  /** `--flows`: who is talking now; absent or null: off. */
  flows?: FlowsPluginOptions["flows"];
  /** How flows are read (tests); by default /proc on this machine. */
  flowRead?: FlowsPluginOptions["read"];
}

declare module "fastify" {
  interface FastifyInstance {
    /** The recorder of `--record`, or null. */
    recorder: Recorder | null;
  }
}

/** The whole application as one plugin: external plugins, then services, then routes. */
const plugin: FastifyPluginAsync<AppOptions> = async (fastify, opts) => {
  await fastify.register(sensible);
  // Small frames only: clients send a few short control messages, nothing else. Registered before
  // security so that a refused upgrade's socket is closed by the websocket plugin's onResponse.
  await fastify.register(websocket, { options: { maxPayload: 4096 } });
  await fastify.register(security, {
    host: opts.host ?? "127.0.0.1",
    token: opts.token ?? null,
    ...(opts.trustedPeers ? { trustedPeers: opts.trustedPeers } : {}),
  });
  await fastify.register(topologyPlugin, {
    dockerHost: opts.dockerHost,
    ...(opts.engines ? { engines: opts.engines } : {}),
    reconcileMs: opts.reconcileMs ?? 5000,
    ...(opts.hub ? { hub: opts.hub } : {}),
    ...(opts.collectors ? { collectors: opts.collectors } : {}),
    ...(opts.kernel ? { kernel: opts.kernel } : {}),
    ...(opts.replay ? { replay: opts.replay.timeline } : {}),
  });
  await fastify.register(flowsPlugin, {
    flows: opts.replay ? null : (opts.flows ?? null),
    ...(opts.flowRead ? { read: opts.flowRead } : {}),
  });
  // After the topology plugin's onReady (the engine's first answer), so the session starts with it.
  const recorder = opts.record && !opts.replay ? new Recorder(fastify.topology, opts.record, fastify.log) : null;
  fastify.decorate("recorder", recorder);
  if (recorder) {
    fastify.addHook("onReady", async () => recorder.start());
    fastify.addHook("onClose", async () => recorder.close());
  }

  // One error handler: 4xx keep their message (it tells the caller what to fix), 5xx are logged
  // and answered without internals.
  fastify.setErrorHandler((err: Error & { statusCode?: number; validation?: unknown }, request, reply) => {
    const statusCode = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    if (statusCode >= 500) {
      request.log.error({ err }, "request failed");
      return reply
        .code(statusCode)
        .send({ statusCode, error: "Internal Server Error", message: "netdive failed to answer; see its log" });
    }
    const message = err.validation ? `invalid request: ${err.message}` : err.message;
    return reply.code(statusCode).send({ statusCode, error: httpReason(statusCode), message });
  });
  fastify.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      statusCode: 404,
      error: "Not Found",
      message: `no route ${request.method} ${request.url.split("?")[0]}`,
    }),
  );

  const moments = opts.replay?.timeline.moments ?? [];
  await fastify.register(health, {
    ...(moments.length > 0
      ? {
          replay: {
            moments: moments.length,
            from: new Date(moments[0]!.t).toISOString(),
            to: new Date(moments[moments.length - 1]!.t).toISOString(),
          },
        }
      : {}),
  });
  await fastify.register(topology);
  await fastify.register(containers);
  await fastify.register(networks);
  await fastify.register(reach);
  await fastify.register(ports);
  await fastify.register(flows);
  await fastify.register(scenarios, {
    run: opts.labRun ?? labRunNames(),
    actions: opts.allowActions && !opts.replay ? (opts.scenarioActions ?? null) : null,
  });
  if (opts.allowActions && !opts.replay) {
    // Probes run beside their container, on the engine connection its watcher keeps (one per engine).
    await fastify.register(probes, { engine: opts.probeEngine ?? probeEngines(fastify.topology.collectors) });
  }
  await fastify.register(recorderRoutes, { recorder });
  if (opts.replay) {
    await fastify.register(replayRoutes, { text: opts.replay.text });
  } else {
    await fastify.register(stream);
    await fastify.register(demoRoute, { file: opts.demoFile ?? null });
  }
  await fastify.register(exportRoute, {
    exportRoot: opts.webRoot ? join(opts.webRoot, "export") : null,
    demoFile: opts.replay ? null : (opts.demoFile ?? null),
  });
  await fastify.register(root, { webRoot: opts.webRoot ?? null });
};

/** Wrapped so the decorators (`topology`, `hub`) are visible to whoever registers the app. */
export const app = fp(plugin, { name: "netdive" });

/** Each engine's probe engine, by engine id, made on first use over its collector's connection. */
function probeEngines(collectors: readonly EngineCollector[]): (engineId: string) => ProbeEngine {
  const made = new Map<string, ProbeEngine>();
  return (engineId) => {
    const collector = collectors.find((c) => c.engineId === engineId) ?? collectors[0]!;
    let engine = made.get(collector.engineId);
    if (!engine) {
      engine = connectProbeEngine({ host: collector.url, client: () => collector.client() });
      made.set(collector.engineId, engine);
    }
    return engine;
  };
}

function httpReason(statusCode: number): string {
  return (
    {
      400: "Bad Request",
      401: "Unauthorized",
      403: "Forbidden",
      404: "Not Found",
      409: "Conflict",
      413: "Payload Too Large",
      415: "Unsupported Media Type",
      429: "Too Many Requests",
    }[statusCode] ?? "Error"
  );
}

/** A Fastify instance with the app registered, ready for `listen()` or `inject()`. */
export async function buildServer(
  opts: AppOptions,
  fastifyOptions: FastifyServerOptions = {},
): Promise<FastifyInstance> {
  const server = Fastify({
    requestTimeout: 30_000,
    // On close, do not wait for clients that keep a connection open.
    forceCloseConnections: true,
    // Longer refs must reach validation and get a 400 that says why, not a bare 414.
    routerOptions: { maxParamLength: 512 },
    ...fastifyOptions,
  }).withTypeProvider<TypeBoxTypeProvider>();
  await server.register(app, opts);
  return server;
}
