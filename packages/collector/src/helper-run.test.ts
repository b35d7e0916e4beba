import { describe, expect, it } from "vitest";
import { helperContainerOptions, splitStreams } from "./helper-run";

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
