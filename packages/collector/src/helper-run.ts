import { randomBytes } from "node:crypto";
import type Docker from "dockerode";
import { isNotFound } from "./docker-api";
import { describeDockerError } from "./errors";
import { KERNEL_FACTS_FLAG, KERNEL_HELPER_LABEL, KERNEL_HELPER_PREFIX } from "./kernel-facts";

/** Most of the helper's output kept: its JSON for hundreds of interfaces is a few MB. */
const MAX_OUTPUT_BYTES = 32 * 1024 * 1024;

/** How long after the helper's removal its output may still be arriving. */
const STREAM_GRACE_MS = 2_000;

/** The capabilities of netdive's own least-privilege run line (docs/running.md, "netdive in a container"). */
export const HELPER_CAPABILITIES = ["SYS_ADMIN", "SYS_PTRACE", "NET_ADMIN"] as const;

/** One helper run: which image, its arguments after the entrypoint, and its time limit. */
export interface HelperSpec {
  image: string;
  args: readonly string[];
  /** From create to removed; past it the container is killed and removed. */
  timeoutMs: number;
  /** Labels besides the helper's own (a test's run labels). */
  labels?: Readonly<Record<string, string>>;
}

/** What one helper container printed, and how long it took from create to removed. */
export interface HelperOutput {
  stdout: string;
  stderr: string;
  durationMs: number;
}

/**
 * The create request of a helper: the engine host's pid and network namespaces (`--pid host
 * --network host`), every capability dropped but the three the kernel reads need, read-only root,
 * no mounts, no new privileges, removed by the engine when it exits, labelled.
 */
export function helperContainerOptions(spec: HelperSpec, name: string): Docker.ContainerCreateOptions {
  return {
    name,
    Image: spec.image,
    // The image's entrypoint is the server bundle (`node …/main.mjs`): only its arguments change.
    Cmd: [...spec.args],
    Labels: { ...spec.labels, [KERNEL_HELPER_LABEL]: "1" },
    Tty: false,
    AttachStdin: false,
    AttachStdout: true,
    AttachStderr: true,
    OpenStdin: false,
    HostConfig: {
      NetworkMode: "host",
      PidMode: "host",
      AutoRemove: true,
      Privileged: false,
      CapDrop: ["ALL"],
      CapAdd: [...HELPER_CAPABILITIES],
      SecurityOpt: ["no-new-privileges"],
      ReadonlyRootfs: true,
      Binds: [],
      Mounts: [],
      Memory: 256 * 1024 * 1024,
      MemorySwap: 256 * 1024 * 1024,
      PidsLimit: 64,
      RestartPolicy: { Name: "no" },
    },
  };
}

/** The two streams of a non-TTY attach: 8-byte frames (stream 1 stdout, 2 stderr, then a length). */
export function splitStreams(buffer: Buffer): { stdout: string; stderr: string } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const stream = buffer[offset];
    const length = buffer.readUInt32BE(offset + 4);
    const payload = buffer.subarray(offset + 8, Math.min(buffer.length, offset + 8 + length));
    if (stream === 1) out.push(payload);
    else if (stream === 2) err.push(payload);
    offset += 8 + length;
  }
  return { stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
}

/** A helper run that failed; the message says what and what to do, for `kernel.reason`. */
export class HelperError extends Error {
  override name = "HelperError";
}

/** The stream's bytes until it ends, at most `max` (the rest is dropped). */
function collect(stream: NodeJS.ReadableStream, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    stream.on("data", (chunk: Buffer) => {
      if (size < max) parts.push(chunk.subarray(0, max - size));
      size += chunk.length;
    });
    stream.on("end", () => resolve(Buffer.concat(parts)));
    stream.on("close", () => resolve(Buffer.concat(parts)));
    stream.on("error", reject);
  });
}

/**
 * Runs one helper container on the engine and returns what it printed: create, attach, wait for
 * "removed", start; the engine removes it when it exits (AutoRemove). Past the time limit it is
 * killed; whatever happens it is removed before this returns. `docker` makes the short calls,
 * `streams` (no request timeout) the attach and the wait, which last as long as the run.
 */
export async function runHelper(docker: Docker, streams: Docker, url: string, spec: HelperSpec): Promise<HelperOutput> {
  const name = `${KERNEL_HELPER_PREFIX}${randomBytes(6).toString("hex")}`;
  const started = Date.now();
  let created: Docker.Container;
  try {
    created = await docker.createContainer(helperContainerOptions(spec, name));
  } catch (err) {
    if (isNotFound(err)) {
      throw new HelperError(
        `${spec.image} is not on the engine at ${url}: load it with \`docker save ${spec.image} | docker -H ${url} load\` (or pass --kernel-helper-image with an image that is there)`,
        { cause: err },
      );
    }
    throw new HelperError(`the engine refused to create it: ${describeDockerError(err, url)}`, { cause: err });
  }
  const container = streams.getContainer(created.id);
  let timer: NodeJS.Timeout | undefined;
  try {
    const output = collect(
      (await container.attach({ stream: true, stdout: true, stderr: true })) as NodeJS.ReadableStream,
      MAX_OUTPUT_BYTES,
    );
    // Asked before start: with AutoRemove the container may be gone by the time a later wait asks.
    const removed = container.wait({ condition: "removed" }) as Promise<{ StatusCode: number }>;
    removed.catch(() => undefined);
    try {
      await docker.getContainer(created.id).start();
    } catch (err) {
      throw new HelperError(`the engine could not start it: ${describeDockerError(err, url)}`, { cause: err });
    }
    const timeUp = new Promise<"timeout">((resolve) => {
      clearTimeout(timer);
      timer = setTimeout(() => resolve("timeout"), Math.max(0, started + spec.timeoutMs - Date.now()));
    });
    const ended = await Promise.race([removed, timeUp]);
    clearTimeout(timer);
    if (ended === "timeout") {
      throw new HelperError(
        `it did not finish within ${spec.timeoutMs / 1000} s, so it was killed and removed — the engine or its host may be overloaded; netdive tries again at the next read`,
      );
    }
    // The engine ends the attach when the container exits; a stream that outlives the removal is cut.
    const bytes = await Promise.race([
      output,
      new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), STREAM_GRACE_MS);
      }),
    ]);
    if (bytes === null) throw new HelperError("its output did not end when it was removed");
    const { stdout, stderr } = splitStreams(bytes);
    if (ended.StatusCode !== 0) {
      const unknownMode = /Unknown option '--kernel-facts'|unknown option.*kernel-facts/i.test(stderr);
      if (unknownMode) {
        throw new HelperError(
          `${spec.image} on the engine at ${url} is an older netdive without ${KERNEL_FACTS_FLAG}: build this version's image (pnpm image) and load it with \`docker save ${spec.image} | docker -H ${url} load\``,
        );
      }
      const last = stderr.trim().split("\n").at(-1)?.slice(0, 300) || "no message";
      throw new HelperError(`it exited with code ${ended.StatusCode}: ${last}`);
    }
    return { stdout, stderr, durationMs: Date.now() - started };
  } catch (err) {
    if (err instanceof HelperError) throw err;
    throw new HelperError(describeDockerError(err, url), { cause: err });
  } finally {
    clearTimeout(timer);
    // Already gone when it exited by itself (AutoRemove); a 409 says the engine is removing it.
    await docker
      .getContainer(created.id)
      .remove({ force: true })
      .catch((err: unknown) => {
        const status = (err as { statusCode?: number }).statusCode;
        if (!isNotFound(err) && status !== 409) {
          throw new HelperError(
            `the helper container ${name} could not be removed (${describeDockerError(err, url)}) — remove it with \`docker -H ${url} rm -f ${name}\``,
            { cause: err },
          );
        }
      });
  }
}
