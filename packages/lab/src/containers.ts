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
  /** The long-running command; `sleep <run.lifetimeSeconds or 3600>` unless told. */
  command?: string[];
}

/**
 * The upstream resolver every lab container with a network namespace of its own is given.
 *
 * Why: on a user-defined bridge the embedded DNS (127.0.0.11) answers container names itself and
 * forwards every other name to the upstream servers; on the default bridge, with host or none
 * mode, the container asks the upstream directly. Docker's upstream is the host's resolv.conf, so
 * a typo or a student's `nslookup example.com` would leave the machine. With 127.0.0.1 as the only
 * upstream, inside the container's own namespace where nothing listens on port 53, an unknown name
 * fails locally in about a second and no DNS query made in the lab ever leaves this machine.
 * (With host mode, 127.0.0.1 is the host's loopback: whatever the host runs there answers.)
 * A container joined with `--network container:X` cannot take `--dns`: it shares X's resolv.conf.
 */
export const LAB_DNS = "127.0.0.1";

/**
 * Starts a lab container: the lab image, labelled and prefixed, with small limits, never
 * privileged, with no host mounts, and with {@link LAB_DNS} as its only upstream resolver.
 */
export async function runContainer(run: Run, spec: ContainerSpec): Promise<LabObject> {
  const name = `${run.prefix}${spec.name}`;
  const args = ["run", "-d", "--name", name, ...labelArgs(run), "--memory", "64m", "--pids-limit", "64"];
  if (spec.network) args.push("--network", spec.network);
  if (!spec.network?.startsWith("container:")) args.push("--dns", LAB_DNS);
  if (spec.pid) args.push("--pid", spec.pid);
  args.push(LAB_IMAGE, ...(spec.command ?? ["sleep", String(run.lifetimeSeconds ?? 3600)]));
  const id = (await docker(args)).trim();
  return { name, id };
}

/** How a lab network differs from a plain user-defined bridge. */
export interface NetworkOptions {
  /** `--internal`: no route out of the bridge, no NAT, and no upstream DNS. */
  internal?: boolean;
  /** Driver options, `-o key=value` (e.g. `com.docker.network.bridge.enable_icc: "false"`). */
  driverOptions?: Record<string, string>;
}

/** Creates a user-defined bridge network, labelled and prefixed. */
export async function createNetwork(run: Run, name: string, options: NetworkOptions = {}): Promise<LabObject> {
  const full = `${run.prefix}${name}`;
  const args = ["network", "create", "--driver", "bridge", ...labelArgs(run)];
  if (options.internal) args.push("--internal");
  for (const [key, value] of Object.entries(options.driverOptions ?? {})) args.push("-o", `${key}=${value}`);
  const id = (await docker([...args, full])).trim();
  return { name: full, id };
}

/** `docker network connect`: a second (third, …) interface for a container that already runs. */
export async function connectNetwork(network: LabObject, container: LabObject): Promise<void> {
  await docker(["network", "connect", network.id, container.id]);
}
