import { spawn } from "node:child_process";
import { labEngine } from "./exec";

/** A running request loop: `ended` resolves with the loop's exit status when its last request is done. */
export interface RequestLoop {
  ended: Promise<number | null>;
}

/**
 * A bounded loop of HTTP requests from one lab container to another's address (busybox wget),
 * for tests that watch who talks to whom: `times` requests, `pauseS` seconds apart, and nothing
 * beyond the run's own containers. Resolves once the first request was answered (the loop says
 * so), not at `docker exec`, whose start a loaded engine may delay; rejects with the loop's
 * stderr when it ends before any request was answered. Busybox's `wget -T` crashes, so each
 * request has no time limit of its own: inside one bridge each answers at once.
 */
export function requestLoop(
  containerId: string,
  url: string,
  { times = 15, pauseS = 0.2 }: { times?: number; pauseS?: number } = {},
): Promise<RequestLoop> {
  // "first" once a request was answered (not merely sent): a refused one keeps the loop quiet.
  const script = `i=0; told=; while [ $i -lt ${times} ]; do wget -q -O /dev/null ${url} && [ -z "$told" ] && told=1 && echo first; i=$((i+1)); sleep ${pauseS}; done`;
  const loop = spawn("docker", ["exec", containerId, "sh", "-c", script], {
    env: { ...process.env, DOCKER_HOST: labEngine() },
  });
  let stderr = "";
  loop.stderr.on("data", (chunk: Buffer) => void (stderr += String(chunk)));
  const ended = new Promise<number | null>((resolve) => loop.once("exit", resolve));
  return new Promise((resolve, reject) => {
    loop.once("error", (err) =>
      reject(new Error(`cannot run docker exec for the request loop: ${err.message} — is the docker CLI installed?`)),
    );
    loop.stdout.once("data", () => resolve({ ended }));
    void ended.then((code) =>
      reject(
        new Error(
          `the request loop in ${containerId.slice(0, 12)} to ${url} ended (status ${code}) before any answer: ${stderr.trim()}`,
        ),
      ),
    );
  });
}
