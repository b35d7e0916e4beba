import { LAB_IMAGE, labelArgs, type Run } from "./conventions";
import { docker } from "./exec";

/** A container or network the lab made. */
export interface LabObject {
  name: string;
  /** Full id (64 hex), as `docker run` / `docker network create` printed it. */
  id: string;
}

export interface ContainerSpec {
  /** The part of the name after the run prefix: `web` gives `nd-<run>-web`. */
  name: string;
  /** `--network`: a network name, "host", "none" or `container:<name or id>`; the default bridge when absent. */
  network?: string;
  /** `--pid container:<name or id>`. */
  pid?: string;
  /** The long-running command; `sleep 3600` unless told. */
  command?: string[];
}

/**
 * Starts a lab container: the lab image, labelled and prefixed, with small limits, never
 * privileged and with no host mounts.
 */
export async function runContainer(run: Run, spec: ContainerSpec): Promise<LabObject> {
  const name = `${run.prefix}${spec.name}`;
  const args = ["run", "-d", "--name", name, ...labelArgs(run), "--memory", "64m", "--pids-limit", "64"];
  if (spec.network) args.push("--network", spec.network);
  if (spec.pid) args.push("--pid", spec.pid);
  args.push(LAB_IMAGE, ...(spec.command ?? ["sleep", "3600"]));
  const id = (await docker(args)).trim();
  return { name, id };
}

/** Creates a user-defined bridge network, labelled and prefixed. */
export async function createNetwork(run: Run, name: string): Promise<LabObject> {
  const full = `${run.prefix}${name}`;
  const id = (await docker(["network", "create", "--driver", "bridge", ...labelArgs(run), full])).trim();
  return { name: full, id };
}
