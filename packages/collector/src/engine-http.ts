import { Agent, request } from "node:http";
import { request as httpsRequest } from "node:https";
import Docker from "dockerode";
import { tlsAgent, type EngineTls } from "./engine-endpoint";

/** A failed Engine API request, shaped like docker-modem's errors so describeDockerError reads both. */
export interface EngineHttpError extends Error {
  statusCode?: number;
  json?: { message?: string };
  code?: string;
}

export type GetJson = <T>(path: string) => Promise<T>;

/** How long a kept-alive connection to the engine may sit unused. */
const IDLE_SOCKET_MS = 30_000;

/**
 * GET-and-parse over one keep-alive agent: the calls a collection makes hundreds of times (list,
 * inspect). docker-modem builds each request through several layers and formats its options for
 * a debug log even when nobody reads it; at 120 containers that was ~15 ms of CPU per
 * collection. Everything else (version, info, archive, events) still goes through dockerode.
 */
export function engineJsonClient(modem: Docker.DockerOptions, timeoutMs: number, tls?: EngineTls): GetJson {
  // ssh tunnels each request through `docker system dial-stdio`: docker-modem's own dial does that.
  if (modem.protocol === "ssh") return modemJsonClient(new Docker(modem));
  // Idle sockets close after a while: a collector that reconnects makes a new client, and the old
  // one's kept-alive sockets must not stay open for the life of the process.
  const agent = tls
    ? tlsAgent(tls, true, IDLE_SOCKET_MS)
    : new Agent({ keepAlive: true, maxSockets: 16, timeout: IDLE_SOCKET_MS });
  const send = tls ? httpsRequest : request;
  const target = modem.socketPath
    ? { socketPath: modem.socketPath }
    : { host: modem.host as string, port: Number(modem.port ?? 2375) };
  return <T>(path: string) =>
    new Promise<T>((resolve, reject) => {
      const req = send({ ...target, path, method: "GET", agent, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            try {
              resolve(JSON.parse(text) as T);
            } catch (err) {
              reject(new Error(`the engine sent unreadable JSON for ${path}`, { cause: err }));
            }
            return;
          }
          let json: { message?: string } | undefined;
          try {
            json = JSON.parse(text) as { message?: string };
          } catch {
            json = { message: text };
          }
          reject(
            Object.assign(new Error(`(HTTP code ${status}) ${json?.message ?? ""}`.trim()), {
              statusCode: status,
              json,
            }) as EngineHttpError,
          );
        });
      });
      req.on("timeout", () =>
        req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: "ETIMEDOUT" })),
      );
      req.on("error", reject);
      req.end();
    });
}

/** GET-and-parse through docker-modem (ssh), with its errors (statusCode, json) as they come. */
function modemJsonClient(docker: Docker): GetJson {
  return <T>(path: string) =>
    new Promise<T>((resolve, reject) => {
      docker.modem.dial(
        { path, method: "GET", statusCodes: { 200: true, 404: "not found", 500: "server error" } },
        (err: unknown, data: unknown) => (err ? reject(err as Error) : resolve(data as T)),
      );
    });
}
