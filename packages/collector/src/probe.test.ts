import { describe, expect, it } from "vitest";
import { EngineCollector } from "./collector";
import { connectDocker } from "./docker-api";
import { createLinuxKernel } from "./kernel";
import { connectProbeEngine, demuxLogs, probeContainerOptions, ProbeError, type ProbeSpec } from "./probe";

const OWNER = "a".repeat(64);
const spec = (argv: string[], networkMode = `container:${OWNER}`): ProbeSpec => ({
  image: "netdive/lab:latest",
  networkMode,
  argv,
  timeoutMs: 3000,
});

/** One frame of the engine's log stream: stream byte, three zeros, big-endian length, payload. */
function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe("probeContainerOptions", () => {
  it("makes a small, labelled, unprivileged container with no mounts that runs argv without a shell", () => {
    const options = probeContainerOptions(spec(["ping", "-c", "1", "-W", "1", "172.18.0.3"]), "nd-probe-0123");
    expect(options).toMatchObject({
      name: "nd-probe-0123",
      Image: "netdive/lab:latest",
      Cmd: ["ping", "-c", "1", "-W", "1", "172.18.0.3"],
      Entrypoint: [],
      Labels: { "io.netdive.lab": "1", "io.netdive.probe": "1" },
      HostConfig: {
        NetworkMode: `container:${OWNER}`,
        AutoRemove: false,
        Privileged: false,
        Memory: 32 * 1024 * 1024,
        PidsLimit: 16,
        CapDrop: ["ALL"],
        CapAdd: ["NET_RAW"],
        ReadonlyRootfs: true,
        Binds: [],
        Mounts: [],
      },
    });
    const lookup = probeContainerOptions(spec(["nslookup", "-timeout=1", "-retry=1", "db"], "host"), "nd-probe-1");
    expect(lookup.HostConfig).toMatchObject({ NetworkMode: "host", CapAdd: [] });
  });

  it("adds the labels it is given (a test's run), and never loses its own", () => {
    const options = probeContainerOptions(spec(["ping", "-c", "1", "172.18.0.3"]), "nd-probe-2", {
      "io.netdive.run": "abcd1234",
      "io.netdive.probe": "0",
    });
    expect(options.Labels).toEqual({ "io.netdive.run": "abcd1234", "io.netdive.lab": "1", "io.netdive.probe": "1" });
  });

  it("refuses any other program, shell syntax, an option as the target and any other namespace", () => {
    const bad: ProbeSpec[] = [
      spec(["sh", "-c", "ping 1.2.3.4"]),
      spec(["ping", "-c", "1", "1.2.3.4; rm -rf /"]),
      spec(["ping", "-c", "1", "$(id)"]),
      spec(["ping", "-c", "1", "a\nb"]),
      spec(["ping", "-c", "1", "-f"]),
      spec(["nslookup"]),
      spec([]),
      spec(["ping", "-c", "1", "172.18.0.3"], "bridge"),
      spec(["ping", "-c", "1", "172.18.0.3"], "container:web"),
    ];
    for (const s of bad) expect(() => probeContainerOptions(s, "nd-probe-x"), JSON.stringify(s)).toThrow();
  });
});

describe("demuxLogs", () => {
  it("joins stdout and stderr frames in order", () => {
    const logs = Buffer.concat([frame(1, "PING db\n"), frame(2, "ping: sendto: oops\n"), frame(1, "done\n")]);
    expect(demuxLogs(logs)).toBe("PING db\nping: sendto: oops\ndone\n");
  });

  it("returns unframed text as it is", () => {
    expect(demuxLogs(Buffer.from("plain text from a tty\n"))).toBe("plain text from a tty\n");
  });
});

describe("connectProbeEngine", () => {
  it("on the collector's connection, says the engine is unreachable with the collector's sentence", async () => {
    const url = "unix:///nonexistent/netdive-test.sock";
    const collector = new EngineCollector({
      engineId: "local",
      url,
      connect: () => connectDocker({ host: url, timeoutMs: 2000 }),
      kernel: createLinuxKernel(),
    });
    const engine = connectProbeEngine({ host: url, client: () => collector.client() });
    const failed = await engine.hasImage("netdive/lab:latest").catch((err: unknown) => err);
    expect(failed).toBeInstanceOf(ProbeError);
    expect(failed).toMatchObject({
      kind: "unreachable",
      message: expect.stringMatching(
        /^cannot reach Docker at unix:\/\/\/nonexistent\/netdive-test.sock: the socket does not exist/,
      ),
    });
  });

  it("says the engine is unreachable, with the collector's sentence, when nothing listens", async () => {
    const engine = connectProbeEngine({ host: "unix:///nonexistent/netdive-test.sock", timeoutMs: 2000 });
    const failed = await engine.hasImage("netdive/lab:latest").catch((err: unknown) => err);
    expect(failed).toBeInstanceOf(ProbeError);
    expect(failed).toMatchObject({
      kind: "unreachable",
      message: expect.stringMatching(
        /^cannot reach Docker at unix:\/\/\/nonexistent\/netdive-test.sock: the socket does not exist/,
      ),
    });
  });
});
