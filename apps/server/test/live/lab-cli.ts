import { LAB_IMAGE, docker, execArgv, labelArgs, type LabObject, type Run } from "@netdive/lab";

/**
 * The docker CLI pointed at one engine: the main one (`undefined`) or a private one
 * (`unix:///tmp/…/docker.sock`), through DOCKER_HOST so nothing else on the command line changes.
 */
export function dockerOn(host: string | undefined) {
  return (args: readonly string[], timeoutMs = 60_000): Promise<string> =>
    docker(args, { timeoutMs, ...(host ? { env: { DOCKER_HOST: host, DOCKER_CONTEXT: "" } } : {}) });
}

export interface RunOptions {
  /** `--network`; the engine's default when absent. */
  network?: string;
  /** Engine url; the main engine when absent. */
  host?: string;
}

/**
 * A lab container, labelled and prefixed like @netdive/lab's `runContainer`, but with `--init` so
 * `docker stop` ends it at once (a bare `sleep` as PID 1 ignores SIGTERM for 10 s) and on any
 * engine.
 */
export async function runLabelled(run: Run, name: string, opts: RunOptions = {}): Promise<LabObject> {
  const full = `${run.prefix}${name}`;
  const args = ["run", "-d", "--init", "--name", full, ...labelArgs(run), "--memory", "64m", "--pids-limit", "64"];
  if (opts.network) args.push("--network", opts.network);
  args.push(LAB_IMAGE, "sleep", "3600");
  const id = (await dockerOn(opts.host)(args)).trim();
  return { name: full, id };
}

/** A labelled, prefixed user-defined bridge on the main engine. */
export async function createLabelledNetwork(run: Run, name: string): Promise<LabObject> {
  const full = `${run.prefix}${name}`;
  const id = (await docker(["network", "create", "--driver", "bridge", ...labelArgs(run), full])).trim();
  return { name: full, id };
}

/** `bash -c script` with an argv-safe environment (values never pass through the script text). */
export function bash(script: string, env: Record<string, string> = {}, timeoutMs = 120_000): Promise<string> {
  return execArgv("bash", ["-o", "pipefail", "-c", script], { env, timeoutMs });
}

/** Percentile (nearest rank) of a list of numbers. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}
