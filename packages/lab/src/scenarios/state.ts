import type { ScenarioState, ScenarioStateName } from "@netdive/model";
import { LAB_LABEL, RUN_LABEL, SCENARIO_LABEL, type Run } from "../conventions";
import type { LabObject } from "../containers";
import { docker } from "../exec";
import { composeProject, roleNames, scenarioObjectNames } from "./layout";
import type { ScenarioName } from "./types";

/** A container or network on the engine that may matter to a run: it carries the run's label or one of its names. */
export interface EngineObject {
  id: string;
  name: string;
  /** Containers: `State` is "running". Networks: always true. */
  running: boolean;
  /** The values of the lab's labels; "" when the label is absent. */
  labels: { lab: string; run: string; scenario: string };
}

/** What the engine holds that carries a run's label or one of its names. */
export interface Inventory {
  containers: EngineObject[];
  networks: EngineObject[];
}

/** A scenario's state under a run (the same answer the model gives from a topology), here read from the engine by label. */
export type { ScenarioState, ScenarioStateName };

const LABEL_FORMAT = [LAB_LABEL, RUN_LABEL, SCENARIO_LABEL].map((l) => `{{.Label "${l}"}}`).join("\t");

/**
 * Reads, in four listings, every container and network that carries the run's label or whose
 * name starts with the run's prefix (or is the compose project's): enough to tell a scenario's
 * state and to spot an object with one of our names that netdive did not make.
 */
export async function readInventory(run: Run): Promise<Inventory> {
  const byLabel = ["--filter", `label=${RUN_LABEL}=${run.id}`];
  const [labelledContainers, namedContainers, labelledNetworks, namedNetworks] = await Promise.all([
    docker(["ps", "-a", "--no-trunc", ...byLabel, "--format", `{{.ID}}\t{{.Names}}\t{{.State}}\t${LABEL_FORMAT}`]),
    docker([
      "ps",
      "-a",
      "--no-trunc",
      "--filter",
      `name=${run.prefix}`,
      "--format",
      `{{.ID}}\t{{.Names}}\t{{.State}}\t${LABEL_FORMAT}`,
    ]),
    docker(["network", "ls", "--no-trunc", ...byLabel, "--format", `{{.ID}}\t{{.Name}}\trunning\t${LABEL_FORMAT}`]),
    docker([
      "network",
      "ls",
      "--no-trunc",
      "--filter",
      `name=${run.prefix}`,
      "--filter",
      `name=${composeProject(run)}_`,
      "--format",
      `{{.ID}}\t{{.Name}}\trunning\t${LABEL_FORMAT}`,
    ]),
  ]);
  return {
    containers: parseRows(labelledContainers + namedContainers),
    networks: parseRows(labelledNetworks + namedNetworks),
  };
}

/** Rows of `id name state lab run scenario`, tab-separated, one object once. */
export function parseRows(text: string): EngineObject[] {
  const byId = new Map<string, EngineObject>();
  for (const line of text.split("\n")) {
    const [id = "", name = "", state = "", lab = "", runId = "", scenario = ""] = line.split("\t");
    if (id.trim() === "") continue;
    byId.set(id, { id, name, running: state === "running", labels: { lab, run: runId, scenario } });
  }
  return [...byId.values()];
}

/** Whether netdive made the object under this run (the lab and run labels), whatever its scenario label. */
export function madeByRun(o: EngineObject, run: Run): boolean {
  return o.labels.lab === "1" && o.labels.run === run.id;
}

/** A scenario's state under a run: "up" when every container it is made of runs and every network exists. */
export function stateOf(run: Run, scenario: ScenarioName, inventory: Inventory): ScenarioState {
  const mine = (o: EngineObject) => madeByRun(o, run) && o.labels.scenario === scenario;
  const names = scenarioObjectNames(run, scenario);
  const order = (o: EngineObject) => {
    const at = names.containers.indexOf(o.name);
    return at < 0 ? names.containers.length : at;
  };
  const containers = inventory.containers.filter(mine).sort((a, b) => order(a) - order(b));
  const networks = inventory.networks.filter(mine);
  const up =
    names.containers.every((n) => containers.some((o) => o.name === n && o.running)) &&
    names.networks.every((n) => networks.some((o) => o.name === n));
  const anything = containers.length > 0 || networks.length > 0;
  return {
    state: up ? "up" : anything ? "partial" : "down",
    containers: containers.map(({ name, id, running }) => ({ name, id, running })),
  };
}

/** "a container named nd-demo-mynet-web" for each object that has one of the scenario's names and that netdive did not make. */
export function foreignObjects(run: Run, scenario: ScenarioName, inventory: Inventory): string[] {
  const names = scenarioObjectNames(run, scenario);
  const foreign = (list: EngineObject[], wanted: string[]) =>
    list.filter((o) => wanted.includes(o.name) && !madeByRun(o, run)).map((o) => o.name);
  return [
    ...foreign(inventory.containers, names.containers).map((n) => `a container named ${n}`),
    ...foreign(inventory.networks, names.networks).map((n) => `a network named ${n}`),
  ];
}

/**
 * Objects with one of the scenario's names that this run made but that do not carry the
 * scenario's label (left by an older netdive, or relabelled): in the way of a fresh start.
 */
export function strayObjects(run: Run, scenario: ScenarioName, inventory: Inventory): Inventory {
  const names = scenarioObjectNames(run, scenario);
  const stray = (list: EngineObject[], wanted: string[]) =>
    list.filter((o) => wanted.includes(o.name) && madeByRun(o, run) && o.labels.scenario !== scenario);
  return {
    containers: stray(inventory.containers, names.containers),
    networks: stray(inventory.networks, names.networks),
  };
}

/** The containers and networks of a scenario that is up, by role (as the scenario itself returns them). */
export function objectsByRole(
  run: Run,
  scenario: ScenarioName,
  inventory: Inventory,
): { containers: Record<string, LabObject>; networks: Record<string, LabObject> } {
  const roles = roleNames(run, scenario);
  const pick = (list: EngineObject[], role: string, name: string): [string, LabObject] => {
    const o = list.find((x) => x.name === name && madeByRun(x, run) && x.labels.scenario === scenario);
    if (!o) throw new Error(`${scenario} has no ${name} under run ${run.id}`);
    return [role, { name: o.name, id: o.id }];
  };
  return {
    containers: Object.fromEntries(roles.containers.map(([role, n]) => pick(inventory.containers, role, n))),
    networks: Object.fromEntries(roles.networks.map(([role, n]) => pick(inventory.networks, role, n))),
  };
}
