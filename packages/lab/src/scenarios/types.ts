import type { LabScenario, Localized } from "@netdive/model";
import type { LabObject } from "../containers";

/** The document's scenarios (and the workshop's isolation one): their names live in packages/model. */
export type ScenarioName = LabScenario;

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

/** Receives one human-readable line per step while a scenario comes up ("starting nd-demo-mynet-web"). */
export type Progress = (line: string) => void;

/** What the workshop UI and server say about a scenario, and which objects it is made of. */
export interface ScenarioInfo {
  /** A few words: "User-defined bridge". */
  title: Localized;
  /** One or two sentences a student understands, naming what the scenario shows. */
  summary: Localized;
  /** Container names after the run prefix: `mynet-web` is `nd-demo-mynet-web` in the workshop. */
  containers: string[];
  /**
   * Network names after the run prefix: `mynet` is `nd-demo-mynet`. For compose the network is
   * the project's: `default` is `nd<runId>_default` (see `scenarioObjectNames`).
   */
  networks: string[];
}
