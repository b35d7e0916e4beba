/**
 * What `--record` costs the live stream: the same container starts watched by a server without
 * and with a recording, alternated (A B A B) so a drifting engine weighs on both alike. Each
 * server is started anew, waits for its first collection and, when recording, for its first
 * round of container details (the burst a recording begins with), then the machine settles.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freeTcpPort, type Run } from "@netdive/lab";
import { startOne } from "./start-one";
import { BenchClient } from "./stream-client";

export interface RecordingCost {
  /** start event → "running" patch at a client, ms, without a recording. */
  plain: { p50: number; p95: number };
  /** The same with `--record`. */
  recording: { p50: number; p95: number };
  /** Recording bytes written per container start (its patches and its details). */
  bytesPerStart: number;
  /** From the first collection until the first round of details is written (the startup burst). */
  detailsBurstMs: number;
  /** The recording's size once that burst is written, for the N containers. */
  burstBytes: number;
}

const SAMPLES_PER_ROUND = 8;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
}

function startServer(repo: string, port: number, record: string | null): ChildProcess {
  const args = ["--enable-source-maps", "apps/server/dist/main.mjs", "--port", String(port), "--log-level", "warn"];
  return spawn(process.execPath, record ? [...args, "--record", record] : args, {
    cwd: repo,
    stdio: ["ignore", "inherit", "inherit"],
  });
}

async function stop(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null) return;
  const exited = new Promise((r) => server.once("exit", r));
  server.kill("SIGTERM");
  await exited;
}

/** Resolves once the server answers on `port` (it listens after its first collection, at most 3 s). */
async function listening(port: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`recording cost: no server on port ${port} after 60 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Resolves once `file` has not grown for `quietMs` (or after `maxMs`); the time it took. */
async function untilStill(file: string, quietMs: number, maxMs: number): Promise<number> {
  const started = performance.now();
  let size = -1;
  let since = performance.now();
  while (performance.now() - started < maxMs) {
    const now = statSync(file, { throwIfNoEntry: false })?.size ?? 0;
    if (now !== size) {
      size = now;
      since = performance.now();
    } else if (performance.now() - since >= quietMs) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return since - started;
}

/**
 * Alternates a plain and a recording server twice at the run's current load, each timing
 * {@link SAMPLES_PER_ROUND} container starts from the engine's start event (`eventAt`).
 */
export async function recordingCost(
  repo: string,
  run: Run,
  network: string,
  eventAt: (id: string) => Promise<number>,
  settle: () => Promise<void>,
): Promise<RecordingCost> {
  const dir = mkdtempSync(join(tmpdir(), "netdive-bench-record-"));
  const plain: number[] = [];
  const recording: number[] = [];
  let bytes = 0;
  let starts = 0;
  let detailsBurstMs = 0;
  let burstBytes = 0;
  try {
    for (const [round, record] of [false, true, false, true].entries()) {
      const file = record ? join(dir, `round${round}.ndjson`) : null;
      const port = await freeTcpPort(0);
      const server = startServer(repo, port, file);
      try {
        await listening(port);
        const client = new BenchClient(`ws://127.0.0.1:${port}/api/stream`);
        await client.ready;
        const deadline = Date.now() + 120_000;
        while (client.topology?.engines.local?.reachable !== true) {
          if (Date.now() > deadline) throw new Error("recording cost: the server never read the engine");
          await new Promise((r) => setTimeout(r, 100));
        }
        if (file) {
          detailsBurstMs = await untilStill(file, 2000, 300_000);
          burstBytes = statSync(file).size;
        }
        await settle();
        for (let i = 0; i < SAMPLES_PER_ROUND; i++) {
          const name = `${run.prefix}rec${round}-${i}`;
          const seen = client.waitFor((t) =>
            Object.values(t.containers).some(
              (c) => c.name === name && c.state === "running" && c.interfaces.length > 0,
            ),
          );
          const before = file ? statSync(file).size : 0;
          const id = await startOne(run, network, `rec${round}-${i}`);
          const arrived = await seen;
          (record ? recording : plain).push(arrived - (await eventAt(id)));
          if (file) {
            await untilStill(file, 500, 10_000);
            bytes += statSync(file).size - before;
            starts++;
          }
        }
        client.close();
      } finally {
        await stop(server);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    plain: { p50: pct(plain, 50), p95: pct(plain, 95) },
    recording: { p50: pct(recording, 50), p95: pct(recording, 95) },
    bytesPerStart: starts > 0 ? bytes / starts : NaN,
    detailsBurstMs,
    burstBytes,
  };
}
