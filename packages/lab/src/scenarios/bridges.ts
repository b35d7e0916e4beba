import { createNetwork, runContainer } from "../containers";
import type { Run } from "../conventions";
import type { ScenarioRun } from "./types";

/** The document's first picture: `web` and `db` on the default bridge, docker0. */
export async function defaultBridge(run: Run): Promise<ScenarioRun> {
  const [web, db] = await Promise.all([
    runContainer(run, { name: "bridge-web" }),
    runContainer(run, { name: "bridge-db" }),
  ]);
  return { scenario: "default-bridge", containers: { web, db }, networks: {} };
}

/** `docker network create mynet`, then `web` and `db` on it: a br-<id> bridge and embedded DNS. */
export async function userBridge(run: Run): Promise<ScenarioRun> {
  const mynet = await createNetwork(run, "mynet");
  const [web, db] = await Promise.all([
    runContainer(run, { name: "mynet-web", network: mynet.name }),
    runContainer(run, { name: "mynet-db", network: mynet.name }),
  ]);
  return { scenario: "user-bridge", containers: { web, db }, networks: { mynet } };
}

/** `--network host`: the container uses the host's interfaces and has none of its own. */
export async function hostMode(run: Run): Promise<ScenarioRun> {
  const tools = await runContainer(run, { name: "host-tools", network: "host" });
  return { scenario: "host", containers: { tools }, networks: {} };
}

/** `--network none`: only `lo`. */
export async function noneMode(run: Run): Promise<ScenarioRun> {
  const tools = await runContainer(run, { name: "none-tools", network: "none" });
  return { scenario: "none", containers: { tools }, networks: {} };
}
