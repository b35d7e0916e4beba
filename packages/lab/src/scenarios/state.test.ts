import { describe, expect, it } from "vitest";
import { newRun } from "../conventions";
import {
  foreignObjects,
  objectsByRole,
  parseRows,
  stateOf,
  strayObjects,
  type EngineObject,
  type Inventory,
} from "./state";

const run = newRun("unit1");
const other = newRun("unit2");
const ID = (n: number) => String(n).padStart(64, "0");

function obj(id: number, name: string, labels: Partial<EngineObject["labels"]>, running = true): EngineObject {
  return { id: ID(id), name, running, labels: { lab: "", run: "", scenario: "", ...labels } };
}
const ours = (scenario: string) => ({ lab: "1", run: run.id, scenario });

describe("stateOf", () => {
  const mynet = obj(1, "nd-unit1-mynet", ours("user-bridge"));
  const web = obj(2, "nd-unit1-mynet-web", ours("user-bridge"));
  const db = obj(3, "nd-unit1-mynet-db", ours("user-bridge"));

  it("is up when every container runs and every network exists, listing containers in the scenario's order", () => {
    const s = stateOf(run, "user-bridge", { containers: [db, web], networks: [mynet] });
    expect(s.state).toBe("up");
    expect(s.containers.map((c) => c.name)).toEqual(["nd-unit1-mynet-web", "nd-unit1-mynet-db"]);
  });

  it("is partial when a container stopped, is missing, or only the network is left", () => {
    const stopped = { ...db, running: false };
    expect(stateOf(run, "user-bridge", { containers: [web, stopped], networks: [mynet] }).state).toBe("partial");
    expect(stateOf(run, "user-bridge", { containers: [web], networks: [mynet] }).state).toBe("partial");
    expect(stateOf(run, "user-bridge", { containers: [], networks: [mynet] }).state).toBe("partial");
    expect(stateOf(run, "user-bridge", { containers: [web, db], networks: [] }).state).toBe("partial");
  });

  it("is down when nothing carries the run and scenario labels, whatever else has the names", () => {
    const foreign = obj(4, "nd-unit1-mynet-web", {});
    const otherRun = obj(5, "nd-unit1-mynet-db", { lab: "1", run: other.id, scenario: "user-bridge" });
    const otherScenario = obj(6, "nd-unit1-bridge-web", ours("default-bridge"));
    const s = stateOf(run, "user-bridge", { containers: [foreign, otherRun, otherScenario], networks: [] });
    expect(s).toEqual({ state: "down", containers: [] });
  });

  it("names compose's network after the project", () => {
    const inventory: Inventory = {
      containers: [obj(7, "nd-unit1-apache", ours("compose")), obj(8, "nd-unit1-postgres", ours("compose"))],
      networks: [obj(9, "ndunit1_default", ours("compose"))],
    };
    expect(stateOf(run, "compose", inventory).state).toBe("up");
    expect(objectsByRole(run, "compose", inventory).networks).toEqual({
      default: { name: "ndunit1_default", id: ID(9) },
    });
  });
});

describe("foreignObjects and strayObjects", () => {
  it("a name of ours on an object without our lab and run labels is foreign; with them but no scenario label, stray", () => {
    const inventory: Inventory = {
      containers: [
        obj(1, "nd-unit1-mynet-web", { lab: "1", run: other.id }),
        obj(2, "nd-unit1-mynet-db", { lab: "1", run: run.id }),
        obj(3, "nd-unit1-somethingelse", {}),
      ],
      networks: [obj(4, "nd-unit1-mynet", {})],
    };
    expect(foreignObjects(run, "user-bridge", inventory)).toEqual([
      "a container named nd-unit1-mynet-web",
      "a network named nd-unit1-mynet",
    ]);
    expect(strayObjects(run, "user-bridge", inventory)).toEqual({
      containers: [inventory.containers[1]],
      networks: [],
    });
  });
});

describe("parseRows", () => {
  it("reads tab-separated rows, keeps each id once and treats an absent label as empty", () => {
    const text = `${ID(1)}\tnd-unit1-x\trunning\t1\tunit1\tnone\n${ID(1)}\tnd-unit1-x\trunning\t1\tunit1\tnone\n${ID(2)}\tstranger\texited\t\t\t\n`;
    expect(parseRows(text)).toEqual([
      { id: ID(1), name: "nd-unit1-x", running: true, labels: { lab: "1", run: "unit1", scenario: "none" } },
      { id: ID(2), name: "stranger", running: false, labels: { lab: "", run: "", scenario: "" } },
    ]);
  });
});
