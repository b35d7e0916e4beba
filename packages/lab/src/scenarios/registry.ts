import type { Run } from "../conventions";
import { defaultBridge, hostMode, noneMode, userBridge } from "./bridges";
import { composeSimpleweb } from "./compose";
import { isolation } from "./isolation";
import { joinBoth, joinNetwork, joinPid } from "./joins";
import type { Progress, ScenarioName, ScenarioRun } from "./types";

/**
 * Each scenario's `up`, by name: it creates, with no checks and no idempotence (a second call
 * fails on the names it reuses). `upScenario` is the careful way in.
 */
export const SCENARIOS: Record<ScenarioName, (run: Run, say?: Progress) => Promise<ScenarioRun>> = {
  "default-bridge": defaultBridge,
  "user-bridge": userBridge,
  compose: composeSimpleweb,
  isolation,
  host: hostMode,
  none: noneMode,
  "join-network": joinNetwork,
  "join-pid": joinPid,
  "join-both": joinBoth,
};

/** Every scenario's name, in the order the workshop presents them. */
export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];

/** Whether `name` is a scenario's name (for input from a person or a request). */
export function isScenarioName(name: string): name is ScenarioName {
  return Object.hasOwn(SCENARIOS, name);
}
