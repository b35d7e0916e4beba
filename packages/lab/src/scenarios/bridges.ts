import type { Run } from "../conventions";
import { scenarioBuilder } from "./builder";
import type { Progress, ScenarioRun } from "./types";

/** The document's first picture: `web` and `db` on the default bridge, docker0. */
export async function defaultBridge(run: Run, say?: Progress): Promise<ScenarioRun> {
  const b = scenarioBuilder(run, "default-bridge", say);
  const [web, db] = await Promise.all([b.container("web"), b.container("db")]);
  return { scenario: "default-bridge", containers: { web, db }, networks: {} };
}

/** `docker network create mynet`, then `web` and `db` on it: a br-<id> bridge and embedded DNS. */
export async function userBridge(run: Run, say?: Progress): Promise<ScenarioRun> {
  const b = scenarioBuilder(run, "user-bridge", say);
  const mynet = await b.network("mynet");
  const [web, db] = await Promise.all([
    b.container("web", { network: mynet.name }),
    b.container("db", { network: mynet.name }),
  ]);
  return { scenario: "user-bridge", containers: { web, db }, networks: { mynet } };
}

/** `--network host`: the container uses the host's interfaces and has none of its own. */
export async function hostMode(run: Run, say?: Progress): Promise<ScenarioRun> {
  const tools = await scenarioBuilder(run, "host", say).container("tools", { network: "host" });
  return { scenario: "host", containers: { tools }, networks: {} };
}

/** `--network none`: only `lo`. */
export async function noneMode(run: Run, say?: Progress): Promise<ScenarioRun> {
  const tools = await scenarioBuilder(run, "none", say).container("tools", { network: "none" });
  return { scenario: "none", containers: { tools }, networks: {} };
}
