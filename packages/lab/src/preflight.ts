import { access, constants } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { LAB_IMAGE } from "./conventions";
import { LabError } from "./errors";
import { labEngine, tryExecArgv } from "./exec";

/** The engine the docker CLI talks to. */
export function dockerHost(): string {
  return labEngine();
}

/** Throws a {@link LabError} ("cannot reach Docker at …") unless an engine answers. */
export async function checkEngine(): Promise<void> {
  const result = await tryExecArgv("docker", ["version", "--format", "{{.Server.Version}}"], { timeoutMs: 15_000 });
  if (result.ok) return;
  const why = result.missing ? "the docker command is not installed" : engineProblem(result.stderr);
  throw new LabError(
    "engine",
    `cannot reach Docker at ${dockerHost()}: ${why} — start it with \`bash docker/ensure-engine.sh\` or check DOCKER_HOST`,
  );
}

/** Throws a {@link LabError} unless the lab image is on the engine (nothing can be pulled). */
export async function checkImage(): Promise<void> {
  const result = await tryExecArgv("docker", ["image", "inspect", "--format", "{{.Id}}", LAB_IMAGE]);
  if (result.ok) return;
  throw new LabError(
    "image",
    `the lab image ${LAB_IMAGE} is missing — run \`bash docker/lab-image.sh\` (needs busybox-static)`,
  );
}

let found: Promise<string[]> | undefined;

/**
 * The compose command to run: `docker-compose` (v1), else the `docker compose` plugin (v2).
 * Throws a {@link LabError} when neither is installed. A command found once is remembered: asking
 * docker-compose its version costs seconds.
 */
export function composeCommand(): Promise<string[]> {
  if (!found) {
    found = findCompose();
    found.catch(() => (found = undefined));
  }
  return found;
}

async function findCompose(): Promise<string[]> {
  // Looked up on PATH rather than run: docker-compose v1 is Python and starts slowly on a busy machine.
  if (await onPath("docker-compose")) return ["docker-compose"];
  if ((await tryExecArgv("docker", ["compose", "version"], { timeoutMs: 30_000 })).ok) return ["docker", "compose"];
  throw new LabError(
    "compose",
    "the compose scenario needs docker-compose or the `docker compose` plugin and neither is installed — install one (apt-get install docker-compose)",
  );
}

async function onPath(program: string): Promise<boolean> {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    try {
      await access(join(dir, program), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

/** The gist of the docker CLI's complaint, for the sentence after "cannot reach Docker at …:". */
function engineProblem(stderr: string): string {
  if (/permission denied/i.test(stderr)) return "permission denied (run as root or join the docker group)";
  if (/is the docker daemon running|no such file or directory|connection refused/i.test(stderr)) {
    return "nothing answers there";
  }
  const last = stderr.trim().split("\n").pop()?.trim();
  return last || "no answer";
}
