import { fileURLToPath } from "node:url";
import type { LabObject } from "../containers";
import type { Run } from "../conventions";
import { docker, execArgv } from "../exec";
import { freeTcpPort } from "../free-port";
import type { ScenarioRun } from "./types";

/** docker/compose/simpleweb/docker-compose.yml, found from this file so any working directory works. */
export const SIMPLEWEB_COMPOSE_FILE = fileURLToPath(
  new URL("../../../../docker/compose/simpleweb/docker-compose.yml", import.meta.url),
);

/** The port the document publishes apache on. */
export const SIMPLEWEB_HTTP_PORT = 8080;

/**
 * The document's simpleweb stack with real `docker-compose` (v1): project `nd<runId>`, so its
 * network is `nd<runId>_default`. Apache is published on 127.0.0.1:8080, or on a free port when
 * 8080 is taken.
 */
export async function composeSimpleweb(run: Run): Promise<ScenarioRun> {
  const project = `nd${run.id}`;
  const hostPort = await freeTcpPort(SIMPLEWEB_HTTP_PORT);
  const env = { ND_RUN_ID: run.id, ND_HTTP_PORT: String(hostPort) };
  const compose = (args: string[]) =>
    execArgv("docker-compose", ["-p", project, "-f", SIMPLEWEB_COMPOSE_FILE, ...args], { env, timeoutMs: 120_000 });

  const down = async () => {
    await compose(["down", "--timeout", "0", "--remove-orphans"]);
  };
  try {
    await compose(["up", "-d", "--no-build"]);
  } catch (err) {
    await down().catch(() => undefined);
    throw err;
  }
  const container = async (service: string): Promise<LabObject> => {
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
  };
  const network = `${project}_default`;
  const [apache, postgres, networkId] = await Promise.all([
    container("apache"),
    container("postgres"),
    docker(["network", "inspect", "--format", "{{.Id}}", network]).then((s) => s.trim()),
  ]);
  return {
    scenario: "compose",
    containers: { apache, postgres },
    networks: { default: { name: network, id: networkId } },
    compose: { project, hostPort },
    down,
  };
}
