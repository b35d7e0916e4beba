/**
 * Independent reads for the lab's integration tests: the docker CLI and the kernel, never the
 * lab's own bookkeeping. Also the CLI runner.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import {
  docker,
  tryExecArgv,
  type InspectedContainer,
  type InspectedNetwork,
  type LabObject,
  type ScenarioRun,
} from "../src/index";
import { ipv4InSubnet } from "@netdive/model";

/** `docker inspect` of many containers in one call, by name. */
export async function inspectContainers(refs: readonly string[]): Promise<Map<string, InspectedContainer>> {
  const list = JSON.parse(await docker(["inspect", "--type", "container", ...refs])) as InspectedContainer[];
  return new Map(list.map((c) => [c.Name.replace(/^\//, ""), c]));
}

/** `docker network inspect` of many networks in one call, by name. */
export async function inspectNetworks(refs: readonly string[]): Promise<Map<string, InspectedNetwork>> {
  const list = JSON.parse(await docker(["network", "inspect", ...refs])) as InspectedNetwork[];
  return new Map(list.map((n) => [n.Name, n]));
}

/** Every container and network id a set of scenarios holds. */
export function idsOf(runs: readonly ScenarioRun[]): { containers: string[]; networks: string[] } {
  return {
    containers: runs.flatMap((r) => Object.values(r.containers).map((o) => o.id)).sort(),
    networks: runs.flatMap((r) => Object.values(r.networks).map((o) => o.id)).sort(),
  };
}

/**
 * Whether `from` gets an answer to one ping of `ip` (`ping -c 1 -W 1`). Traffic stays between lab
 * containers. `tries` > 1 only for pings that should pass: a busy machine may lose the first one.
 */
export async function pings(from: LabObject, ip: string, tries = 1): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    if ((await tryExecArgv("docker", ["exec", from.id, "ping", "-c", "1", "-W", "1", ip])).ok) return true;
  }
  return false;
}

/** Whether a dotted IPv4 address lies in a CIDR subnet (the model's one CIDR test). */
export const inSubnet = ipv4InSubnet;

const CLI = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
const TSX = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));

/** `tsx packages/lab/src/cli.ts <args>` with extra environment: its exit status and output. */
export function runCli(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  // The test's own choices only: a NETDIVE_LAB_RUN or NETDIVE_PORT in the caller's shell must not leak in.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => k !== "NETDIVE_LAB_RUN" && k !== "NETDIVE_PORT"),
  );
  return new Promise((resolve) => {
    execFile(TSX, [CLI, ...args], { env: { ...inherited, ...env }, timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}
