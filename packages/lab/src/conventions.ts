import { LAB_IMAGE, LAB_LABEL, LAB_RUN_LABEL, LAB_SCENARIO_LABEL, mapLimit } from "@netdive/model";
import { randomBytes } from "node:crypto";
import { docker } from "./exec";

/** The lab's labels and image are named in packages/model, which reads them back. */
export { LAB_IMAGE, LAB_LABEL };
export const RUN_LABEL = LAB_RUN_LABEL;
export const SCENARIO_LABEL = LAB_SCENARIO_LABEL;

/** One lab run: its objects are named `nd-<id>-…` and labelled with the id. */
export interface Run {
  /** Short, random, lowercase alphanumeric. */
  id: string;
  /** `nd-<id>-`: the start of every container and network name of the run. */
  prefix: string;
  /** The labels every object of the run carries. */
  labels: Record<string, string>;
  /**
   * Seconds a lab container's main process sleeps before it exits; 3600 unless told, so that a
   * container a crashed test left behind stops by itself. The workshop run lives longer.
   */
  lifetimeSeconds?: number;
}

const RUN_ID = /^[a-z0-9]{4,16}$/;

/** A new run with a fresh id (or a given one, for tests). */
export function newRun(id: string = randomId()): Run {
  if (!RUN_ID.test(id)) throw new Error(`a run id is 4 to 16 lowercase letters or digits, not "${id}"`);
  return { id, prefix: `nd-${id}-`, labels: { [LAB_LABEL]: "1", [RUN_LABEL]: id } };
}

function randomId(): string {
  // A letter first, so the id never reads as a number or a hex container-id prefix.
  const letters = "abcdefghijklmnopqrstuvwxyz";
  const bytes = randomBytes(8);
  const alnum = letters + "0123456789";
  let id = letters[(bytes[0] as number) % letters.length] as string;
  for (const b of bytes.subarray(1)) id += alnum[b % alnum.length];
  return id;
}

/** The same run, with the scenario label added to what its objects carry. */
export function withScenario(run: Run, scenario: string): Run {
  return { ...run, labels: { ...run.labels, [SCENARIO_LABEL]: scenario } };
}

/** `label=k=v` filters that select exactly the objects carrying every label of `run`. */
export function labelFilters(run: Run): string[] {
  return Object.entries(run.labels).map(([k, v]) => `${k}=${v}`);
}

/** `--label k=v` pairs for `docker run` / `docker network create`. */
export function labelArgs(run: Run): string[] {
  return Object.entries(run.labels).flatMap(([k, v]) => ["--label", `${k}=${v}`]);
}

/** The objects still on the engine that carry `label` (`key=value`), or every one of several labels. */
export async function labelled(
  label: string | readonly string[],
): Promise<{ containers: string[]; networks: string[] }> {
  const filters = (typeof label === "string" ? [label] : label).flatMap((l) => ["--filter", `label=${l}`]);
  const [containers, networks] = await Promise.all([
    docker(["ps", "-aq", "--no-trunc", ...filters]),
    docker(["network", "ls", "-q", "--no-trunc", ...filters]),
  ]);
  return { containers: lines(containers), networks: lines(networks) };
}

/** What a run left on the engine. */
export function leftovers(runId: string): Promise<{ containers: string[]; networks: string[] }> {
  return labelled(`${RUN_LABEL}=${runId}`);
}

/** Removes the containers, then the networks, of one run. Touches nothing else. */
export function cleanup(runId: string): Promise<void> {
  if (!RUN_ID.test(runId)) throw new Error(`refusing to clean up with run id "${runId}"`);
  return removeLabelled(`${RUN_LABEL}=${runId}`);
}

/** Removes every lab object of every run (label `io.netdive.lab=1`). Touches nothing else. */
export function cleanupAll(): Promise<void> {
  return removeLabelled(`${LAB_LABEL}=1`);
}

/**
 * Removes the containers, then the networks, that carry `label` (`key=value`) or every one of
 * several labels, one of which must be the lab's or a run's: nothing else is ever selected.
 */
export async function removeLabelled(label: string | readonly string[]): Promise<void> {
  const labels = typeof label === "string" ? [label] : label;
  if (!labels.some((l) => l.startsWith(`${LAB_LABEL}=`) || l.startsWith(`${RUN_LABEL}=`))) {
    throw new Error(`refusing to remove by "${labels.join(", ")}": only the lab's own labels select what it removes`);
  }
  const { containers } = await labelled(labels);
  // In chunks, each with its own time limit: a benchmark can leave hundreds behind.
  for (let i = 0; i < containers.length; i += 50) {
    await removeContainers(labels, containers.slice(i, i + 50));
  }
  // Listed again: removing a compose container can take its network with it.
  const { networks } = await labelled(labels);
  await mapLimit(networks, 4, removeNetwork);
}

/**
 * Removes containers by force. A container started with --rm that has just exited is already
 * being removed by the engine ("removal of container … is already in progress"), or is gone by
 * the time its turn comes ("No such container"): both end as asked, so wait for them instead of
 * failing, and remove again whatever is still there.
 */
async function removeContainers(labels: readonly string[], ids: readonly string[]): Promise<void> {
  let left = [...ids];
  for (let attempt = 0; left.length > 0; attempt++) {
    try {
      await docker(["rm", "-f", "-v", ...left], { timeoutMs: 180_000 });
      return;
    } catch (err) {
      if (!/already in progress|No such container/i.test(String((err as Error).message))) throw err;
      if (attempt >= 40) throw err;
      await new Promise((r) => setTimeout(r, 250));
      const still = new Set((await labelled(labels)).containers);
      left = left.filter((id) => still.has(id));
    }
  }
}

function lines(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
}

/**
 * Removes one network. Under load the engine can still count an endpoint of a container it has
 * just removed ("has active endpoints"): retry for a few seconds before giving up.
 */
export async function removeNetwork(id: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await docker(["network", "rm", id]);
      return;
    } catch (err) {
      const still = lines(await docker(["network", "ls", "-q", "--no-trunc", "--filter", `id=${id}`]));
      if (!still.includes(id)) return;
      if (attempt >= 8) throw err;
      await new Promise((r) => setTimeout(r, 250 * (attempt + 1)));
    }
  }
}
