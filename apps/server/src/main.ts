import { buildServer } from "./app";
import { ConfigError, parseConfig, USAGE } from "./config";

/** `pnpm start`: parse flags, build the app, listen. Everything else lives in app.ts. */
async function main(): Promise<void> {
  const config = parseConfig(process.argv.slice(2), process.env);
  if (config === "help") {
    console.log(USAGE);
    return;
  }
  // The lab's scenario routes drive the docker CLI: point it at the engine netdive reads.
  process.env.DOCKER_HOST = config.dockerHost;
  const server = await buildServer(
    {
      dockerHost: config.dockerHost,
      staleMs: config.staleMs,
      host: config.host,
      token: config.token,
      reconcileMs: config.reconcileMs,
      allowActions: config.allowActions,
    },
    { logger: { level: config.logLevel } },
  );
  const close = async (signal: string) => {
    server.log.info({ signal }, "shutting down");
    await server.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void close("SIGINT"));
  process.once("SIGTERM", () => void close("SIGTERM"));
  // Bound what one machine can hold open against netdive.
  server.server.maxConnections = 512;
  try {
    await server.listen({ host: config.host, port: config.port });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === "EADDRINUSE")
      throw new ConfigError(`port ${config.port} on ${config.host} is in use — stop what holds it or pass --port`);
    if (e.code === "EADDRNOTAVAIL")
      throw new ConfigError(`${config.host} is not an address of this machine — pass another --host`);
    if (e.code === "EACCES")
      throw new ConfigError(`no permission to listen on port ${config.port} — use a port above 1023`);
    throw err;
  }
  const shown = config.host.includes(":") ? `[${config.host}]` : config.host;
  const tokenHint = config.token ? "?token=<your token>" : "";
  console.log(`netdive: open http://${shown === "127.0.0.1" ? "localhost" : shown}:${config.port}/${tokenHint}`);
}

main().catch((err: unknown) => {
  console.error(`netdive: ${err instanceof ConfigError ? err.message : ((err as Error).stack ?? String(err))}`);
  process.exit(err instanceof ConfigError ? 2 : 1);
});
