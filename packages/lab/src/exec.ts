import { execFile, type ExecFileOptions } from "node:child_process";
import { DEFAULT_DOCKER_HOST } from "@netdive/model";

export interface ExecOptions {
  /** Extra environment variables, on top of this process's own. */
  env?: Record<string, string>;
  /** Milliseconds before the program is killed; 60 s unless told. */
  timeoutMs?: number;
}

/**
 * Runs a program with an argv array (never a shell) and returns its stdout. A failure throws an
 * Error whose message holds the command line and the program's stderr.
 */
export function execArgv(file: string, args: readonly string[], options: ExecOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, [...args], execFileOptions(options), (err, stdout, stderr) => {
      if (!err) return resolve(String(stdout));
      const why = String(stderr).trim() || err.message;
      reject(new Error(`${[file, ...args].join(" ")} failed: ${why}`, { cause: err }));
    });
  });
}

/** What a program did, for callers that need its stderr or exit status rather than an exception. */
export interface ExecResult {
  /** True when the program ran and exited with status 0. */
  ok: boolean;
  stdout: string;
  stderr: string;
  /** Set when the program could not be started at all (ENOENT: not installed). */
  missing: boolean;
}

/** Like {@link execArgv}, but never throws: the result says how it went. */
export function tryExecArgv(file: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolve) => {
    execFile(file, [...args], execFileOptions(options), (err, stdout, stderr) => {
      resolve({ ok: !err, stdout: String(stdout), stderr: String(stderr), missing: err?.code === "ENOENT" });
    });
  });
}

/** The `docker` CLI: `docker(["ps", "-q"])`. */
export function docker(args: readonly string[], options?: ExecOptions): Promise<string> {
  return execArgv("docker", args, options);
}

let engineHost: string | null = null;

/**
 * Points the lab's docker CLI at an engine (the one netdive reads) without touching this
 * process's environment: only the lab's child processes get DOCKER_HOST.
 */
export function useEngine(host: string): void {
  engineHost = host;
}

/** The engine the lab's docker CLI talks to: the one given to {@link useEngine}, else DOCKER_HOST, else the local socket. */
export function labEngine(): string {
  return engineHost ?? (process.env.DOCKER_HOST || DEFAULT_DOCKER_HOST);
}

function execFileOptions(options: ExecOptions): ExecFileOptions {
  const engine = engineHost ? { DOCKER_HOST: engineHost } : {};
  return {
    timeout: options.timeoutMs ?? 60_000,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, ...engine, ...options.env },
  };
}
