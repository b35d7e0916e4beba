import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { KERNEL_FACTS_FLAG } from "@netdive/collector";
import { parseRecording, RecordingError, RecordingTimeline } from "@netdive/model";
import { LogController } from "fastify";
import { buildServer } from "./app";
import { ConfigError, parseConfig, USAGE } from "./config";
import { diagnose, machineProbes, report } from "./doctor";
import { kernelFactsMode } from "./kernel-facts-mode";
import { humanLog } from "./log-format";
import { checkLoopbackPublish } from "./loopback-publish";
import { refuseSameEngine } from "./same-engine";
import { checkRecordFile } from "./services/recorder";

/** `pnpm start`: parse flags, build the app, listen. Everything else lives in app.ts. */
async function main(): Promise<void> {
  // The kernel helper (kernel-facts-mode.ts): this bundle, run by another netdive on its engine.
  if (process.argv[2] === KERNEL_FACTS_FLAG) {
    const write = (stream: NodeJS.WriteStream) => (text: string) => void stream.write(text);
    process.exitCode = await kernelFactsMode(process.argv.slice(2), write(process.stdout), write(process.stderr));
    return;
  }
  const config = parseConfig(process.argv.slice(2), process.env, process.stdout.isTTY === true);
  if (config === "help") {
    console.log(USAGE);
    return;
  }
  if (config.check) {
    // One report per engine, each headed by its id when there are several.
    let allOk = true;
    for (const engine of config.engines) {
      const { text, ok } = report(await diagnose(machineProbes(engine.url, engine.tls)), engine.url);
      console.log(config.engines.length > 1 ? `engine ${engine.id} (${engine.from})\n${text}\n` : text);
      allOk &&= ok;
    }
    process.exit(allOk ? 0 : 1);
  }
  if (config.replay === null) await refuseSameEngine(config.engines);
  // Without a token, --published goes on only behind a loopback-only publish (loopback-publish.ts).
  let trustedPeers: string[] | undefined;
  if (config.published && config.token === null) {
    const verdict = await checkLoopbackPublish(config.dockerHost, config.port);
    if (!verdict.ok) throw new ConfigError(`refusing to listen without a token: ${verdict.reason}`);
    trustedPeers = verdict.peers;
  }
  // The lab is loaded only when asked for: without --allow-actions the server runs without it.
  const scenarioActions = config.allowActions
    ? (await import("@netdive/lab/actions")).scenarioActions(config.dockerHost)
    : undefined;
  const replay = config.replay === null ? undefined : readRecording(config.replay);
  if (config.record !== null) {
    try {
      checkRecordFile(config.record);
    } catch (err) {
      throw new ConfigError((err as Error).message);
    }
  }
  const human = config.logFormat === "human";
  const server = await buildServer(
    {
      dockerHost: config.dockerHost,
      engines: config.engines,
      host: config.host,
      token: config.token,
      reconcileMs: config.reconcileMs,
      allowActions: config.allowActions,
      kernel: { kernelHelper: config.kernelHelper, kernelHelperImage: config.kernelHelperImage },
      ...(trustedPeers ? { trustedPeers } : {}),
      ...(scenarioActions ? { scenarioActions } : {}),
      // The page beside the server: apps/web/dist, from src/main.ts and from dist/main.mjs alike.
      webRoot: fileURLToPath(new URL("../../web/dist", import.meta.url)),
      // The built-in demo, from the checkout beside src/ and dist/ alike (absent in an image: a 404 that says so).
      demoFile: fileURLToPath(new URL("../../../packages/lab/demo/workshop.ndjson", import.meta.url)),
      ...(config.record !== null ? { record: config.record } : {}),
      ...(replay ? { replay } : {}),
      ...(config.flows ? { flows: config.flows } : {}),
    },
    {
      logger: human
        ? { level: config.logLevel, stream: humanLog(process.stdout, { color: process.stdout.isTTY === true }) }
        : { level: config.logLevel },
      // Two lines per request suit a log collector, not a person watching the terminal.
      ...(human ? { logController: new LogController({ disableRequestLogging: true }) } : {}),
    },
  );
  if (replay) {
    const { moments } = replay.timeline;
    const minutes = (((moments.at(-1)?.t ?? 0) - (moments[0]?.t ?? 0)) / 60_000).toFixed(1);
    const count = `${moments.length} ${moments.length === 1 ? "moment" : "moments"}`;
    server.log.info(`replaying ${config.replay}: ${count} over ${minutes} min; no engine is read`);
    const note = replay.timeline.recording.stoppedEarly ?? replay.timeline.brokenAt;
    if (note) server.log.warn(note);
  }
  const close = async (signal: string) => {
    server.log.info({ signal }, `shutting down (${signal})`);
    await server.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void close("SIGINT"));
  process.once("SIGTERM", () => void close("SIGTERM"));
  // Bound what one machine can hold open against netdive.
  server.server.maxConnections = 512;
  const shown = config.host.includes(":") ? `[${config.host}]` : config.host;
  const tokenHint = config.token ? "?token=<your token>" : "";
  const url = `http://${shown === "127.0.0.1" ? "localhost" : shown}:${config.port}/${tokenHint}`;
  try {
    // Fastify's own "Server listening at" line, said as what to do with it.
    await server.listen({ host: config.host, port: config.port, listenTextResolver: () => `open ${url}` });
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
}

/** The recording of `--replay`, read once at startup; a file that cannot be replayed stops netdive with why. */
function readRecording(file: string): { timeline: RecordingTimeline; text: string } {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new ConfigError(`cannot replay ${file}: ${(err as Error).message}`);
  }
  try {
    return { timeline: new RecordingTimeline(parseRecording(text, file)), text };
  } catch (err) {
    if (err instanceof RecordingError) throw new ConfigError(err.message);
    throw err;
  }
}

main().catch((err: unknown) => {
  console.error(`netdive: ${err instanceof ConfigError ? err.message : ((err as Error).stack ?? String(err))}`);
  process.exit(err instanceof ConfigError ? 2 : 1);
});
