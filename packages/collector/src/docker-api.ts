import Docker from "dockerode";
import { DEFAULT_DOCKER_HOST, type RawContainer, type RawNetwork } from "@netdive/model";
import { modemOptions, type EngineTls } from "./engine-endpoint";
import { engineJsonClient } from "./engine-http";
import { describeDockerError } from "./errors";
import { readBody } from "./streams";

/** The Engine API versions netdive speaks: Docker 20.10 (1.41) up to Docker 29 (1.52). */
export const MIN_API_VERSION = "1.41";
export const MAX_API_VERSION = "1.52";

/** What the engine says about itself. */
export interface EngineIdentity {
  name: string;
  /**
   * `GET /info` ID and DockerRootDir: the same engine reached by two urls has the same pair. The ID
   * alone is not enough: Docker 20.10 derives it from /etc/docker/key.json, which a second dockerd
   * on the same machine shares; no two engines share a data root.
   */
  uid?: string;
  version: string;
  apiVersion: string;
  /**
   * `FirewallBackend.Driver` of `GET /info` ("iptables", "nftables"), which engines report from
   * Engine API 1.49 (Docker 28) on; absent before, where iptables is the only backend.
   */
  firewallBackend?: string;
}

/** A container summary from `GET /containers/json?all=1`. */
export interface ContainerSummary {
  Id: string;
  State: string;
}

/** One event from `GET /events` (only the fields netdive reads). */
export interface DockerEvent {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes?: Record<string, string> };
  time?: number;
  timeNano?: number;
}

/**
 * The calls netdive makes to a Docker engine. Small on purpose: tests feed recorded JSON through
 * a fake, integration tests use the real engine through `connectDocker`.
 */
export interface DockerApi {
  /** Where the engine is, as the user would write it (`unix:///var/run/docker.sock`). */
  readonly url: string;
  identify(): Promise<EngineIdentity>;
  listNetworks(): Promise<RawNetwork[]>;
  listContainers(): Promise<ContainerSummary[]>;
  /** The container, trimmed to what netdive uses, or null when it no longer exists. */
  inspectContainer(id: string): Promise<RawContainer | null>;
  /** The network, or null when it no longer exists. */
  inspectNetwork(id: string): Promise<RawNetwork | null>;
  /** A tar archive of one path in the container (the archive API), or null when it does not exist. */
  getArchive(id: string, path: string, maxBytes: number): Promise<Buffer | null>;
  /**
   * Subscribes to the engine's event stream. Resolves once the engine has accepted the
   * subscription (so a listing made afterwards misses nothing), with `closed`, which settles when
   * the stream ends (the engine went away) or `signal` aborts.
   */
  subscribe(onEvent: (event: DockerEvent) => void, signal: AbortSignal): Promise<{ closed: Promise<void> }>;
  /**
   * The dockerode client behind this connection, for the probes: they run containers on the same
   * engine connection instead of opening a second one. Absent in fakes.
   */
  readonly client?: Docker;
}

export interface ConnectOptions {
  /** `unix:///path`, `tcp://host:port`; defaults to DOCKER_HOST, then the default socket. */
  host?: string;
  /** Per-request timeout in milliseconds. */
  timeoutMs?: number;
  /** For a `tcp://` host: speak TLS with this material (DOCKER_TLS_VERIFY, a context's TLS). */
  tls?: EngineTls;
}

/** The engine url from DOCKER_HOST or the default socket. */
export function defaultDockerHost(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_HOST && env.DOCKER_HOST !== "" ? env.DOCKER_HOST : DEFAULT_DOCKER_HOST;
}

function compareVersions(a: string, b: string): number {
  const [am = 0, an = 0] = a.split(".").map(Number);
  const [bm = 0, bn = 0] = b.split(".").map(Number);
  return am - bm || an - bn;
}

/**
 * Picks the API version to speak: the engine's own, capped at the newest netdive knows. Docker 29
 * refuses clients below 1.44 and Docker 20.10 knows nothing above 1.41, so a fixed version fails
 * on one of them.
 */
export function negotiateApiVersion(engineApiVersion: string, engineMinApiVersion?: string): string {
  const chosen = compareVersions(engineApiVersion, MAX_API_VERSION) > 0 ? MAX_API_VERSION : engineApiVersion;
  if (compareVersions(chosen, MIN_API_VERSION) < 0) {
    throw new Error(
      `the Docker engine speaks Engine API ${engineApiVersion}, older than the ${MIN_API_VERSION} netdive needs — upgrade Docker to 20.10 or later`,
    );
  }
  if (engineMinApiVersion && compareVersions(chosen, engineMinApiVersion) < 0) {
    throw new Error(
      `the Docker engine needs Engine API ${engineMinApiVersion} or newer, and netdive speaks up to ${MAX_API_VERSION} — upgrade netdive`,
    );
  }
  return chosen;
}

/** The fields netdive keeps from an inspect: never the environment, the command or mounts. */
function trimContainer(c: Docker.ContainerInspectInfo): RawContainer {
  const networks: NonNullable<RawContainer["NetworkSettings"]["Networks"]> = {};
  for (const [name, ep] of Object.entries(c.NetworkSettings.Networks ?? {})) {
    const e = ep as Docker.EndpointSettings & { DNSNames?: string[] | null; GlobalIPv6PrefixLen?: number };
    networks[name] = {
      NetworkID: e.NetworkID ?? "",
      EndpointID: e.EndpointID ?? "",
      Gateway: e.Gateway ?? "",
      IPAddress: e.IPAddress ?? "",
      IPPrefixLen: e.IPPrefixLen ?? 0,
      GlobalIPv6Address: e.GlobalIPv6Address ?? "",
      GlobalIPv6PrefixLen: e.GlobalIPv6PrefixLen ?? 0,
      MacAddress: e.MacAddress ?? "",
      Aliases: e.Aliases ?? null,
      DNSNames: e.DNSNames ?? null,
    };
  }
  return {
    Id: c.Id,
    Name: c.Name,
    State: { Status: c.State.Status, Running: c.State.Running, Pid: c.State.Pid },
    Config: { Image: c.Config.Image, Hostname: c.Config.Hostname, Labels: c.Config.Labels ?? null },
    HostConfig: {
      NetworkMode: c.HostConfig.NetworkMode ?? "default",
      PidMode: c.HostConfig.PidMode ?? "",
      PortBindings: (c.HostConfig.PortBindings as RawContainer["HostConfig"]["PortBindings"]) ?? null,
    },
    NetworkSettings: {
      Ports: (c.NetworkSettings.Ports as RawContainer["NetworkSettings"]["Ports"]) ?? null,
      Networks: networks,
    },
  };
}

function trimNetwork(n: Docker.NetworkInspectInfo): RawNetwork {
  return {
    Id: n.Id,
    Name: n.Name,
    Driver: n.Driver,
    Scope: n.Scope,
    Internal: n.Internal,
    EnableIPv6: n.EnableIPv6,
    IPAM: { Config: (n.IPAM?.Config ?? null) as Array<{ Subnet?: string; Gateway?: string }> | null },
    Options: n.Options ?? null,
    Labels: n.Labels ?? null,
  };
}

/**
 * docker-modem ends a request that timed out by destroying it, which surfaces as "socket hang up"
 * (ECONNRESET), the same as an engine that closed the connection. Tell them apart by the clock.
 */
async function timed<T>(timeoutMs: number, call: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await call();
  } catch (err) {
    const e = err as { code?: string };
    if (timeoutMs > 0 && e?.code === "ECONNRESET" && Date.now() - started >= timeoutMs * 0.9) {
      throw Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: "ETIMEDOUT", cause: err });
    }
    throw err;
  }
}

/** Whether an engine call failed because what it named is not there (HTTP 404). */
export function isNotFound(err: unknown): boolean {
  return (err as { statusCode?: number } | null)?.statusCode === 404;
}

/**
 * A dockerode client that speaks the API version negotiated with the engine at `url`: the
 * engine's version is asked unversioned first (Docker 29.0-29.2 refuse a client's older default).
 */
export async function openNegotiated(
  url: string,
  timeoutMs: number,
  tls?: EngineTls,
): Promise<{ docker: Docker; apiVersion: string }> {
  const modem = modemOptions(url, timeoutMs, tls);
  const v = (await timed(timeoutMs, () => new Docker(modem).version())) as Docker.DockerVersion & {
    MinAPIVersion?: string;
  };
  const apiVersion = negotiateApiVersion(v.ApiVersion, v.MinAPIVersion);
  return { docker: new Docker({ ...modem, version: `v${apiVersion}` }), apiVersion };
}

/**
 * Connects to an engine: asks for its version unversioned, then speaks the negotiated version
 * on every later call. Throws an Error whose message says what failed and what to do.
 */
export async function connectDocker(options: ConnectOptions = {}): Promise<DockerApi> {
  const url = options.host ?? defaultDockerHost();
  const timeoutMs = options.timeoutMs ?? 10_000;
  const modem = modemOptions(url, timeoutMs, options.tls);
  let docker: Docker;
  let apiVersion: string;
  try {
    ({ docker, apiVersion } = await openNegotiated(url, timeoutMs, options.tls));
  } catch (err) {
    throw new Error(describeDockerError(err, url), { cause: err });
  }
  const getJson = engineJsonClient(modem, timeoutMs, options.tls);
  const v = `/v${apiVersion}`;

  return {
    url,
    client: docker,
    async identify() {
      const [info, version] = await timed(timeoutMs, () => Promise.all([docker.info(), docker.version()]));
      const firewall = (info as { FirewallBackend?: { Driver?: string } }).FirewallBackend?.Driver;
      return {
        name: String(info.Name ?? ""),
        ...(info.ID ? { uid: `${String(info.ID)} in ${String(info.DockerRootDir ?? "")}` } : {}),
        version: version.Version,
        apiVersion,
        ...(firewall ? { firewallBackend: firewall } : {}),
      };
    },
    async listNetworks() {
      return (await getJson<Docker.NetworkInspectInfo[]>(`${v}/networks`)).map(trimNetwork);
    },
    async listContainers() {
      const list = await getJson<Docker.ContainerInfo[]>(`${v}/containers/json?all=1`);
      return list.map((c) => ({ Id: c.Id, State: c.State }));
    },
    async inspectContainer(id) {
      try {
        return trimContainer(
          await getJson<Docker.ContainerInspectInfo>(`${v}/containers/${encodeURIComponent(id)}/json`),
        );
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
    },
    async inspectNetwork(id) {
      try {
        return trimNetwork(await getJson<Docker.NetworkInspectInfo>(`${v}/networks/${encodeURIComponent(id)}`));
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
    },
    async getArchive(id, path, maxBytes) {
      try {
        const stream = await docker.getContainer(id).getArchive({ path });
        return await readBody(stream, maxBytes);
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
    },
    async subscribe(onEvent, signal) {
      // No timeout here: an idle event stream is normal, and the modem's timeout would cut it.
      const events = new Docker({ ...modem, version: `v${apiVersion}`, timeout: 0 });
      const stream = await events.getEvents({ abortSignal: signal } as Docker.GetEventsOptions);
      return { closed: followJsonLines(stream as NodeJS.ReadableStream, onEvent, signal) };
    },
  };
}

/** The events endpoint sends one JSON object per line; a line may arrive in pieces. */
async function followJsonLines(
  stream: NodeJS.ReadableStream,
  onEvent: (event: DockerEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  let pending = "";
  const onAbort = () => (stream as unknown as { destroy?: () => void }).destroy?.();
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer | string>) {
      pending += chunk.toString();
      let newline = pending.indexOf("\n");
      while (newline >= 0) {
        const line = pending.slice(0, newline).trim();
        pending = pending.slice(newline + 1);
        if (line) onEvent(JSON.parse(line) as DockerEvent);
        newline = pending.indexOf("\n");
      }
    }
  } catch (err) {
    if (!signal.aborted) throw err;
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}
