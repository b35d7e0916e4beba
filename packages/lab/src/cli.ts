/**
 * The workshop lab from a terminal: `pnpm lab list | up <scenario|all> | down [<scenario>]`.
 *
 * It works on the workshop run (objects named `nd-demo-…`, labelled `io.netdive.run=demo`) and
 * touches nothing else on the engine. NETDIVE_LAB_RUN=<id> picks another run, for tests.
 * Exit status: 0 done, 1 the lab refused or failed (one sentence on stderr), 2 a usage mistake.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { generateHost, HOST_SHAPES, momentRecording } from "@netdive/model";
import { repoPath } from "./repo-path";
import { LabError } from "./errors";
import {
  SCENARIO_INFO,
  SCENARIO_NAMES,
  downAll,
  downScenario,
  isScenarioName,
  scenarioStates,
  upScenarios,
  workshopRun,
  type Removed,
  type ScenarioName,
} from "./scenarios/index";
import type { Run } from "./conventions";

const LAB_IMAGE_SCRIPT = repoPath(import.meta.url, "docker/lab-image.sh");
const VALID_SCENARIOS = `valid scenarios: ${SCENARIO_NAMES.join(", ")}`;
const SHAPES = Object.keys(HOST_SHAPES);

const USAGE = `usage: pnpm lab <command>

  list                 each scenario: its state, its containers, what it shows
  up <scenario|all>    brings a scenario (or every one) up; one already up is left as it is
  down [<scenario>]    removes a scenario, or with none everything of the run (nd-demo-…)
  shape <shape> [seed] [file]
                       writes a generated host of that shape as a recording (to FILE, or
                       netdive-<shape>-<seed>.ndjson here), for \`pnpm start --replay FILE\`:
                       a host the lab does not have, no engine needed
  --help               this text

${VALID_SCENARIOS}
valid shapes: ${SHAPES.join(", ")}

Objects are named nd-demo-… and labelled io.netdive.lab=1, io.netdive.run=demo and
io.netdive.scenario=<scenario>; nothing else on the engine is touched.`;

/** A mistake in how the CLI was called: its sentence, exit status 2. */
class UsageError extends Error {}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === "--help" || command === "-h" || command === "help") {
    console.log(USAGE);
    return 0;
  }
  if (command === undefined) throw new UsageError(`a command is needed\n\n${USAGE}`);
  if (command === "shape") return shape(args);
  const run = runFromEnv();
  if (command === "list") return list(run, args);
  if (command === "up") return up(run, args);
  if (command === "down") return down(run, args);
  if (command === "shape") return shape(args);
  throw new UsageError(`unknown command "${command}" — valid commands: list, up, down, shape, --help`);
}

function runFromEnv(): Run {
  const id = process.env.NETDIVE_LAB_RUN;
  if (id === undefined || id === "") return workshopRun();
  if (!/^[a-z0-9]{4,16}$/.test(id)) {
    throw new UsageError(`NETDIVE_LAB_RUN is 4 to 16 lowercase letters or digits, not "${id}"`);
  }
  return workshopRun(id);
}

async function list(run: Run, args: readonly string[]): Promise<number> {
  if (args.length > 0) throw new UsageError(`list takes no arguments, not "${args.join(" ")}"`);
  const states = await scenarioStates(run);
  const rows = SCENARIO_NAMES.map((name) => {
    const { state, containers } = states[name];
    const running = containers.filter((c) => c.running).length;
    return [name, state, `${running}/${SCENARIO_INFO[name].containers.length}`, SCENARIO_INFO[name].summary.en];
  });
  console.log(table([["scenario", "state", "containers", "summary"], ...rows]));
  return 0;
}

async function up(run: Run, args: readonly string[]): Promise<number> {
  const names = scenariosFrom(args, "up");
  const started = performance.now();
  console.log(`bringing up ${names.join(", ")} (run ${run.id}, names ${run.prefix}…)`);
  const results = await withLabImage(() => upScenarios(run, names, (line) => console.log(`  ${line}`)));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const failed = names.flatMap((name, i) => {
    const r = results[i];
    return r?.status === "rejected" ? [`${name}: ${messageOf(r.reason)}`] : [];
  });
  for (const line of failed) console.error(line);
  if (failed.length === names.length) return 1;
  const done =
    names.length === 1 ? `${names[0]} is up` : `${names.length - failed.length} of ${names.length} scenarios up`;
  console.log(`${done} in ${seconds} s`);
  console.log(`open http://localhost:${process.env.NETDIVE_PORT || 3000}`);
  return failed.length > 0 ? 1 : 0;
}

async function down(run: Run, args: readonly string[]): Promise<number> {
  if (args.length > 1) throw new UsageError(`down takes at most one scenario, not "${args.join(" ")}"`);
  const [name] = args;
  if (name === undefined || name === "all") {
    report(`everything of run ${run.id}`, await downAll(run));
    return 0;
  }
  const [scenario] = scenariosFrom(args, "down");
  report(scenario as ScenarioName, await downScenario(run, scenario as ScenarioName));
  return 0;
}

function scenariosFrom(args: readonly string[], command: string): ScenarioName[] {
  const [name, ...extra] = args;
  if (name === undefined) throw new UsageError(`${command} needs a scenario or "all" — ${VALID_SCENARIOS}`);
  if (extra.length > 0) throw new UsageError(`${command} takes one scenario or "all", not "${args.join(" ")}"`);
  if (name === "all" && command === "up") return [...SCENARIO_NAMES];
  if (!isScenarioName(name)) throw new UsageError(`there is no scenario "${name}" — ${VALID_SCENARIOS}, or all`);
  return [name];
}

/**
 * `shape <shape> [seed] [file]`: a generated host (packages/model's generateHost) as a one-moment
 * recording, written to `file` or to netdive-<shape>-<seed>.ndjson in the working directory.
 */
function shape(args: readonly string[]): number {
  const [name, seedText = "1", out, ...extra] = args;
  if (name === undefined || !(SHAPES as readonly string[]).includes(name))
    throw new UsageError(`shape needs one of ${SHAPES.join(", ")}${name ? `, not "${name}"` : ""}`);
  const seed = Number(seedText);
  if (!Number.isInteger(seed) || seed < 1 || extra.length > 0)
    throw new UsageError(`shape takes a shape, a seed (a whole number from 1) and a file, not "${args.join(" ")}"`);
  const topology = generateHost(seed, HOST_SHAPES[name as keyof typeof HOST_SHAPES]);
  const file = resolve(out ?? `netdive-${name}-${seed}.ndjson`);
  writeFileSync(file, momentRecording(topology, Date.now()));
  const n = (x: Record<string, unknown>) => Object.keys(x).length;
  console.log(`wrote ${file}: ${n(topology.containers)} containers on ${n(topology.networks)} networks`);
  console.log(`see it with: pnpm start --replay ${file}`);
  return 0;
}

function report(what: string, removed: Removed): void {
  const n = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;
  console.log(`removed ${what}: ${n(removed.containers, "container")}, ${n(removed.networks, "network")}`);
}

/** Runs `fn`; when the lab image is missing, builds it with docker/lab-image.sh and runs `fn` once more. */
async function withLabImage<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof LabError) || err.reason !== "image") throw err;
    console.error(`the lab image is missing: building it with bash ${LAB_IMAGE_SCRIPT}`);
    const build = spawnSync("bash", [LAB_IMAGE_SCRIPT], { stdio: ["ignore", "inherit", "inherit"] });
    if (build.status !== 0) throw err;
    return fn();
  }
}

/** Left-aligned columns, two spaces apart; the last column is not padded. */
function table(rows: readonly string[][]): string {
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? "").length))) ?? [];
  return rows
    .map((r) => r.map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col] ?? 0))).join("  "))
    .join("\n");
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = err instanceof UsageError ? 2 : 1;
    console.error(messageOf(err));
  },
);
