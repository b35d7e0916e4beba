import type { LabObject } from "../containers";

/** The document's scenarios, by the name the tests and fixtures use. */
export type ScenarioName =
  "default-bridge" | "user-bridge" | "compose" | "host" | "none" | "join-network" | "join-pid" | "join-both";

/** What a scenario made: containers and networks by their role in it (`web`, `mynet`, …). */
export interface ScenarioRun {
  scenario: ScenarioName;
  containers: Record<string, LabObject>;
  networks: Record<string, LabObject>;
  /** Set for the compose scenario. */
  compose?: { project: string; hostPort: number };
  /**
   * Undoes what the scenario made in its own way (`docker-compose down`); removal by label
   * (`cleanup(runId)`) still follows it.
   */
  down?: () => Promise<void>;
}
