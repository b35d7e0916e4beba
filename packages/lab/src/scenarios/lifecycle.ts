import { WORKSHOP_RUN_ID } from "@netdive/model";
import {
  cleanup,
  labelFilters,
  labelled,
  leftovers,
  newRun,
  removeLabelled,
  removeNetwork,
  withScenario,
  type Run,
} from "../conventions";
import { LabError } from "../errors";
import { docker } from "../exec";
import { checkEngine, checkImage, composeCommand } from "../preflight";
import { apacheHostPort, composeDown, composeRun } from "./compose";
import { SCENARIOS, SCENARIO_NAMES } from "./registry";
import {
  foreignObjects,
  objectsByRole,
  readInventory,
  stateOf,
  strayObjects,
  type Inventory,
  type ScenarioState,
} from "./state";
import type { Progress, ScenarioName, ScenarioRun } from "./types";

export { WORKSHOP_RUN_ID };

/** A week: the workshop's containers outlive any session, yet a forgotten one ends some day. */
const WORKSHOP_LIFETIME_SECONDS = 7 * 24 * 3600;

/** The workshop's run (`nd-demo-…`), or another id's (a test's) with the workshop's lifetime. */
export function workshopRun(id: string = WORKSHOP_RUN_ID): Run {
  return { ...newRun(id), lifetimeSeconds: WORKSHOP_LIFETIME_SECONDS };
}

/** How many objects a removal took away. */
export interface Removed {
  containers: number;
  networks: number;
}

/** Every scenario's state under a run, from the lab, run and scenario labels on the engine. */
export async function scenarioStates(run: Run): Promise<Record<ScenarioName, ScenarioState>> {
  await checkEngine();
  const inventory = await readInventory(run);
  return Object.fromEntries(SCENARIO_NAMES.map((name) => [name, stateOf(run, name, inventory)])) as Record<
    ScenarioName,
    ScenarioState
  >;
}

/**
 * Brings one scenario up under a run, idempotently. Already up: returns what is there (same ids).
 * Partly there: removes that scenario's objects and creates it anew. Refuses with a
 * {@link LabError} when the engine does not answer, the lab image or compose is missing, or an
 * object with one of the scenario's names exists that netdive did not make (it is left alone).
 * When creating fails half-way, what was made is removed before the error is thrown.
 */
export async function upScenario(run: Run, name: ScenarioName, onProgress?: Progress): Promise<ScenarioRun> {
  const [result] = await upScenarios(run, [name], onProgress);
  if (result?.status !== "fulfilled") throw result?.reason;
  return result.value;
}

/**
 * `upScenario` for several scenarios at once, each on its own: one that fails (its sentence in the
 * rejection) does not stop the others. The engine, the image and the run's objects are read once.
 * Throws, for all, only when the engine does not answer or the lab image is missing.
 */
export async function upScenarios(
  run: Run,
  names: readonly ScenarioName[],
  onProgress?: Progress,
): Promise<Array<PromiseSettledResult<ScenarioRun>>> {
  const say: Progress = onProgress ?? (() => undefined);
  await checkEngine();
  await checkImage();
  const inventory = await readInventory(run);
  return Promise.allSettled(names.map((name) => upOne(run, name, inventory, say)));
}

async function upOne(run: Run, name: ScenarioName, inventory: Inventory, say: Progress): Promise<ScenarioRun> {
  if (name === "compose") await composeCommand();
  const { state } = stateOf(run, name, inventory);
  if (state === "up") {
    say(`${name}: already up, nothing to do`);
    return existing(run, name, inventory);
  }
  refuseForeign(run, name, inventory);
  if (state === "partial") {
    say(`${name}: only partly there — removing what is left to start it anew`);
    await removeScenario(run, name);
  }
  await removeStray(strayObjects(run, name, inventory));
  try {
    const made = await SCENARIOS[name](run, say);
    say(`${name}: up`);
    return made;
  } catch (err) {
    await removeScenario(run, name).catch(() => undefined);
    throw err;
  }
}

/** Removes one scenario's objects (by the run and scenario labels); compose first gets `docker-compose down`. */
export async function downScenario(run: Run, name: ScenarioName): Promise<Removed> {
  const before = await labelledCount(withScenario(run, name));
  if (before.containers + before.networks > 0) await removeScenario(run, name);
  return before;
}

/** Removes everything labelled with the run: `cleanup(run.id)`. */
export async function downAll(run: Run): Promise<Removed> {
  const before = await leftovers(run.id);
  await cleanup(run.id);
  return { containers: before.containers.length, networks: before.networks.length };
}

async function existing(run: Run, name: ScenarioName, inventory: Inventory): Promise<ScenarioRun> {
  const { containers, networks } = objectsByRole(run, name, inventory);
  if (name !== "compose") return { scenario: name, containers, networks };
  const { apache, default: network } = { ...containers, ...networks };
  if (!apache || !network) throw new Error("the compose scenario is up without apache or its network");
  return composeRun(run, containers, network, await apacheHostPort(apache));
}

function refuseForeign(run: Run, name: ScenarioName, inventory: Inventory): void {
  const foreign = foreignObjects(run, name, inventory);
  if (foreign.length === 0) return;
  const one = foreign.length === 1;
  throw new LabError(
    "collision",
    `${englishList(foreign)} already ${one ? "exists" : "exist"} and netdive did not make ${one ? "it" : "them"} — ` +
      `remove or rename ${one ? "it" : "them"}, netdive will not touch ${one ? "it" : "them"}`,
  );
}

/** Compose's own `down` when it applies, then removal by the run and scenario labels. */
async function removeScenario(run: Run, name: ScenarioName): Promise<void> {
  // Compose's down is a courtesy (it also forgets the project); removal by label is the guarantee.
  if (name === "compose") await composeDown(run).catch(() => undefined);
  await removeLabelled(labelFilters(withScenario(run, name)));
}

/** Removes, by id, objects the run made that have one of a scenario's names but not its label. */
async function removeStray(stray: Inventory): Promise<void> {
  if (stray.containers.length > 0) await docker(["rm", "-f", "-v", ...stray.containers.map((o) => o.id)]);
  for (const o of stray.networks) await removeNetwork(o.id);
}

async function labelledCount(scoped: Run): Promise<Removed> {
  const { containers, networks } = await labelled(labelFilters(scoped));
  return { containers: containers.length, networks: networks.length };
}

function englishList(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}
