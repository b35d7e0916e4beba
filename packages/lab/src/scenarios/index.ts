import { cleanup, type Run } from "../conventions";
import { defaultBridge, hostMode, noneMode, userBridge } from "./bridges";
import { composeSimpleweb } from "./compose";
import { joinBoth, joinNetwork, joinPid } from "./joins";
import type { ScenarioName, ScenarioRun } from "./types";

export type { ScenarioName, ScenarioRun } from "./types";
export { defaultBridge, hostMode, noneMode, userBridge } from "./bridges";
export { composeSimpleweb, SIMPLEWEB_COMPOSE_FILE, SIMPLEWEB_HTTP_PORT } from "./compose";
export { joinBoth, joinNetwork, joinPid } from "./joins";

/** Each scenario's `up`, by name. */
export const SCENARIOS: Record<ScenarioName, (run: Run) => Promise<ScenarioRun>> = {
  "default-bridge": defaultBridge,
  "user-bridge": userBridge,
  compose: composeSimpleweb,
  host: hostMode,
  none: noneMode,
  "join-network": joinNetwork,
  "join-pid": joinPid,
  "join-both": joinBoth,
};

export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];

/**
 * Brings several scenarios up at once under one run. When one fails, what the others made is
 * removed (by label) before the error is thrown.
 */
export async function upAll(
  run: Run,
  names: readonly ScenarioName[] = SCENARIO_NAMES,
): Promise<Record<ScenarioName, ScenarioRun>> {
  const settled = await Promise.allSettled(names.map((name) => SCENARIOS[name](run)));
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
