import { join } from "node:path";
import type { EngineEndpoint, EngineTls } from "@netdive/collector";
import { DEFAULT_DOCKER_HOST } from "@netdive/model";
import { ConfigError } from "./config-error";
import { currentContextName, dockerConfigDir, readContext, readTlsDir } from "./docker-contexts";

/** One engine netdive reads, with the id it has in the topology, the API and the page. */
export interface EngineTarget extends EngineEndpoint {
  /** "local" for the default engine; a context's name, the NAME of `--docker-host NAME=URL`, or a slug of the host. */
  id: string;
  /** Where it was given, for messages: `--docker-host tcp://…`, `--context staging`, `DOCKER_HOST`. */
  from: string;
}

/** One `--docker-host` or `--context` as given, in the order given. */
export type EngineFlag = { kind: "docker-host"; value: string } | { kind: "context"; value: string };

/** The id of the default engine: recordings and links name it, so it never changes. */
export const LOCAL_ENGINE = "local";

const ID = /^[a-z0-9][a-z0-9_.-]{0,39}$/;
const URL_SHAPE = /^(unix:\/\/\/.|tcp:\/\/[^/]+|ssh:\/\/[^/]+)/;

/**
 * The engines to read, from the flags in their order, else as the docker CLI chooses one:
 * DOCKER_HOST, then DOCKER_CONTEXT or config.json's current context, then the default socket.
 * The first engine is "local" unless it was named (a context, `NAME=URL`); each further one is
 * named by its context, its NAME, or a slug of its host, made unique.
 */
export function engineTargets(flags: readonly EngineFlag[], env: NodeJS.ProcessEnv): EngineTarget[] {
  const targets: EngineTarget[] = [];
  const taken = new Set<string>();
  const add = (endpoint: EngineEndpoint, from: string, name: string | null) => {
    const twice = targets.find((t) => t.url === endpoint.url);
    if (twice) {
      throw new ConfigError(`${from} and ${twice.from} are the same engine (${endpoint.url}) — give it once`);
    }
    let id = name ?? (targets.length === 0 ? LOCAL_ENGINE : slugOf(endpoint.url));
    if (name !== null && taken.has(id)) {
      throw new ConfigError(`two engines are named "${id}" — name one otherwise with --docker-host NAME=URL`);
    }
    for (let n = 2; taken.has(id); n++) id = `${slugOf(endpoint.url)}-${n}`;
    taken.add(id);
    targets.push({ ...endpoint, id, from });
  };
  for (const flag of flags) {
    if (flag.kind === "context") {
      const name = flag.value;
      const endpoint = readContext(name, env);
      add(endpoint, `--context ${name}`, name === "default" ? LOCAL_ENGINE : idOf(name, "--context"));
      continue;
    }
    const named = /^([^=/:]+)=(.*)$/.exec(flag.value);
    const url = named ? named[2]! : flag.value;
    checkUrl(url, `--docker-host ${flag.value}`);
    add(withEnvTls(url, env), `--docker-host ${url}`, named ? idOf(named[1]!, "--docker-host NAME=URL") : null);
  }
  if (targets.length > 0) return targets;
  if (env.DOCKER_HOST) {
    checkUrl(env.DOCKER_HOST, "DOCKER_HOST");
    add(withEnvTls(env.DOCKER_HOST, env), "DOCKER_HOST", null);
    return targets;
  }
  const current = currentContextName(env);
  if (current !== null) {
    add(readContext(current, env), `the current Docker context (${current})`, null);
    return targets;
  }
  add({ url: DEFAULT_DOCKER_HOST }, "the default socket", null);
  return targets;
}

function checkUrl(url: string, from: string): void {
  if (!URL_SHAPE.test(url)) {
    throw new ConfigError(
      `${from}: the Docker host must look like unix:///var/run/docker.sock, tcp://host:2376 or ssh://user@host, not "${url}"`,
    );
  }
}

function idOf(name: string, from: string): string {
  const id = name.toLowerCase();
  if (!ID.test(id)) {
    throw new ConfigError(
      `${from}: "${name}" cannot name an engine — use letters, digits, "-", "_" or "." (up to 40), starting with a letter or digit`,
    );
  }
  return id;
}

/** A readable id from where the engine is: a socket's directory or name, a host's name and port. */
export function slugOf(url: string): string {
  let raw: string;
  if (url.startsWith("unix://")) {
    const parts = url.slice("unix://".length).split("/").filter(Boolean);
    const file = parts.at(-1) ?? "engine";
    raw = file === "docker.sock" && parts.length > 1 ? parts.at(-2)! : file.replace(/\.sock$/, "");
  } else {
    const u = new URL(url.replace(/^tcp:/, "http:"));
    raw = u.port ? `${u.hostname}-${u.port}` : u.hostname;
  }
  const slug = raw
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, "-")
    .replace(/^[^a-z0-9]+/, "")
    .slice(0, 40);
  return slug || "engine";
}

/**
 * A tcp:// engine with the TLS the environment asks for, as the docker CLI reads it:
 * DOCKER_TLS_VERIFY (verify the engine against ca.pem) or DOCKER_TLS (TLS, unverified), with
 * ca.pem, cert.pem and key.pem from DOCKER_CERT_PATH (default `~/.docker`).
 */
export function withEnvTls(url: string, env: NodeJS.ProcessEnv): EngineEndpoint {
  const verify = Boolean(env.DOCKER_TLS_VERIFY);
  if (!url.startsWith("tcp://") || (!verify && !env.DOCKER_TLS)) return { url };
  const dir = env.DOCKER_CERT_PATH || dockerConfigDir(env);
  if (!dir)
    throw new ConfigError("DOCKER_TLS_VERIFY is set but neither DOCKER_CERT_PATH nor HOME is: say where ca.pem is");
  const tls: EngineTls | undefined = readTlsDir(dir, verify);
  if (verify && !tls?.ca) {
    throw new ConfigError(
      `DOCKER_TLS_VERIFY is set but there is no ${join(dir, "ca.pem")} — set DOCKER_CERT_PATH to the directory with ca.pem, cert.pem and key.pem`,
    );
  }
  return { url, tls: tls ?? { verify } };
}
