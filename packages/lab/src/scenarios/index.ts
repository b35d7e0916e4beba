import { cleanup, type Run } from "../conventions";
import { SCENARIO_NAMES } from "./registry";
import { upScenarios } from "./lifecycle";
import type { Progress, ScenarioName, ScenarioRun } from "./types";

export type { Progress, ScenarioInfo, ScenarioName, ScenarioRun } from "./types";
export { defaultBridge, hostMode, noneMode, userBridge } from "./bridges";
export {
  composeSimpleweb,
  composeDown,
  simplewebComposeFile,
  SIMPLEWEB_HTTP_PORT,
  simplewebLabOverride,
} from "./compose";
export { ICC_OPTION, isolation } from "./isolation";
export { joinBoth, joinNetwork, joinPid } from "./joins";
export { SCENARIO_INFO } from "./info";
export { composeProject, containerName, networkName, scenarioObjectNames } from "./layout";
export { isScenarioName, SCENARIOS, SCENARIO_NAMES } from "./registry";
export type { ScenarioState, ScenarioStateName } from "./state";
export {
  downAll,
  downScenario,
  scenarioStates,
  upScenario,
  upScenarios,
  workshopRun,
  WORKSHOP_RUN_ID,
  type Removed,
} from "./lifecycle";

/**
 * Brings several scenarios up at once under one run (each with `upScenario`: a scenario already
 * up is kept as it is). When one fails, everything labelled with the run is removed before the
 * error is thrown.
 */
export async function upAll(
  run: Run,
  names: readonly ScenarioName[] = SCENARIO_NAMES,
  onProgress?: Progress,
): Promise<Record<ScenarioName, ScenarioRun>> {
  const settled = await upScenarios(run, names, onProgress);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  const made = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  if (failed) {
    await tearDown(run, made).catch(() => undefined);
    throw failed.reason;
  }
  return Object.fromEntries(made.map((s) => [s.scenario, s])) as Record<ScenarioName, ScenarioRun>;
}

/** Each scenario's own `down`, then removal of everything labelled with the run. */
export async function tearDown(run: Run, scenarios: readonly ScenarioRun[]): Promise<void> {
  const downs = await Promise.allSettled(scenarios.map((s) => s.down?.()));
  await cleanup(run.id);
  const failed = downs.find((d): d is PromiseRejectedResult => d.status === "rejected");
  if (failed) throw failed.reason;
}
