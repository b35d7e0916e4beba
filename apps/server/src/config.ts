import { parseArgs } from "node:util";
import { ConfigError } from "./config-error";
import { engineTargets, type EngineFlag, type EngineTarget } from "./engine-targets";
import { DEFAULT_KERNEL_HELPER_IMAGE } from "./kernel-for";
import type { LogFormat } from "./log-format";

export { ConfigError } from "./config-error";

/** How netdive was asked to run, from flags first, then NETDIVE_* variables, then defaults. */
export interface Config {
  /** Address to listen on; 127.0.0.1 unless the user asks otherwise. */
  host: string;
  port: number;
  /** The first engine's url (`engines[0]`): the one the lab and the loopback-publish check use. */
  dockerHost: string;
  /** Every engine to read, in the order given (`--docker-host`, `--context`; see engine-targets.ts). */
  engines: EngineTarget[];
  logLevel: string;
  /** Short human lines (a terminal) or pino's JSON (a pipe, a log collector). */
  logFormat: LogFormat;
  /** Shared secret for the API and the stream; required to listen beyond loopback. */
  token: string | null;
  /** Whether routes that change the engine exist (the workshop lab's); off by default. */
  allowActions: boolean;
  /** Least time (ms) between full reconciles of the live picture. */
  reconcileMs: number;
  /** `--check`: report what netdive can see here and exit instead of serving. */
  check: boolean;
  /** `--record FILE`: append the session to FILE (NDJSON, see docs/workshop.md, "Recordings"). */
  record: string | null;
  /** `--replay FILE`: serve a recording instead of an engine; nothing is read from Docker. */
  replay: string | null;
  /**
   * `--published`: in a container reached through a port publish (Docker Desktop); listens on the
   * container's addresses, and main checks that the publish is loopback-only before going on without a token.
   */
  published: boolean;
  /** `--kernel-helper`: read kernel facts netdive cannot read itself with a helper container on the engine (kernel-for.ts). */
  kernelHelper: boolean;
  /** `--kernel-helper-image`: the image that helper runs (netdive:latest). */
  kernelHelperImage: string;
  /** `--flows`: read connection tracking and draw who talks to whom; null when off (the default). */
  flows: FlowsConfig | null;
}

/** What `--flows` asked for. */
export interface FlowsConfig {
  /** `--flows=addresses`: name remote addresses beyond the host instead of one "outside" per NIC. */
  addresses: boolean;
  /** `--flows-window`: seconds a flow stays on the picture after its last packet. */
  windowSeconds: number;
  /** NETDIVE_FLOWS_SOCKETS=always: read the containers' socket tables even where conntrack sees inside bridges. */
  sockets: "auto" | "always";
}

export const USAGE = `Usage: pnpm start [--host 127.0.0.1] [--port 3000] [--docker-host unix:///var/run/docker.sock]
       pnpm start --check   (or pnpm diagnose): what netdive can see here, and what to do about each missing piece

  --host HOST          address to listen on (NETDIVE_HOST; default 127.0.0.1)
  --port PORT          port to listen on (NETDIVE_PORT; default 3000)
  --docker-host URL    engine to read: unix:///path, tcp://host:port (TLS with DOCKER_TLS_VERIFY and
                       DOCKER_CERT_PATH) or ssh://user@host; give it again for each further engine, as
                       NAME=URL to name it (DOCKER_HOST; default: the current Docker context, else
                       unix:///var/run/docker.sock)
  --context NAME       read the engine of the Docker CLI's context NAME (~/.docker/contexts, with its
                       TLS material); may be given more than once, and beside --docker-host
  --token TOKEN        require this token for the API and the stream (NETDIVE_TOKEN);
                       needed when --host is not a loopback address
  --allow-actions      enable routes that change the engine (lab scenarios, probes)
  --record FILE        append this session to FILE: the snapshot, every change with its time, and
                       the containers' details (NDJSON; see docs/workshop.md)
  --replay FILE        serve a recording instead of an engine: no Docker needed, nothing can be
                       changed; the page steps through it (pnpm demo replays the built-in one)
  --reconcile-ms MS    least time between full re-reads of the engine (NETDIVE_RECONCILE_MS; default 5000)
  --log-level LEVEL    fatal, error, warn, info, debug or trace (NETDIVE_LOG_LEVEL; default info)
  --log-format FORMAT  human (short lines) or json (pino) (NETDIVE_LOG_FORMAT; default human on a
                       terminal, json otherwise)
  --published          in a container reached through -p 127.0.0.1:PORT:PORT (Docker Desktop): listen on
                       the container's addresses; without a token, only a loopback-only publish is accepted
  --kernel-helper      for an engine whose kernel netdive cannot read (tcp://, a socket of another
                       namespace), start a short-lived helper container from netdive's image on it
                       (--pid host --network host, SYS_ADMIN SYS_PTRACE NET_ADMIN, read-only, removed
                       when done) to read its interfaces, veths and DNS hooks (NETDIVE_KERNEL_HELPER=1)
  --kernel-helper-image IMAGE
                       the image that helper runs; it must be on that engine (NETDIVE_KERNEL_HELPER_IMAGE;
                       default netdive:latest)
  --flows[=addresses]  read connection tracking and the containers' sockets (at most once a second, only
                       while a page or GET /api/flows asks) and draw who talks to whom (NETDIVE_FLOWS=1
                       or addresses); beyond the host, one "outside" per NIC unless =addresses
  --flows-window S     seconds a flow stays drawn after its last packet, fading (NETDIVE_FLOWS_WINDOW;
                       default 10, 2 to 120: conntrack forgets a closed TCP connection after 120 s)
  --check              say what netdive can see here (engine, kernel, firewall, lab image,
                       Chromium) and exit: 0 when everything needed to run is there
  --help               show this help`;

function parsePort(text: string, from: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) {
    throw new ConfigError(`${from} must be a port number from 1 to 65535, not "${text}"`);
  }
  return port;
}

/**
 * The configuration from flags and environment; `"help"` when asked for it.
 * `terminal`: whether stdout is a terminal (human log lines by default there).
 */
export function parseConfig(argv: readonly string[], env: NodeJS.ProcessEnv, terminal = false): Config | "help" {
  let values;
  let tokens;
  try {
    ({ values, tokens } = parseArgs({
      // `--flows=addresses` is the value-taking spelling of a flag that is also given bare.
      args: argv.flatMap((a) => (a === "--flows=addresses" ? ["--flows", "--flows-addresses"] : [a])),
      options: {
        host: { type: "string" },
        port: { type: "string" },
        "docker-host": { type: "string", multiple: true },
        context: { type: "string", multiple: true },
        "log-level": { type: "string" },
        "log-format": { type: "string" },
        check: { type: "boolean" },
        published: { type: "boolean" },
        "kernel-helper": { type: "boolean" },
        "kernel-helper-image": { type: "string" },
        token: { type: "string" },
        "allow-actions": { type: "boolean" },
        "reconcile-ms": { type: "string" },
        record: { type: "string" },
        replay: { type: "string" },
        flows: { type: "boolean" },
        "flows-addresses": { type: "boolean" },
        "flows-window": { type: "string" },
        help: { type: "boolean" },
      },
      strict: true,
      allowPositionals: false,
      tokens: true,
    }));
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}\n\n${USAGE}`);
  }
  if (values.help) return "help";
  const logFormat = values["log-format"] ?? (env.NETDIVE_LOG_FORMAT || (terminal ? "human" : "json"));
  if (logFormat !== "human" && logFormat !== "json") {
    throw new ConfigError(`--log-format must be human or json, not "${logFormat}"`);
  }
  const logLevel = values["log-level"] ?? env.NETDIVE_LOG_LEVEL ?? "info";
  if (!["fatal", "error", "warn", "info", "debug", "trace", "silent"].includes(logLevel)) {
    throw new ConfigError(`--log-level must be one of fatal, error, warn, info, debug, trace, not "${logLevel}"`);
  }
  // In the order given: the first engine is the one named "local".
  const engineFlags: EngineFlag[] = tokens.flatMap((t) =>
    t.kind === "option" && (t.name === "docker-host" || t.name === "context") && t.value !== undefined
      ? [{ kind: t.name, value: t.value }]
      : [],
  );
  const engines = engineTargets(engineFlags, env);
  const dockerHost = engines[0]!.url;
  const published = values.published ?? false;
  const host = values.host ?? env.NETDIVE_HOST ?? (published ? "0.0.0.0" : "127.0.0.1");
  const token = values.token ?? (env.NETDIVE_TOKEN || null);
  if (token !== null && token.length < 16) {
    throw new ConfigError("the token must be at least 16 characters — make one with `openssl rand -hex 16`");
  }
  if (!isLoopback(host) && token === null && !published) {
    throw new ConfigError(
      `refusing to listen on ${host} without a token: netdive holds the Docker socket, so anyone who reaches it sees every container — pass --token (or NETDIVE_TOKEN), e.g. --token "$(openssl rand -hex 16)", or keep the default --host 127.0.0.1`,
    );
  }
  const reconcileText = values["reconcile-ms"] ?? env.NETDIVE_RECONCILE_MS ?? "5000";
  const reconcileMs = Number(reconcileText);
  if (!/^\d+$/.test(reconcileText) || reconcileMs < 500) {
    throw new ConfigError(`--reconcile-ms must be a whole number of milliseconds, 500 or more, not "${reconcileText}"`);
  }
  const record = values.record ?? null;
  const replay = values.replay ?? null;
  if (record !== null && replay !== null)
    throw new ConfigError(
      "--record and --replay do not go together: a replay reads no engine, so there is nothing new to record",
    );
  if (replay !== null && values["allow-actions"])
    throw new ConfigError("--allow-actions and --replay do not go together: a replay has no engine to change");
  const kernelHelper = values["kernel-helper"] ?? env.NETDIVE_KERNEL_HELPER === "1";
  if (values["kernel-helper-image"] !== undefined && !kernelHelper)
    throw new ConfigError("--kernel-helper-image names the helper's image: it needs --kernel-helper");
  const kernelHelperImage =
    values["kernel-helper-image"] ?? (env.NETDIVE_KERNEL_HELPER_IMAGE || DEFAULT_KERNEL_HELPER_IMAGE);
  const flows = parseFlows(values, env);
  if (flows !== null && replay !== null)
    throw new ConfigError("--flows and --replay do not go together: a replay has no kernel to read flows from");
  return {
    host,
    port: values.port
      ? parsePort(values.port, "--port")
      : env.NETDIVE_PORT
        ? parsePort(env.NETDIVE_PORT, "NETDIVE_PORT")
        : 3000,
    dockerHost,
    engines,
    logLevel,
    logFormat,
    token,
    allowActions: values["allow-actions"] ?? false,
    reconcileMs,
    check: values.check ?? false,
    record,
    replay,
    published,
    kernelHelper,
    kernelHelperImage,
    flows,
  };
}

/** `--flows[=addresses]`, `--flows-window`, or NETDIVE_FLOWS (1 or addresses) and NETDIVE_FLOWS_WINDOW. */
function parseFlows(
  values: { flows?: boolean; "flows-addresses"?: boolean; "flows-window"?: string },
  env: NodeJS.ProcessEnv,
): FlowsConfig | null {
  const fromEnv = env.NETDIVE_FLOWS ?? "";
  if (!["", "0", "1", "addresses"].includes(fromEnv))
    throw new ConfigError(`NETDIVE_FLOWS must be 1, addresses or 0, not "${fromEnv}"`);
  const on = values.flows === true || values["flows-addresses"] === true || fromEnv === "1" || fromEnv === "addresses";
  const windowText = values["flows-window"] ?? env.NETDIVE_FLOWS_WINDOW;
  if (!on) {
    if (values["flows-window"] !== undefined) throw new ConfigError("--flows-window needs --flows");
    return null;
  }
  const windowSeconds = Number(windowText ?? "10");
  if (!/^\d+$/.test(windowText ?? "10") || windowSeconds < 2 || windowSeconds > 120)
    throw new ConfigError(`--flows-window must be a whole number of seconds from 2 to 120, not "${windowText}"`);
  const sockets = env.NETDIVE_FLOWS_SOCKETS || "auto";
  if (sockets !== "auto" && sockets !== "always")
    throw new ConfigError(`NETDIVE_FLOWS_SOCKETS must be auto or always, not "${sockets}"`);
  return { addresses: values["flows-addresses"] === true || fromEnv === "addresses", windowSeconds, sockets };
}

/** 127.0.0.0/8, ::1 and localhost: only this machine can connect. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}
