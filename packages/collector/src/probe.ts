import { randomBytes } from "node:crypto";
import type Docker from "dockerode";
import { isNotFound, openNegotiated } from "./docker-api";
import { describeDockerError } from "./errors";
import { LAB_LABEL } from "@netdive/model";

/** Every probe container carries this label (and `io.netdive.lab=1`), so it can be found and removed by label. */
export const PROBE_LABEL = "io.netdive.probe";

/** The labels of a probe container. */
export const PROBE_LABELS: Readonly<Record<string, string>> = { [LAB_LABEL]: "1", [PROBE_LABEL]: "1" };

/** The only programs a probe may run: the lab image's busybox applets. */
const PROGRAMS = new Set(["ping", "nslookup"]);

/** `host`, or `container:<full id>`: the network namespace the probe joins. */
const NETWORK_MODE = /^(host|container:[0-9a-f]{64})$/;

/** One argument: printable, no whitespace; only the first word (the program) is not an option. */
const ARGUMENT = /^[A-Za-z0-9_.:=-]{1,253}$/;

/** Most of a probe's logs netdive keeps (a ping or a lookup prints a few hundred bytes). */
const MAX_LOG_BYTES = 64 * 1024;

/** One short-lived probe: which namespace it joins and the argv it runs there (never a shell). */
export interface ProbeSpec {
  /** The image to run (the lab image, which has busybox `ping` and `nslookup`). */
  image: string;
  /** `container:<64-hex id>` to join that container's network namespace, or `host`. */
  networkMode: string;
  /** The program and its arguments, passed to the engine as an array: no shell ever parses them. */
  argv: readonly string[];
  /** How long (ms) from create to the end: a container not started by then is not started, one still running is killed. */
  timeoutMs: number;
}

/** What one probe container did. */
export interface ProbeRun {
  /** The program's exit code; null when it was killed at the time limit. */
  exitCode: number | null;
  /** stdout and stderr, in the order they were written (at most 64 KiB). */
  output: string;
  /** How long (ms) from create to the end of the wait. */
  durationMs: number;
  /** False when the engine took the whole time limit to create the container, so it never ran. */
  started: boolean;
}

/**
 * The engine calls a probe makes. Small on purpose: the server's tests use a fake, the
 * integration test the real engine through `connectProbeEngine`.
 */
export interface ProbeEngine {
  /** Where the engine is, as the user wrote it. */
  readonly url: string;
  /** Whether `image` is present on the engine (nothing is ever pulled). */
  hasImage(image: string): Promise<boolean>;
  /** `HostConfig.Dns` of a container (the upstream servers of its embedded DNS), or null when it is gone. */
  dnsServers(containerId: string): Promise<string[] | null>;
  /**
   * Creates, starts and waits for one probe container, reads its logs and removes it, also when
   * it times out or anything fails.
   */
  run(spec: ProbeSpec): Promise<ProbeRun>;
}

/** A probe the engine refused or could not run; `message` says what failed and what to do. */
export class ProbeError extends Error {
  override name = "ProbeError";
  constructor(
    message: string,
    /** `unreachable`: the engine did not answer; `refused`: it answered with an error. */
    readonly kind: "unreachable" | "refused",
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * The create request for a probe: labelled, named `nd-probe-<random>`, 32 MiB, 16 pids, every
 * capability dropped but NET_RAW (ping), read-only root, no mounts, no privileges. Throws when
 * the spec is anything but a known program with plain arguments.
 */
export function probeContainerOptions(
  spec: ProbeSpec,
  name: string,
  extraLabels: Readonly<Record<string, string>> = {},
): Docker.ContainerCreateOptions {
  const [program, ...args] = spec.argv;
  if (!program || !PROGRAMS.has(program)) throw new Error(`a probe runs ping or nslookup, not "${program ?? ""}"`);
  for (const arg of args) {
    if (!ARGUMENT.test(arg)) throw new Error(`a probe argument must be one plain word, not ${JSON.stringify(arg)}`);
  }
  const target = args.at(-1) ?? "";
  if (!/^[A-Za-z0-9]/.test(target)) throw new Error(`a probe's target is an address or a name, not "${target}"`);
  if (!NETWORK_MODE.test(spec.networkMode)) {
    throw new Error(`a probe joins a container's network namespace or the host's, not "${spec.networkMode}"`);
  }
  return {
    name,
    Image: spec.image,
    Cmd: [program, ...args],
    Entrypoint: [],
    Labels: { ...extraLabels, ...PROBE_LABELS },
    Tty: false,
    AttachStdin: false,
    OpenStdin: false,
    HostConfig: {
      NetworkMode: spec.networkMode,
      AutoRemove: false,
      Privileged: false,
      Memory: 32 * 1024 * 1024,
      MemorySwap: 32 * 1024 * 1024,
      PidsLimit: 16,
      CapDrop: ["ALL"],
      CapAdd: program === "ping" ? ["NET_RAW"] : [],
      SecurityOpt: ["no-new-privileges"],
      ReadonlyRootfs: true,
      Binds: [],
      Mounts: [],
      RestartPolicy: { Name: "no" },
      LogConfig: { Type: "json-file", Config: {} },
    },
  };
}

/**
 * Undoes the engine's log framing (no TTY): each frame is an 8-byte header (stream, 3 zero bytes,
 * big-endian length) and the payload. Text that is not framed is returned as it is.
 */
export function demuxLogs(buffer: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const stream = buffer[offset];
    const length = buffer.readUInt32BE(offset + 4);
    if ((stream !== 1 && stream !== 2) || buffer.readUIntBE(offset + 1, 3) !== 0) {
      return buffer.toString("utf8");
    }
    parts.push(buffer.subarray(offset + 8, Math.min(buffer.length, offset + 8 + length)));
    offset += 8 + length;
  }
  return Buffer.concat(parts).toString("utf8");
}

/**
 * How a failed engine call went: `refused` when the engine answered with an HTTP error,
 * `unreachable` when it did not answer (a socket error or a timeout); null for anything else,
 * which is netdive's own failure and is thrown as it is.
 */
function classify(err: unknown): ProbeError["kind"] | null {
  const e = err as { statusCode?: number; code?: string; message?: string } | null;
  if (typeof e?.statusCode === "number") return "refused";
  if (typeof e?.code === "string" || /timeout|socket hang up/i.test(e?.message ?? "")) return "unreachable";
  return null;
}

/**
 * Probes through dockerode against the engine at `host`. The connection is opened (and the API
 * version negotiated) on first use, and again after the engine was lost.
 */
export function connectProbeEngine(options: {
  host: string;
  timeoutMs?: number;
  /**
   * Labels every probe container carries besides the probe's own: a test gives its run's, so on
   * an engine others use too it can tell its probes from theirs.
   */
  labels?: Readonly<Record<string, string>>;
  /**
   * The engine connection to run on: the collector's (`EngineCollector.client`), so that there
   * is one connection per engine, reconnected by its watcher. Without it, one of the probes' own.
   */
  client?: () => Promise<Docker>;
}): ProbeEngine {
  const url = options.host;
  const timeoutMs = options.timeoutMs ?? 10_000;
  let connection: Promise<Docker> | null = null;

  const docker = (): Promise<Docker> => {
    if (options.client) {
      // The collector has already said what failed as a sentence; its cause tells the kind.
      return options.client().catch((err: unknown) => {
        const kind = classify((err as { cause?: unknown }).cause ?? err);
        if (kind === null) throw err;
        throw new ProbeError((err as Error).message, kind, { cause: err });
      });
    }
    connection ??= openNegotiated(url, timeoutMs).then(({ docker }) => docker);
    return connection.catch((err: unknown) => {
      connection = null;
      throw err;
    });
  };

  /** Runs `call` on the engine; an engine failure becomes a ProbeError, and a lost engine is reconnected next time. */
  const engine = async <T>(call: (d: Docker) => Promise<T>): Promise<T> => {
    try {
      return await call(await docker());
    } catch (err) {
      if (err instanceof ProbeError) throw err;
      const kind = classify(err);
      if (kind === null) throw err;
      if (kind === "unreachable") connection = null;
      throw new ProbeError(describeDockerError(err, url), kind, { cause: err });
    }
  };

  return {
    url,
    hasImage: (image) =>
      engine(async (d) => {
        try {
          await d.getImage(image).inspect();
          return true;
        } catch (err) {
          if (isNotFound(err)) return false;
          throw err;
        }
      }),
    dnsServers: (containerId) =>
      engine(async (d) => {
        try {
          const info = await d.getContainer(containerId).inspect();
          return (info.HostConfig.Dns as string[] | null | undefined) ?? [];
        } catch (err) {
          if (isNotFound(err)) return null;
          throw err;
        }
      }),
    run: (spec) => engine((d) => runOnce(d, spec, options.labels ?? {})),
  };
}

async function runOnce(docker: Docker, spec: ProbeSpec, labels: Readonly<Record<string, string>>): Promise<ProbeRun> {
  const name = `nd-probe-${randomBytes(6).toString("hex")}`;
  const started = Date.now();
  const deadline = started + spec.timeoutMs;
  const container = await docker.createContainer(probeContainerOptions(spec, name, labels));
  const waiting = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  try {
    // A busy engine can take seconds to create; a probe that cannot start in time does not start.
    if (Date.now() >= deadline) return { exitCode: null, output: "", durationMs: Date.now() - started, started: false };
    await container.start();
    const timeUp = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), Math.max(0, deadline - Date.now()));
    });
    const ended = await Promise.race([
      container.wait({ abortSignal: waiting.signal }) as Promise<{ StatusCode: number }>,
      timeUp,
    ]);
    const durationMs = Date.now() - started;
    if (ended === "timeout") await container.kill().catch(() => undefined);
    const logs = (await container.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
    return {
      exitCode: ended === "timeout" ? null : ended.StatusCode,
      output: demuxLogs(logs.subarray(0, MAX_LOG_BYTES)),
      durationMs,
      started: true,
    };
  } finally {
    clearTimeout(timer);
    waiting.abort();
    await container.remove({ force: true }).catch((err: unknown) => {
      if (!isNotFound(err)) {
        throw new ProbeError(
          `the probe container ${name} could not be removed (${describeDockerError(err, "the engine")}) — remove it with \`docker rm -f ${name}\``,
          classify(err) === "unreachable" ? "unreachable" : "refused",
          { cause: err },
        );
      }
    });
  }
}
