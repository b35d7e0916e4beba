import { connectNetwork, createNetwork, runContainer, type LabObject, type NetworkOptions } from "../containers";
import { withScenario, type Run } from "../conventions";
import { LAYOUT, type ContainerRole, type NetworkRole } from "./layout";
import type { Progress, ScenarioName } from "./types";

/** How a container of a scenario is started; its name comes from the scenario's layout. */
export interface RoleSpec {
  /** A network's full name, "host", "none" or `container:<name or id>`; the default bridge when absent. */
  network?: string;
  /** `container:<name or id>`. */
  pid?: string;
}

/** Creates one scenario's objects: named from its layout, labelled with the scenario, each step reported. */
export interface ScenarioBuilder<S extends ScenarioName> {
  /** The run with the scenario label added. */
  run: Run;
  container(role: ContainerRole<S>, spec?: RoleSpec): Promise<LabObject>;
  network(role: NetworkRole<S>, options?: NetworkOptions): Promise<LabObject>;
  connect(network: LabObject, container: LabObject): Promise<void>;
}

/** A builder for scenario `scenario` under `run`, reporting each step to `say`. */
export function scenarioBuilder<S extends ScenarioName>(
  run: Run,
  scenario: S,
  say: Progress = () => undefined,
): ScenarioBuilder<S> {
  const scoped = withScenario(run, scenario);
  const containers: Readonly<Record<string, string>> = LAYOUT[scenario].containers;
  const networks: Readonly<Record<string, string>> = LAYOUT[scenario].networks;
  return {
    run: scoped,
    async container(role, spec = {}) {
      const name = suffixOf(containers, role, scenario);
      say(`${scenario}: starting ${scoped.prefix}${name}${where(spec)}`);
      return runContainer(scoped, { name, ...spec });
    },
    async network(role, options) {
      const name = suffixOf(networks, role, scenario);
      say(`${scenario}: creating network ${scoped.prefix}${name}`);
      return createNetwork(scoped, name, options);
    },
    async connect(network, container) {
      say(`${scenario}: connecting ${container.name} to ${network.name} as well`);
      await connectNetwork(network, container);
    },
  };
}

function suffixOf(table: Readonly<Record<string, string>>, role: string, scenario: ScenarioName): string {
  const suffix = table[role];
  if (suffix === undefined) throw new Error(`scenario ${scenario} has no object playing the role "${role}"`);
  return suffix;
}

function where(spec: RoleSpec): string {
  const parts = [spec.network ? `on ${spec.network}` : "on the default bridge"];
  if (spec.pid) parts.push(`with --pid ${spec.pid}`);
  return ` (${parts.join(", ")})`;
}
