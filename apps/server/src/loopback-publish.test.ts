import { describe, expect, it } from "vitest";
import { buildServer } from "./app";
import { judgePublish } from "./loopback-publish";

type Inspect = Parameters<typeof judgePublish>[0];

function container(ports: Record<string, { HostIp: string; HostPort: string }[]>, networkMode = "bridge"): Inspect {
  return {
    HostConfig: { NetworkMode: networkMode },
    NetworkSettings: {
      Ports: ports,
      Networks: {
        bridge: {
          NetworkID: "n",
          EndpointID: "e",
          Gateway: "172.17.0.1",
          IPAddress: "172.17.0.5",
          IPPrefixLen: 16,
          MacAddress: "02:42:ac:11:00:05",
        },
      },
    },
  } as Inspect;
}

describe("--published: a publish bound only to loopback", () => {
  it("-p 127.0.0.1:3000:3000 is loopback: answered through the bridge's gateway", () => {
    expect(judgePublish(container({ "3000/tcp": [{ HostIp: "127.0.0.1", HostPort: "3000" }] }), 3000)).toEqual({
      ok: true,
      peers: ["172.17.0.1"],
    });
  });

  it("-p 3000:3000 (every address of the host) needs the token", () => {
    const verdict = judgePublish(
      container({
        "3000/tcp": [
          { HostIp: "0.0.0.0", HostPort: "3000" },
          { HostIp: "::", HostPort: "3000" },
        ],
      }),
      3000,
    );
    expect(verdict).toEqual({
      ok: false,
      reason: expect.stringContaining("published on 0.0.0.0:3000, beyond this machine, and netdive has no token"),
    });
  });

  it("no publish, another host port, or host networking: each refused with what to do", () => {
    expect(judgePublish(container({}), 3000)).toMatchObject({
      ok: false,
      reason: expect.stringContaining("not published"),
    });
    expect(judgePublish(container({ "3000/tcp": [{ HostIp: "127.0.0.1", HostPort: "8080" }] }), 3000)).toMatchObject({
      ok: false,
      reason: expect.stringContaining("same port"),
    });
    expect(judgePublish(container({}, "host"), 3000)).toMatchObject({
      ok: false,
      reason: expect.stringContaining("drop --published"),
    });
  });

  it("without a token, a peer that is neither loopback nor the gateway is refused", async () => {
    const app = await buildServer({
      dockerHost: "unix:///nonexistent.sock",
      collectors: [],
      trustedPeers: ["172.17.0.1"],
    });
    const from = async (remoteAddress: string) =>
      (await app.inject({ url: "/api/health", remoteAddress, headers: { host: "localhost" } })).statusCode;
    expect(await from("172.17.0.1")).toBe(200);
    expect(await from("127.0.0.1")).toBe(200);
    expect(await from("172.17.0.9")).toBe(403);
    await app.close();
  });
});
