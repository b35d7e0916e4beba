import { Agent as HttpsAgent } from "node:https";
import type Docker from "dockerode";

/**
 * TLS material for a `tcp://` engine, as the docker CLI reads it: from DOCKER_CERT_PATH with
 * DOCKER_TLS_VERIFY, or from a context's `tls/<sha256>/docker/` directory.
 */
export interface EngineTls {
  /** PEM: the CA that signed the engine's certificate; absent: the system's CAs. */
  ca?: string;
  /** PEM: the client certificate and its key, when the engine asks for one (`--tlsverify` on dockerd). */
  cert?: string;
  key?: string;
  /** Check the engine's certificate and name (DOCKER_TLS_VERIFY); false for a context's SkipTLSVerify. */
  verify: boolean;
}

/** Where an engine is and how to speak to it. */
export interface EngineEndpoint {
  /** `unix:///path`, `tcp://host:port` or `ssh://user@host[:port]`, as the user wrote it. */
  url: string;
  /** For `tcp://`: speak TLS with this material; absent: plain HTTP. */
  tls?: EngineTls;
}

/**
 * dockerode options for an engine: a unix socket, HTTP or HTTPS over tcp (the CLI's default port
 * 2376 with TLS, 2375 without), or ssh (docker-modem runs `docker system dial-stdio` on the remote
 * host through ssh2, authenticated by the ssh agent at SSH_AUTH_SOCK, as the docker CLI's ssh does).
 */
export function modemOptions(host: string, timeoutMs: number, tls?: EngineTls): Docker.DockerOptions {
  if (host.startsWith("unix://")) return { socketPath: host.slice("unix://".length), timeout: timeoutMs };
  if (host.startsWith("ssh://")) {
    const url = new URL(host);
    const agent = process.env.SSH_AUTH_SOCK;
    return {
      protocol: "ssh",
      host: url.hostname,
      port: Number(url.port || 22),
      ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
      sshOptions: agent ? { agent } : {},
      timeout: timeoutMs,
    } as Docker.DockerOptions;
  }
  const url = new URL(host.replace(/^tcp:/, "http:"));
  if (!tls) return { host: url.hostname, port: Number(url.port || 2375), protocol: "http", timeout: timeoutMs };
  return {
    host: url.hostname,
    port: Number(url.port || 2376),
    protocol: "https",
    timeout: timeoutMs,
    ...(tls.ca ? { ca: tls.ca } : {}),
    ...(tls.cert ? { cert: tls.cert } : {}),
    ...(tls.key ? { key: tls.key } : {}),
    // docker-modem has no switch for an unverified engine; an agent's TLS options win over the request's.
    agent: tlsAgent(tls, false),
  } as Docker.DockerOptions;
}

/** An HTTPS agent that carries the engine's TLS material (and whether to verify it). */
export function tlsAgent(tls: EngineTls, keepAlive: boolean, timeout?: number): HttpsAgent {
  return new HttpsAgent({
    keepAlive,
    ...(timeout ? { timeout } : {}),
    ...(tls.ca ? { ca: tls.ca } : {}),
    ...(tls.cert ? { cert: tls.cert } : {}),
    ...(tls.key ? { key: tls.key } : {}),
    rejectUnauthorized: tls.verify,
    ...(tls.verify ? {} : { checkServerIdentity: () => undefined }),
  });
}
