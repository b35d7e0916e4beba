import type { Run } from "../conventions";
import { composeProjectOf, SCENARIO_LAYOUT, type ScenarioLayout } from "@netdive/model";
import type { ScenarioName } from "./types";

/** The objects each scenario is made of, by role: the table lives in packages/model, which reads them back. */
export const LAYOUT = SCENARIO_LAYOUT;
type Layout = ScenarioLayout;

/** The roles of one scenario's containers, e.g. `"web" | "db"`. */
export type ContainerRole<S extends ScenarioName> = keyof (typeof LAYOUT)[S]["containers"] & string;
/** The roles of one scenario's networks, e.g. `"mynet"`. */
export type NetworkRole<S extends ScenarioName> = keyof (typeof LAYOUT)[S]["networks"] & string;

/** The compose project of a run: `nd<runId>`, so its network is `nd<runId>_default` (the model's rule). */
export function composeProject(run: Run): string {
  return composeProjectOf(run);
}

/** The full name of a scenario's container, e.g. `nd-demo-mynet-web`. */
export function containerName(run: Run, suffix: string): string {
  return `${run.prefix}${suffix}`;
}

/** The full name of a scenario's network: `nd-demo-mynet`, or `nd<runId>_default` for compose. */
export function networkName(run: Run, scenario: ScenarioName, suffix: string): string {
  return scenario === "compose" ? `${composeProject(run)}_${suffix}` : `${run.prefix}${suffix}`;
}

/** The full names of everything a scenario makes under a run. */
export function scenarioObjectNames(run: Run, scenario: ScenarioName): { containers: string[]; networks: string[] } {
  const layout: Layout = LAYOUT[scenario];
  return {
    containers: Object.values(layout.containers).map((s) => containerName(run, s)),
    networks: Object.values(layout.networks).map((s) => networkName(run, scenario, s)),
  };
}

/** A scenario's roles with their full names: `[["web", "nd-demo-mynet-web"], …]`. */
export function roleNames(run: Run, scenario: ScenarioName): { containers: RoleName[]; networks: RoleName[] } {
  const layout: Layout = LAYOUT[scenario];
  return {
    containers: Object.entries(layout.containers).map(([role, s]) => [role, containerName(run, s)]),
    networks: Object.entries(layout.networks).map(([role, s]) => [role, networkName(run, scenario, s)]),
  };
}

/** A role and the full name of the object that plays it. */
export type RoleName = [role: string, name: string];
