import { createServer, type Server } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engineJsonClient } from "./engine-http";
import { describeDockerError } from "./errors";

describe("engineJsonClient", () => {
  let dir: string;
  let server: Server;
  let socketPath: string;
  const seen: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "netdive-engine-http-"));
    socketPath = join(dir, "docker.sock");
    server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.connection ?? ""}`);
      if (req.url === "/v1.41/containers/json?all=1") res.end('[{"Id":"abc","State":"running"}]');
      else if (req.url === "/v1.41/containers/gone/json") {
        res.writeHead(404, { "content-type": "application/json" });
        res.end('{"message":"No such container: gone"}');
      } else if (req.url === "/v1.41/broken") res.end("{not json");
      // /v1.41/hang: never answers
    });
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it("GETs and parses JSON over the socket, reusing one connection", async () => {
    const get = engineJsonClient({ socketPath }, 2000);
    expect(await get("/v1.41/containers/json?all=1")).toEqual([{ Id: "abc", State: "running" }]);
    expect(await get("/v1.41/containers/json?all=1")).toHaveLength(1);
    expect(seen.filter((s) => s.startsWith("GET /v1.41/containers/json")).every((s) => s.endsWith("keep-alive"))).toBe(
      true,
    );
  });

  it("fails a 404 with docker-modem's shape, so callers and the sentences read it the same", async () => {
    const get = engineJsonClient({ socketPath }, 2000);
    const err = await get("/v1.41/containers/gone/json").catch((e: unknown) => e);
    expect(err).toMatchObject({ statusCode: 404, json: { message: "No such container: gone" } });
    expect(describeDockerError(err, "unix:///x.sock")).toBe(
      "Docker at unix:///x.sock answered 404: No such container: gone",
    );
  });

  it("says so when the answer is not JSON, and times out with ETIMEDOUT", async () => {
    const get = engineJsonClient({ socketPath }, 300);
    await expect(get("/v1.41/broken")).rejects.toThrow(/unreadable JSON for \/v1.41\/broken/);
    const err = await get("/v1.41/hang").catch((e: unknown) => e);
    expect(describeDockerError(err, "unix:///x.sock")).toMatch(/no answer in time/);
  });

  it("reports a missing socket as ENOENT, which the sentences turn into 'start the engine'", async () => {
    const get = engineJsonClient({ socketPath: join(dir, "nope.sock") }, 300);
    const err = await get("/v1.41/containers/json").catch((e: unknown) => e);
    expect(describeDockerError(err, "unix:///nope.sock")).toMatch(/the socket does not exist/);
  });
});
