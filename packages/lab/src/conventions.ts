import { randomBytes } from "node:crypto";
import { docker } from "./exec";

/** Every object the lab creates carries this label... */
export const LAB_LABEL = "io.netdive.lab";
/** ...and this one, naming the run that made it. */
export const RUN_LABEL = "io.netdive.run";
/** The image every lab container runs (built offline by docker/lab-image.sh). */
export const LAB_IMAGE = "netdive/lab:latest";

/** One lab run: its objects are named `nd-<id>-…` and labelled with the id. */
export interface Run {
  /** Short, random, lowercase alphanumeric. */
  id: string;
  /** `nd-<id>-`: the start of every container and network name of the run. */
  prefix: string;
  /** The labels every object of the run carries. */
  labels: Record<string, string>;
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

/** `--label k=v` pairs for `docker run` / `docker network create`. */
export function labelArgs(run: Run): string[] {
  return Object.entries(run.labels).flatMap(([k, v]) => ["--label", `${k}=${v}`]);
}

/** The objects still on the engine that carry `label` (`key=value`). */
export async function labelled(label: string): Promise<{ containers: string[]; networks: string[] }> {
  const [containers, networks] = await Promise.all([
    docker(["ps", "-aq", "--no-trunc", "--filter", `label=${label}`]),
    docker(["network", "ls", "-q", "--no-trunc", "--filter", `label=${label}`]),
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

async function removeLabelled(label: string): Promise<void> {
  const { containers } = await labelled(label);
  // In chunks, each with its own time limit: a benchmark can leave hundreds behind.
  for (let i = 0; i < containers.length; i += 50) {
    await docker(["rm", "-f", "-v", ...containers.slice(i, i + 50)], { timeoutMs: 180_000 });
  }
  // Listed again: removing a compose container can take its network with it.
  const { networks } = await labelled(label);
  for (const id of networks) await removeNetwork(id);
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
async function removeNetwork(id: string): Promise<void> {
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
