import type { Run } from "../conventions";
import { scenarioBuilder } from "./builder";
import type { Progress, ScenarioRun } from "./types";

/**
 * A "mysql" stand-in on a user bridge and a tools container in its network namespace
 * (`--network container:<mysql>`), the document's way to debug a container with no tools.
 */
export async function joinNetwork(run: Run, say?: Progress): Promise<ScenarioRun> {
  const b = scenarioBuilder(run, "join-network", say);
  const dbnet = await b.network("dbnet");
  const mysql = await b.container("mysql", { network: dbnet.name });
  const tools = await b.container("tools", { network: `container:${mysql.name}` });
  return { scenario: "join-network", containers: { mysql, tools }, networks: { dbnet } };
}

/** `--pid container:X`: the joiner sees X's processes but keeps a network namespace of its own. */
export async function joinPid(run: Run, say?: Progress): Promise<ScenarioRun> {
  const b = scenarioBuilder(run, "join-pid", say);
  const owner = await b.container("owner");
  const tools = await b.container("tools", { pid: `container:${owner.name}` });
  return { scenario: "join-pid", containers: { owner, tools }, networks: {} };
}

/** `--network container:X --pid container:X`: both namespaces joined. */
export async function joinBoth(run: Run, say?: Progress): Promise<ScenarioRun> {
  const b = scenarioBuilder(run, "join-both", say);
  const owner = await b.container("owner");
  const tools = await b.container("tools", { network: `container:${owner.name}`, pid: `container:${owner.name}` });
  return { scenario: "join-both", containers: { owner, tools }, networks: {} };
}
