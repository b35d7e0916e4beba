import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A Docker engine on a unix socket that answers with responses recorded from Docker 28.5 (Engine
 * API 1.51, nftables firewall backend; test/fixtures/docker-28.5, see its README), either as
 * recorded or reshaped the way Engine API 1.52 (Docker 29) sends them:
 * - `NetworkSettings` without its legacy top-level fields (IPAddress, Gateway, MacAddress,
 *   EndpointID, Bridge and the rest): per-network data stays under `Networks`;
 * - `/events` messages without `status`, `id` and `from`;
 * - like Docker 29.0-29.2, any request for an API version below `minApiVersion` is refused
 *   with Docker's 400 and its message.
 */
export interface RecordedEngineOptions {
  shape: "1.51" | "1.52";
  /** The oldest API version the engine accepts (Docker 29.0: "1.44"). */
  minApiVersion?: string;
}

export interface RecordedEngine {
  /** `unix:///…/docker.sock` */
  url: string;
  /** Every request's method and path, in order. */
  requests: string[];
  /** Sends the recorded events (reshaped like the rest) to every open `/events` stream. */
  emitRecordedEvents(): void;
  close(): Promise<void>;
}

const FIXTURES = new URL("../test/fixtures/docker-28.5/", import.meta.url);
const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(name, FIXTURES), "utf8"));

/** The top-level NetworkSettings fields Engine API 1.52 no longer sends. */
const LEGACY_NETWORK_SETTINGS = [
  "Bridge",
  "HairpinMode",
  "LinkLocalIPv6Address",
  "LinkLocalIPv6PrefixLen",
  "SecondaryIPAddresses",
  "SecondaryIPv6Addresses",
  "EndpointID",
  "Gateway",
  "GlobalIPv6Address",
  "GlobalIPv6PrefixLen",
  "IPAddress",
  "IPPrefixLen",
  "IPv6Gateway",
  "MacAddress",
];

function versionNumber(v: string): number {
  const [major = 0, minor = 0] = v.split(".").map(Number);
  return major * 1000 + minor;
}

export async function startRecordedEngine(options: RecordedEngineOptions): Promise<RecordedEngine> {
  const is152 = options.shape === "1.52";
  const minApi = options.minApiVersion ?? (is152 ? "1.44" : "1.24");
  const containers = [fixture("container-a.json"), fixture("container-b.json")] as Array<Record<string, unknown>>;
  if (is152) {
    for (const c of containers) {
      const settings = c.NetworkSettings as Record<string, unknown>;
      for (const key of LEGACY_NETWORK_SETTINGS) delete settings[key];
    }
  }
  const networks = fixture("networks.json") as Array<{ Id: string; Name: string }>;
  const version = {
    ...(fixture("version.json") as object),
    ...(is152 ? { Version: "29.0.0", ApiVersion: "1.52" } : {}),
    MinAPIVersion: minApi,
  };
  const events = readFileSync(new URL("events.jsonl", FIXTURES), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const e = JSON.parse(line) as Record<string, unknown>;
      if (is152) for (const key of ["status", "id", "from"]) delete e[key];
      return JSON.stringify(e);
    });

  const dir = await mkdtemp(join(tmpdir(), "netdive-recorded-engine-"));
  const socketPath = join(dir, "docker.sock");
  const requests: string[] = [];
  const streams = new Set<ServerResponse>();
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://engine");
    requests.push(`${req.method} ${url.pathname}`);
    const m = /^(?:\/v(\d+\.\d+))?(\/.*)$/.exec(url.pathname);
    const [asked, path = ""] = [m?.[1], m?.[2]];
    if (asked && versionNumber(asked) < versionNumber(minApi)) {
      return json(res, 400, {
        message: `client version ${asked} is too old. Minimum supported API version is ${minApi}, please upgrade your client to a newer version`,
      });
    }
    if (path === "/_ping") return res.end("OK");
    if (path === "/version") return json(res, 200, version);
    if (path === "/info") return json(res, 200, fixture("info.json"));
    if (path === "/networks") return json(res, 200, networks);
    if (path === "/containers/json") return json(res, 200, fixture("containers.json"));
    if (path === "/events") {
      res.writeHead(200, { "content-type": "application/json" });
      res.flushHeaders();
      streams.add(res);
      res.on("close", () => streams.delete(res));
      return;
    }
    let hit = /^\/networks\/([^/]+)$/.exec(path);
    if (hit) {
      const n = networks.find((x) => x.Id === hit?.[1] || x.Name === hit?.[1]);
      return n ? json(res, 200, n) : json(res, 404, { message: `network ${hit[1]} not found` });
    }
    hit = /^\/containers\/([^/]+)\/json$/.exec(path);
    if (hit) {
      const ref = hit[1] ?? "";
      const c = containers.find((x) => String(x.Id).startsWith(ref) || x.Name === `/${ref}`);
      return c ? json(res, 200, c) : json(res, 404, { message: `No such container: ${ref}` });
    }
    json(res, 404, { message: `page not found: ${url.pathname}` });
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    url: `unix://${socketPath}`,
    requests,
    emitRecordedEvents() {
      for (const s of streams) s.write(events.map((e) => `${e}\n`).join(""));
    },
    async close() {
      for (const s of streams) s.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
