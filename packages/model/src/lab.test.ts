import { describe, expect, it } from "vitest";
import { labRunNames, scenarioStates } from "./lab";
import { emptyTopology, type Container, type Network, type Topology } from "./topology";

const run = labRunNames("tst1");

function container(name: string, scenario: string | null, state = "running"): Container {
  return {
    id: `${name}-id`,
    engineId: "local",
    name,
    image: "netdive/lab:latest",
    state,
    networkMode: "bridge",
    netnsOwnerId: null,
    pidnsOwnerId: null,
    endpoints: {},
    interfaces: [],
    kernel: { visible: true, reason: null },
    ports: [],
    composeProject: null,
    composeService: null,
    labScenario: scenario,
    hostname: name,
    pid: null,
  };
}

function network(name: string, labels: Record<string, string>): Network {
  return { id: `${name}-id`, name, labels } as Network;
}

function topology(containers: Container[], networks: Network[] = []): Topology {
  return {
    ...emptyTopology(),
    containers: Object.fromEntries(containers.map((c) => [c.id, c])),
    networks: Object.fromEntries(networks.map((n) => [n.id, n])),
  };
}

const mynetLabels = { "io.netdive.lab": "1", "io.netdive.run": "tst1", "io.netdive.scenario": "user-bridge" };

describe("scenarioStates, from the topology alone", () => {
  it("a scenario is up when every container runs and every network exists, listed in the layout's order", () => {
    const t = topology(
      [container("nd-tst1-mynet-db", "user-bridge"), container("nd-tst1-mynet-web", "user-bridge")],
      [network("nd-tst1-mynet", mynetLabels)],
    );
    const states = scenarioStates(t, run);
    expect(states["user-bridge"]).toEqual({
      state: "up",
      containers: [
        { name: "nd-tst1-mynet-web", id: "nd-tst1-mynet-web-id", running: true },
        { name: "nd-tst1-mynet-db", id: "nd-tst1-mynet-db-id", running: true },
      ],
    });
    expect(states.none).toEqual({ state: "down", containers: [] });
  });

  it("a stopped container, or a missing network, leaves the scenario partial", () => {
    const stopped = topology(
      [container("nd-tst1-mynet-db", "user-bridge", "exited"), container("nd-tst1-mynet-web", "user-bridge")],
      [network("nd-tst1-mynet", mynetLabels)],
    );
    expect(scenarioStates(stopped, run)["user-bridge"].state).toBe("partial");
    const noNetwork = topology([
      container("nd-tst1-mynet-db", "user-bridge"),
      container("nd-tst1-mynet-web", "user-bridge"),
    ]);
    expect(scenarioStates(noNetwork, run)["user-bridge"].state).toBe("partial");
  });

  it("another run's objects and unlabelled look-alikes do not count", () => {
    const t = topology(
      [container("nd-other-none-tools", "none"), container("nd-tst1-none-tools", null)],
      [network("nd-tst1-mynet", { ...mynetLabels, "io.netdive.run": "other" })],
    );
    expect(scenarioStates(t, run).none.state).toBe("down");
    expect(scenarioStates(t, run)["user-bridge"].state).toBe("down");
  });
});
