import type { Topology } from "./topology";

/**
 * The workshop lab's scenarios, by the name `pnpm lab up <name>` and the label
 * `io.netdive.scenario` use: shared by the lab that makes them, the server that lists them and
 * the page that tours them.
 */
export const LAB_SCENARIOS = [
  "default-bridge",
  "user-bridge",
  "compose",
  "isolation",
  "host",
  "none",
  "join-network",
  "join-pid",
  "join-both",
] as const;

export type LabScenario = (typeof LAB_SCENARIOS)[number];

/** Every object the lab creates carries this label ("1")... */
export const LAB_LABEL = "io.netdive.lab";
/** ...and this one, naming the run that made it... */
export const LAB_RUN_LABEL = "io.netdive.run";
/** ...and, when a scenario made it, this one naming the scenario (read as `Container.labScenario`). */
export const LAB_SCENARIO_LABEL = "io.netdive.scenario";
/** The image every lab container and every probe runs (built offline by docker/lab-image.sh). */
export const LAB_IMAGE = "netdive/lab:latest";
/** The run id of the workshop: its objects are named `nd-demo-…` (`nd-demo-mynet-web`). */
export const WORKSHOP_RUN_ID = "demo";

/** Role -> name after the run prefix, for one scenario's containers and networks. */
export interface ScenarioLayout {
  containers: Readonly<Record<string, string>>;
  networks: Readonly<Record<string, string>>;
}

/**
 * The objects each scenario is made of, by role. The lab creates from this table; the lab's
 * lifecycle and {@link scenarioStates} recognise them by it.
 */
export const SCENARIO_LAYOUT = {
  "default-bridge": { containers: { web: "bridge-web", db: "bridge-db" }, networks: {} },
  "user-bridge": { containers: { web: "mynet-web", db: "mynet-db" }, networks: { mynet: "mynet" } },
  compose: { containers: { apache: "apache", postgres: "postgres" }, networks: { default: "default" } },
  isolation: {
    containers: {
      leftA: "iso-left-a",
      rightB: "iso-right-b",
      router: "iso-router",
      quietA: "iso-quiet-a",
      quietB: "iso-quiet-b",
      vaultA: "iso-vault-a",
      vaultB: "iso-vault-b",
    },
    networks: { left: "iso-left", right: "iso-right", quiet: "iso-quiet", vault: "iso-vault" },
  },
  host: { containers: { tools: "host-tools" }, networks: {} },
  none: { containers: { tools: "none-tools" }, networks: {} },
  "join-network": { containers: { mysql: "joinnet-mysql", tools: "joinnet-tools" }, networks: { dbnet: "dbnet" } },
  "join-pid": { containers: { owner: "joinpid-owner", tools: "joinpid-tools" }, networks: {} },
  "join-both": { containers: { owner: "joinboth-owner", tools: "joinboth-tools" }, networks: {} },
} as const satisfies Record<LabScenario, ScenarioLayout>;

/** The two names of a lab run that {@link scenarioStates} needs. */
export interface LabRunNames {
  /** Short lowercase alphanumeric id, the value of {@link LAB_RUN_LABEL}. */
  id: string;
  /** `nd-<id>-`: the start of every container and network name of the run. */
  prefix: string;
}

/** The names of the workshop run's objects (`nd-demo-…`). */
export function labRunNames(id: string = WORKSHOP_RUN_ID): LabRunNames {
  return { id, prefix: `nd-${id}-` };
}

/** The compose project of a run: `nd<runId>`, so its network is `nd<runId>_default`. */
export function composeProjectOf(run: LabRunNames): string {
  return `nd${run.id}`;
}

/** The full names of everything a scenario makes under a run (compose's network is the project's). */
export function scenarioObjectNames(
  run: LabRunNames,
  scenario: LabScenario,
): { containers: string[]; networks: string[] } {
  const layout: ScenarioLayout = SCENARIO_LAYOUT[scenario];
  const network = (s: string) => (scenario === "compose" ? `${composeProjectOf(run)}_${s}` : `${run.prefix}${s}`);
  return {
    containers: Object.values(layout.containers).map((s) => `${run.prefix}${s}`),
    networks: Object.values(layout.networks).map(network),
  };
}

/** Whether a scenario is there: every container running ("up"), some of it ("partial"), or nothing ("down"). */
export type ScenarioStateName = "up" | "partial" | "down";

/** A scenario's state under a run. */
export interface ScenarioState {
  state: ScenarioStateName;
  /** The run's containers labelled with the scenario, in the scenario's order. */
  containers: Array<{ name: string; id: string; running: boolean }>;
}

/**
 * Every scenario's state under a run, from the topology the server already holds: a container
 * belongs to a scenario when it carries the scenario's label and the run's name prefix, a network
 * when it carries the run's and the scenario's labels. "up" when every container of the scenario
 * runs and every network exists.
 */
export function scenarioStates(topology: Topology, run: LabRunNames): Record<LabScenario, ScenarioState> {
  const containers = Object.values(topology.containers);
  const networks = Object.values(topology.networks);
  const one = (scenario: LabScenario): ScenarioState => {
    const names = scenarioObjectNames(run, scenario);
    const order = (name: string) => {
      const at = names.containers.indexOf(name);
      return at < 0 ? names.containers.length : at;
    };
    const mine = containers
      .filter((c) => c.labScenario === scenario && c.name.startsWith(run.prefix))
      .sort((a, b) => order(a.name) - order(b.name) || a.name.localeCompare(b.name));
    const nets = networks.filter(
      (n) =>
        n.labels[LAB_LABEL] === "1" && n.labels[LAB_RUN_LABEL] === run.id && n.labels[LAB_SCENARIO_LABEL] === scenario,
    );
    const up =
      names.containers.every((name) => mine.some((c) => c.name === name && c.state === "running")) &&
      names.networks.every((name) => nets.some((n) => n.name === name));
    return {
      state: up ? "up" : mine.length > 0 || nets.length > 0 ? "partial" : "down",
      containers: mine.map((c) => ({ name: c.name, id: c.id, running: c.state === "running" })),
    };
  };
  return Object.fromEntries(LAB_SCENARIOS.map((s) => [s, one(s)])) as Record<LabScenario, ScenarioState>;
}

/** Why bringing a scenario up or down did not happen: the engine is away, or something is in the way. */
export type ScenarioRefusal = { ok: false; reason: "engine" | "conflict"; message: string };

/**
 * What the server needs of the lab to bring the workshop's scenarios up and down: main.ts wires
 * the lab's implementation only with --allow-actions. Refusals are values with a sentence for the
 * user; anything else thrown is a failure of netdive's own.
 */
export interface ScenarioActions {
  up(name: LabScenario, progress: (line: string) => void): Promise<{ ok: true } | ScenarioRefusal>;
  down(name: LabScenario): Promise<{ ok: true } | ScenarioRefusal>;
}

/** The engine netdive and the lab read when neither --docker-host nor DOCKER_HOST names one. */
export const DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock";
