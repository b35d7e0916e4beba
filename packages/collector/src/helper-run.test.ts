import { PassThrough } from "node:stream";
import type Docker from "dockerode";
import { describe, expect, it } from "vitest";
import { HelperError, helperContainerOptions, runHelper, splitStreams } from "./helper-run";

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe("the helper container", () => {
  it("runs with the engine host's namespaces, the three capabilities, a read-only root and no mounts, labelled and removed when done", () => {
    const options = helperContainerOptions(
      { image: "netdive:latest", args: ["--kernel-facts"], timeoutMs: 20_000, labels: { "io.netdive.run": "abcd" } },
      "netdive-kernel-helper-0123456789ab",
    );
    expect(options).toMatchObject({
      name: "netdive-kernel-helper-0123456789ab",
      Image: "netdive:latest",
      Cmd: ["--kernel-facts"],
      Labels: { "io.netdive.kernel-helper": "1", "io.netdive.run": "abcd" },
      Tty: false,
      OpenStdin: false,
    });
    expect(options.Entrypoint).toBeUndefined();
    expect(options.HostConfig).toMatchObject({
      NetworkMode: "host",
      PidMode: "host",
      AutoRemove: true,
      Privileged: false,
      CapDrop: ["ALL"],
      CapAdd: ["SYS_ADMIN", "SYS_PTRACE", "NET_ADMIN"],
      SecurityOpt: ["no-new-privileges"],
      ReadonlyRootfs: true,
      Binds: [],
      Mounts: [],
    });
  });

  it("a label given by the caller cannot unset the helper's own", () => {
    const options = helperContainerOptions(
      { image: "x", args: [], timeoutMs: 1, labels: { "io.netdive.kernel-helper": "0" } },
      "n",
    );
    expect(options.Labels?.["io.netdive.kernel-helper"]).toBe("1");
  });
});

describe("splitStreams", () => {
  it("separates stdout from stderr in the engine's framing, frames split anywhere", () => {
    const bytes = Buffer.concat([frame(1, '{"a":'), frame(2, "warning\n"), frame(1, "1}\n")]);
    expect(splitStreams(bytes)).toEqual({ stdout: '{"a":1}\n', stderr: "warning\n" });
  });

  it("keeps what a cut-off last frame holds", () => {
    const bytes = frame(1, "hello world").subarray(0, 13);
    expect(splitStreams(bytes)).toEqual({ stdout: "hello", stderr: "" });
  });
});

/** A dockerode stand-in for one helper container: how it ends is up to the test. */
function fakeDocker(how: {
  createError?: unknown;
  exitCode?: number;
  stdout?: string;
  stderr?: string;
  hang?: boolean;
}) {
  const calls: string[] = [];
  const output = new PassThrough();
  let exit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (exit = resolve));
  let gone = false;
  const container = {
    id: "c".repeat(64),
    attach: async () => (calls.push("attach"), output),
    wait: async (options: { condition?: string }) => {
      calls.push(`wait ${options.condition}`);
      return { StatusCode: await exited };
    },
    start: async () => {
      calls.push("start");
      if (how.hang) return;
      output.end(Buffer.concat([frame(1, how.stdout ?? ""), frame(2, how.stderr ?? "")]));
      gone = true; // AutoRemove
      exit(how.exitCode ?? 0);
    },
    remove: async (options: { force?: boolean }) => {
      calls.push(`remove force=${options.force}`);
      if (gone) throw Object.assign(new Error("no such container"), { statusCode: 404 });
      gone = true;
      output.end();
      exit(137);
    },
  };
  const docker = {
    createContainer: async (options: { name: string }) => {
      calls.push(`create ${options.name.replace(/[0-9a-f]{12}$/, "…")}`);
      if (how.createError) throw how.createError;
      return container;
    },
    getContainer: () => container,
  } as unknown as Docker;
  return { docker, calls };
}

const URL = "tcp://127.0.0.1:2375";
const SPEC = { image: "netdive:latest", args: ["--kernel-facts"], timeoutMs: 2_000 };

describe("runHelper", () => {
  it("creates, attaches, waits for the removal, starts, and hands back what it printed", async () => {
    const { docker, calls } = fakeDocker({ stdout: '{"version":1}\n', stderr: "a warning\n" });
    const out = await runHelper(docker, docker, URL, SPEC);
    expect(out).toMatchObject({ stdout: '{"version":1}\n', stderr: "a warning\n" });
    expect(calls).toEqual([
      "create netdive-kernel-helper-…",
      "attach",
      "wait removed",
      "start",
      // Already removed by the engine (AutoRemove): the 404 is not an error.
      "remove force=true",
    ]);
  });

  it("an image that is not on the engine: says so, with the command that loads it", async () => {
    const missing = Object.assign(new Error("No such image: netdive:latest"), { statusCode: 404 });
    const { docker, calls } = fakeDocker({ createError: missing });
    await expect(runHelper(docker, docker, URL, SPEC)).rejects.toThrow(
      new HelperError(
        "netdive:latest is not on the engine at tcp://127.0.0.1:2375: load it with `docker save netdive:latest | docker -H tcp://127.0.0.1:2375 load` (or pass --kernel-helper-image with an image that is there)",
      ),
    );
    expect(calls).toEqual(["create netdive-kernel-helper-…"]);
  });

  it("a refused create says what the engine answered", async () => {
    const refused = Object.assign(new Error("denied"), {
      statusCode: 403,
      json: { message: "authorization denied by plugin" },
    });
    const { docker } = fakeDocker({ createError: refused });
    await expect(runHelper(docker, docker, URL, SPEC)).rejects.toThrow(
      "the engine refused to create it: Docker at tcp://127.0.0.1:2375 answered 403: authorization denied by plugin",
    );
  });

  it("past its time limit it is killed and removed, and says so", async () => {
    const { docker, calls } = fakeDocker({ hang: true });
    await expect(runHelper(docker, docker, URL, { ...SPEC, timeoutMs: 50 })).rejects.toThrow(
      "it did not finish within 0.05 s, so it was killed and removed",
    );
    expect(calls.at(-1)).toBe("remove force=true");
  });

  it("an older netdive image that does not know --kernel-facts is named as such", async () => {
    const { docker } = fakeDocker({
      exitCode: 2,
      // What an image built before the helper existed prints (checked on one).
      stderr: "netdive: Unknown option '--kernel-facts'\n\nUsage: pnpm start [--host 127.0.0.1] [--port 3000]\n",
    });
    await expect(runHelper(docker, docker, URL, SPEC)).rejects.toThrow(
      "netdive:latest on the engine at tcp://127.0.0.1:2375 is an older netdive without --kernel-facts: build this version's image (pnpm image) and load it",
    );
  });

  it("any other failure says its exit code and its last line", async () => {
    const { docker } = fakeDocker({ exitCode: 1, stderr: "Error: EACCES\n    at open\nnsenter: permission denied\n" });
    await expect(runHelper(docker, docker, URL, SPEC)).rejects.toThrow(
      "it exited with code 1: nsenter: permission denied",
    );
  });
});
