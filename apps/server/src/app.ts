import sensible from "@fastify/sensible";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { EngineCollector } from "@netdive/collector";
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyServerOptions } from "fastify";
import topologyPlugin from "./plugins/topology";
import containers from "./routes/containers";
import health from "./routes/health";
import networks from "./routes/networks";
import root from "./routes/root";
import topology from "./routes/topology";

export interface AppOptions {
  dockerHost: string;
  /** How old (ms) a collection may be before a request collects anew. */
  staleMs?: number;
  /** Injected collectors (tests); by default one for `dockerHost`. */
  collectors?: EngineCollector[];
}

/** The whole application as one plugin: external plugins, then services, then routes. */
export const app: FastifyPluginAsync<AppOptions> = async (fastify, opts) => {
  await fastify.register(sensible);
  await fastify.register(topologyPlugin, {
    dockerHost: opts.dockerHost,
    staleMs: opts.staleMs ?? 1000,
    ...(opts.collectors ? { collectors: opts.collectors } : {}),
  });

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

  await fastify.register(health);
  await fastify.register(topology);
  await fastify.register(containers);
  await fastify.register(networks);
  await fastify.register(root);
};

function httpReason(statusCode: number): string {
  return (
    {
      400: "Bad Request",
      401: "Unauthorized",
      403: "Forbidden",
      404: "Not Found",
      409: "Conflict",
      413: "Payload Too Large",
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
    // Longer refs must reach validation and get a 400 that says why, not a bare 414.
    maxParamLength: 512,
    ...fastifyOptions,
  }).withTypeProvider<TypeBoxTypeProvider>();
  await server.register(app, opts);
  return server;
}
