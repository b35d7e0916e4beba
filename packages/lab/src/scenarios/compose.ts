import type { LabObject } from "../containers";
import type { Run } from "../conventions";
import { docker, execArgv } from "../exec";
import { freeTcpPort } from "../free-port";
import { composeCommand } from "../preflight";
import { repoPath } from "../repo-path";
import { composeProject } from "./layout";
import type { Progress, ScenarioRun } from "./types";

/**
 * docker/compose/simpleweb/docker-compose.yml, found from this file so any working directory
 * works; looked up when compose runs, not when the module loads, so that a bundle holding the lab
 * loads outside a checkout.
 */
export const simplewebComposeFile = (): string =>
  repoPath(import.meta.url, "docker/compose/simpleweb/docker-compose.yml");

/** packages/lab/compose/simpleweb.lab.yml: the lab's scenario label and DNS, merged over the stack. */
export const simplewebLabOverride = (): string => repoPath(import.meta.url, "packages/lab/compose/simpleweb.lab.yml");

/** The port the document publishes apache on. */
export const SIMPLEWEB_HTTP_PORT = 8080;

/**
 * The document's simpleweb stack with real `docker-compose` (v1, or the v2 plugin): project
 * `nd<runId>`, so its network is `nd<runId>_default`. Apache is published on 127.0.0.1:8080, or on
 * a free port when 8080 is taken.
 */
export async function composeSimpleweb(run: Run, say: Progress = () => undefined): Promise<ScenarioRun> {
  const project = composeProject(run);
  const hostPort = await freeTcpPort(SIMPLEWEB_HTTP_PORT);
  const compose = await composeRunner(run, hostPort);
  say(`compose: ${compose.command} -p ${project} up -d (apache on 127.0.0.1:${hostPort})`);
  try {
    await compose.run(["up", "-d", "--no-build"]);
  } catch (err) {
    await compose.run(["down", "--timeout", "0", "--remove-orphans"]).catch(() => undefined);
    throw err;
  }
  const [apache, postgres, network] = await Promise.all([
    serviceContainer(project, "apache"),
    serviceContainer(project, "postgres"),
    projectNetwork(project),
  ]);
  return composeRun(run, { apache, postgres }, network, hostPort);
}

/** The compose scenario's ScenarioRun from objects that exist, its `down` included. */
export function composeRun(
  run: Run,
  containers: Record<string, LabObject>,
  network: LabObject,
  hostPort: number,
): ScenarioRun {
  return {
    scenario: "compose",
    containers,
    networks: { default: network },
    compose: { project: composeProject(run), hostPort },
    down: () => composeDown(run),
  };
}

/** `docker-compose down` for the run's project; does nothing when no compose is installed. */
export async function composeDown(run: Run): Promise<void> {
  const compose = await composeRunner(run, SIMPLEWEB_HTTP_PORT).catch(() => null);
  await compose?.run(["down", "--timeout", "0", "--remove-orphans"]);
}

/** The host port apache's 80/tcp is published on, as `docker port` reports it. */
export async function apacheHostPort(apache: LabObject): Promise<number> {
  const out = await docker(["port", apache.id, "80/tcp"]);
  const port = Number(/:(\d+)\s*$/m.exec(out)?.[1]);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`${apache.name} publishes no port for 80/tcp`);
  return port;
}

async function composeRunner(run: Run, hostPort: number) {
  const [file = "", ...sub] = await composeCommand();
  const env = {
    ND_RUN_ID: run.id,
    ND_HTTP_PORT: String(hostPort),
    ND_SLEEP_SECONDS: String(run.lifetimeSeconds ?? 3600),
  };
  const base = [...sub, "-p", composeProject(run), "-f", simplewebComposeFile(), "-f", simplewebLabOverride()];
  return {
    command: [file, ...sub].join(" "),
    run: (args: string[]) => execArgv(file, [...base, ...args], { env, timeoutMs: 120_000 }),
  };
}

async function serviceContainer(project: string, service: string): Promise<LabObject> {
  const out = await docker([
    "ps",
    "-a",
    "--no-trunc",
    "--filter",
    `label=com.docker.compose.project=${project}`,
    "--filter",
    `label=com.docker.compose.service=${service}`,
    "--format",
    "{{.ID}} {{.Names}}",
  ]);
  const [id = "", name = ""] = out.trim().split(" ");
  if (!/^[0-9a-f]{64}$/.test(id)) throw new Error(`docker-compose made no ${service} container in ${project}`);
  return { id, name };
}

async function projectNetwork(project: string): Promise<LabObject> {
  const name = `${project}_default`;
  const id = (await docker(["network", "inspect", "--format", "{{.Id}}", name])).trim();
  return { name, id };
}
