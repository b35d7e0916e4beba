import { createNetwork, runContainer } from "../containers";
import type { Run } from "../conventions";
import type { ScenarioRun } from "./types";

/**
 * A "mysql" stand-in on a user bridge and a tools container in its network namespace
 * (`--network container:<mysql>`), the document's way to debug a container with no tools.
 */
export async function joinNetwork(run: Run): Promise<ScenarioRun> {
  const dbnet = await createNetwork(run, "dbnet");
  const mysql = await runContainer(run, { name: "joinnet-mysql", network: dbnet.name });
  const tools = await runContainer(run, { name: "joinnet-tools", network: `container:${mysql.name}` });
  return { scenario: "join-network", containers: { mysql, tools }, networks: { dbnet } };
}

/** `--pid container:X`: the joiner sees X's processes but keeps a network namespace of its own. */
export async function joinPid(run: Run): Promise<ScenarioRun> {
  const owner = await runContainer(run, { name: "joinpid-owner" });
  const tools = await runContainer(run, { name: "joinpid-tools", pid: `container:${owner.name}` });
  return { scenario: "join-pid", containers: { owner, tools }, networks: {} };
}

/** `--network container:X --pid container:X`: both namespaces joined. */
export async function joinBoth(run: Run): Promise<ScenarioRun> {
  const owner = await runContainer(run, { name: "joinboth-owner" });
  const tools = await runContainer(run, {
    name: "joinboth-tools",
    network: `container:${owner.name}`,
    pid: `container:${owner.name}`,
  });
  return { scenario: "join-both", containers: { owner, tools }, networks: {} };
}
