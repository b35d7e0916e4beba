/**
 * Records the built-in demo (packages/lab/demo/workshop.ndjson), which `pnpm demo` replays and
 * the page offers when no engine answers:
 *
 *   flock /tmp/netdive-engine.lock pnpm demo:record [--out FILE]
 *
 * On the real engine: the workshop run (`nd-demo-…`) is removed, netdive starts with --record,
 * every lab scenario comes up in the tour's order (LAB_SCENARIOS), then a visitor container comes
 * on the user-defined bridge, joins the compose project's network as well, and is removed. netdive
 * stops, the run is removed, and the recording is narrowed to the run's own objects (see
 * src/demo-recording.ts) before it is written. Nothing in it is written by hand.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { LAB_SCENARIOS, type Topology } from "@netdive/model";
import {
  checkEngine,
  checkImage,
  composeProject,
  docker,
  downAll,
  freeTcpPort,
  repoPath,
  runContainer,
  upScenario,
  workshopRun,
} from "../src/index";
import { DEMO_VISITOR, narrowRecording } from "../src/demo-recording";

/** How long the picture must stay still before the next step: a replay shows each step apart. */
const SETTLE_MS = 1500;

export const DEMO_FILE = repoPath(import.meta.url, "packages/lab/demo/workshop.ndjson");

/** Records the demo into `out`; resolves with the number of moments written. */
export async function recordDemo(out: string, say: (line: string) => void = console.log): Promise<number> {
  await checkEngine();
  await checkImage();
  const run = workshopRun();
  await downAll(run);
  const dir = await mkdtemp(join(tmpdir(), "netdive-demo-"));
  const raw = join(dir, "raw.ndjson");
  const port = await freeTcpPort(3400);
  const server = startNetdive(port, raw);
  const api = `http://127.0.0.1:${port}`;
  try {
    await untilTopology(api, () => true, "netdive to answer", 60_000);
    await settle(api);
    for (const name of LAB_SCENARIOS) {
      say(`${name}: bringing it up`);
      await upScenario(run, name);
      await untilTopology(
        api,
        (t) => Object.values(t.containers).some((c) => c.labScenario === name && c.state === "running"),
        `${name} on the page`,
      );
      await settle(api);
    }
    const visitor = `${run.prefix}${DEMO_VISITOR}`;
    const second = `${composeProject(run)}_default`;
    say(`changes: ${visitor} on ${run.prefix}mynet, then also on ${second}, then removed`);
    await runContainer(run, { name: DEMO_VISITOR, network: `${run.prefix}mynet` });
    await untilTopology(api, (t) => findByName(t, visitor)?.state === "running", "the visitor running");
    await settle(api);
    await docker(["network", "connect", second, visitor]);
    await untilTopology(
      api,
      (t) => Object.keys(findByName(t, visitor)?.endpoints ?? {}).length === 2,
      "the visitor on two networks",
    );
    await settle(api);
    await docker(["rm", "-f", visitor]);
    await untilTopology(api, (t) => findByName(t, visitor) === undefined, "the visitor gone");
    await settle(api);
  } finally {
    await stop(server);
    await downAll(run);
  }
  const text = narrowRecording(await readFile(raw, "utf8"), run.prefix);
  await rm(dir, { recursive: true, force: true });
  await writeFile(out, text);
  return text.split("\n").filter((l) => l.startsWith('{"type":"snapshot"') || l.startsWith('{"type":"patch"')).length;
}

/** netdive from source, as `pnpm start --record` runs it (read-only: no --allow-actions). */
function startNetdive(port: number, raw: string): ChildProcess {
  return spawn(
    repoPath(import.meta.url, "node_modules/.bin/tsx"),
    [
      repoPath(import.meta.url, "apps/server/src/main.ts"),
      "--port",
      String(port),
      "--record",
      raw,
      "--log-level",
      "warn",
    ],
    { stdio: ["ignore", "inherit", "inherit"] },
  );
}

async function stop(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null) return;
  const exited = new Promise((resolve) => server.once("exit", resolve));
  server.kill("SIGTERM");
  await exited;
}

function findByName(t: Topology, name: string) {
  return Object.values(t.containers).find((c) => c.name === name);
}

async function topology(api: string): Promise<Topology | null> {
  try {
    const res = await fetch(`${api}/api/topology`);
    return res.ok ? ((await res.json()) as Topology) : null;
  } catch {
    return null;
  }
}

async function untilTopology(
  api: string,
  test: (t: Topology) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const t = await topology(api);
    if (t && test(t)) return;
    if (Date.now() > deadline) throw new Error(`recording the demo: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Waits until the revision has not moved for {@link SETTLE_MS}. */
async function settle(api: string): Promise<void> {
  let revision = -1;
  let since = Date.now();
  const deadline = Date.now() + 30_000;
  while (Date.now() - since < SETTLE_MS && Date.now() < deadline) {
    const now = (await topology(api))?.revision ?? -1;
    if (now !== revision) {
      revision = now;
      since = Date.now();
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { out: { type: "string" } } });
  recordDemo(values.out ?? DEMO_FILE).then(
    (moments) => console.log(`wrote ${values.out ?? DEMO_FILE}: ${moments} moments`),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exitCode = 1;
    },
  );
}
