import type { ScenarioActions, ScenarioRefusal } from "@netdive/model";
import type { Run } from "./conventions";
import { LabError } from "./errors";
import { useEngine } from "./exec";
import { downScenario, upScenario, workshopRun } from "./scenarios/lifecycle";

/**
 * The lab's up/down for the server's scenario routes (wired by apps/server's main.ts under
 * --allow-actions): the lab's docker CLI is pointed at `dockerHost`, and a {@link LabError} comes
 * back as a refusal with its sentence.
 */
export function scenarioActions(dockerHost: string, run: Run = workshopRun()): ScenarioActions {
  useEngine(dockerHost);
  const refusal = (err: unknown): ScenarioRefusal => {
    if (!(err instanceof LabError)) throw err;
    return { ok: false, reason: err.reason === "engine" ? "engine" : "conflict", message: err.message };
  };
  return {
    up: (name, progress) => upScenario(run, name, progress).then(() => ({ ok: true as const }), refusal),
    down: (name) => downScenario(run, name).then(() => ({ ok: true as const }), refusal),
  };
}
