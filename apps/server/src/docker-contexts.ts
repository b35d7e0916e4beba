import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { EngineEndpoint, EngineTls } from "@netdive/collector";
import { DEFAULT_DOCKER_HOST } from "@netdive/model";
import { ConfigError } from "./config-error";

/**
 * The Docker CLI's contexts, read as the CLI reads them: `$DOCKER_CONFIG` (default `~/.docker`)
 * holds `config.json` (`currentContext`), `contexts/meta/<sha256 of the name>/meta.json` (the
 * endpoint's Host and SkipTLSVerify) and `contexts/tls/<sha256 of the name>/docker/{ca,cert,key}.pem`.
 */

/** The CLI's configuration directory, or null when there is no home to find it in. */
export function dockerConfigDir(env: NodeJS.ProcessEnv): string | null {
  if (env.DOCKER_CONFIG) return env.DOCKER_CONFIG;
  return env.HOME ? join(env.HOME, ".docker") : null;
}

/** The context the docker CLI would use: DOCKER_CONTEXT, then config.json's currentContext; null for "default". */
export function currentContextName(env: NodeJS.ProcessEnv): string | null {
  const fromEnv = env.DOCKER_CONTEXT;
  if (fromEnv) return fromEnv === "default" ? null : fromEnv;
  const dir = dockerConfigDir(env);
  const file = dir ? join(dir, "config.json") : null;
  if (!file || !existsSync(file)) return null;
  let config: { currentContext?: unknown };
  try {
    config = JSON.parse(readFileSync(file, "utf8")) as { currentContext?: unknown };
  } catch (err) {
    throw new ConfigError(`cannot read ${file}: ${(err as Error).message} — fix the file or set DOCKER_HOST`);
  }
  const name = typeof config.currentContext === "string" ? config.currentContext : "";
  return name === "" || name === "default" ? null : name;
}

interface ContextMeta {
  Name?: string;
  Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } };
}

/** The engine a context names, with its TLS material; "default" is the default socket. */
export function readContext(name: string, env: NodeJS.ProcessEnv): EngineEndpoint {
  if (name === "default") return { url: DEFAULT_DOCKER_HOST };
  const dir = dockerConfigDir(env);
  if (!dir) throw new ConfigError(`cannot find Docker context "${name}": neither HOME nor DOCKER_CONFIG is set`);
  const digest = createHash("sha256").update(name).digest("hex");
  const metaFile = join(dir, "contexts", "meta", digest, "meta.json");
  if (!existsSync(metaFile)) {
    throw new ConfigError(
      `there is no Docker context "${name}" (looked for ${metaFile}) — list them with \`docker context ls\`, or create it with \`docker context create ${name} --docker host=...\``,
    );
  }
  let meta: ContextMeta;
  try {
    meta = JSON.parse(readFileSync(metaFile, "utf8")) as ContextMeta;
  } catch (err) {
    throw new ConfigError(`cannot read Docker context "${name}" from ${metaFile}: ${(err as Error).message}`);
  }
  const endpoint = meta.Endpoints?.docker;
  if (!endpoint) throw new ConfigError(`Docker context "${name}" (${metaFile}) has no docker endpoint`);
  const url = endpoint.Host || DEFAULT_DOCKER_HOST;
  const tlsDir = join(dir, "contexts", "tls", digest, "docker");
  const tls = url.startsWith("tcp://") ? readTlsDir(tlsDir, endpoint.SkipTLSVerify !== true) : undefined;
  // The CLI speaks TLS to a context's tcp endpoint when it has TLS material or says to skip its check.
  if (tls || (url.startsWith("tcp://") && endpoint.SkipTLSVerify === true)) {
    return { url, tls: tls ?? { verify: false } };
  }
  return { url };
}

/** ca.pem, cert.pem and key.pem from `dir`, those that exist; undefined when none does. */
export function readTlsDir(dir: string, verify: boolean): EngineTls | undefined {
  const read = (file: string) => {
    const path = join(dir, file);
    return existsSync(path) ? readFileSync(path, "utf8") : undefined;
  };
  const ca = read("ca.pem");
  const cert = read("cert.pem");
  const key = read("key.pem");
  if (!ca && !cert && !key) return undefined;
  if (Boolean(cert) !== Boolean(key)) {
    throw new ConfigError(
      `${dir} has ${cert ? "cert.pem but no key.pem" : "key.pem but no cert.pem"} — a client certificate needs both`,
    );
  }
  return { verify, ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
}
