/**
 * What `--flows` costs: a server of its own started with --flows on the engine as it is, then
 * with 1000+ conntrack entries made by a bounded wget loop between two containers of the run.
 * Each read collects the host's conntrack table and every container's socket tables.
 *
 * - ms per read: `GET /api/flows` timed at the client, spaced past the one-second bound so each
 *   one reads the kernel; beside it, in the same run, a bare Engine API call (`GET /containers/json`).
 * - CPU ms per read: the server's own CPU time (/proc/<pid>/stat utime + stime) over a span with
 *   one stream client watching flows (a read a second), less the same span with nobody watching,
 *   divided by the reads made.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { docker, freeTcpPort, type Run } from "@netdive/lab";
import WebSocket from "ws";
import { engineGet } from "./engine-floor";
import { startOne } from "./start-one";

export interface FlowsCostRow {
  label: string;
  /** Lines of the host's /proc/net/nf_conntrack when measured. */
  conntrack: number;
  /** Containers whose namespaces' socket tables each read collects. */
  namespaces: number;
  readMs: { p50: number; p95: number };
  engineCallMs: { p50: number; p95: number };
  cpuMsPerRead: number;
  /** Flows the last read found. */
  flows: number;
}

const SAMPLES = 8;
const CPU_SPAN_MS = 10_000;
const TICK_MS = 1000 / 100; // USER_HZ

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The process's user + system CPU time, ms (fields 14 and 15 of /proc/<pid>/stat, in USER_HZ ticks). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

const conntrackLines = () => readFileSync("/proc/net/nf_conntrack", "utf8").split("\n").filter(Boolean).length;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function measure(
  label: string,
  base: string,
  pid: number,
  apiVersion: string,
  namespaces: number,
): Promise<FlowsCostRow> {
  const conntrack = conntrackLines();
  const reads: number[] = [];
  const calls: number[] = [];
  let flows = 0;
  for (let i = 0; i < SAMPLES; i++) {
    // Past the one-second bound, so this request reads the kernel rather than the last read.
    await sleep(1050);
    reads.push(
      await timed(async () => {
        const body = (await (await fetch(`${base}/api/flows`)).json()) as { flows: unknown[] };
        flows = Math.max(flows, body.flows.length);
      }),
    );
    calls.push(await timed(() => engineGet(`/v${apiVersion}/containers/json`)));
  }
  // CPU: a span at rest, then the same span with one client watching (a read a second).
  await sleep(1100);
  const idle0 = cpuMs(pid);
  await sleep(CPU_SPAN_MS);
  const idle = cpuMs(pid) - idle0;
  const socket = new WebSocket(`${base.replace("http", "ws")}/api/stream`);
  let messages = 0;
  socket.on("message", (data) => {
    if (String(data).startsWith('{"type":"flows"')) messages++;
  });
  await new Promise((r) => socket.once("open", r));
  socket.send(JSON.stringify({ type: "watch-flows", watch: true }));
  await sleep(500);
  const busy0 = cpuMs(pid);
  const before = messages;
  await sleep(CPU_SPAN_MS);
  const busy = cpuMs(pid) - busy0;
  const made = messages - before;
  socket.close();
  return {
    label,
    conntrack,
    namespaces,
    readMs: { p50: pct(reads, 50), p95: pct(reads, 95) },
    engineCallMs: { p50: pct(calls, 50), p95: pct(calls, 95) },
    cpuMsPerRead: made > 0 ? (busy - idle) / made : NaN,
    flows,
  };
}

/**
 * Measures at the engine's current size, then again with 1000+ conntrack entries: an httpd and a
 * client of the run on `network`, 1100 sequential wgets between them (each leaves a TIME_WAIT
 * entry for 120 s). The two containers are the run's and go with it.
 */
export async function flowsCost(repo: string, run: Run, network: string, apiVersion: string): Promise<FlowsCostRow[]> {
  const servers: Array<{ mode: string; base: string; process: ChildProcess }> = [];
  try {
    // As netdive runs here (br_netfilter on: conntrack only), and reading every socket table too.
    for (const mode of ["auto", "always"]) {
      const port = await freeTcpPort(0);
      const child = spawn(
        process.execPath,
        ["--enable-source-maps", "apps/server/dist/main.mjs", "--port", String(port), "--log-level", "warn", "--flows"],
        { cwd: repo, stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, NETDIVE_FLOWS_SOCKETS: mode } },
      );
      servers.push({ mode, base: `http://127.0.0.1:${port}`, process: child });
    }
    for (const { base } of servers)
      for (
        let tries = 0;
        !(await fetch(`${base}/api/health`).then(
          (r) => r.ok,
          () => false,
        ));
        tries++
      ) {
        if (tries > 300) throw new Error("flows cost: the server did not answer in 60 s");
        await sleep(200);
      }
    const running = () => engineGet<unknown[]>(`/v${apiVersion}/containers/json`).then((l) => l.length);
    const rows: FlowsCostRow[] = [];
    const each = async (label: string) => {
      for (const s of servers) {
        const what = s.mode === "auto" ? "conntrack only (auto here)" : "conntrack + every socket table";
        rows.push(await measure(`${label}, ${what}`, s.base, s.process.pid!, apiVersion, await running()));
      }
    };
    await each("engine as it is");
    const run1 = (name: string, command: string[]) => startOne(run, network, name, command);
    await run1("flows-srv", ["httpd", "-f", "-p", "80", "-h", "/var/www"]);
    await run1("flows-cli", ["sleep", "86400"]);
    const ip = (
      await docker([
        "inspect",
        "-f",
        "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}",
        `${run.prefix}flows-srv`,
      ])
    ).trim();
    // Each wget leaves a TIME_WAIT entry for 120 s: both servers are measured inside that.
    await docker(
      [
        "exec",
        `${run.prefix}flows-cli`,
        "sh",
        "-c",
        `i=0; while [ $i -lt 1100 ]; do wget -q -O /dev/null http://${ip}/; i=$((i+1)); done`,
      ],
      { timeoutMs: 110_000 },
    );
    await each("1000+ conntrack entries");
    return rows;
  } finally {
    for (const s of servers) s.process.kill("SIGTERM");
  }
}

export function flowsTable(rows: readonly FlowsCostRow[]): string {
  const f = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : "n/a");
  return [
    "| engine | conntrack entries | containers read | GET /api/flows p50/p95 ms | bare Engine API call p50/p95 ms | server CPU ms per read | flows found |",
    "|---|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.label} | ${r.conntrack} | ${r.namespaces} | ${f(r.readMs.p50)} / ${f(r.readMs.p95)} | ${f(r.engineCallMs.p50)} / ${f(r.engineCallMs.p95)} | ${f(r.cpuMsPerRead)} | ${r.flows} |`,
    ),
  ].join("\n");
}
