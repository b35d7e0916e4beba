import { connectDocker } from "@netdive/collector";
import type { RawContainer } from "@netdive/model";
import { isLoopback } from "./config";
import { readOwnContainerId } from "./runtime";

/**
 * `--published`: netdive in a container without host networking (Docker Desktop), reached through
 * a port publish. It listens on the container's own addresses, so without a token it must be sure
 * that only this machine reaches it: it reads its own container through the socket and accepts
 * only publishes bound to 127.0.0.1 (or ::1); anything wider needs the token. The engine's proxy
 * connects from the gateway of the container's network, so tokenless requests are answered only
 * from there (and loopback): another container on the same bridge is refused.
 */

export type PublishVerdict = { ok: true; peers: string[] } | { ok: false; reason: string };

/** Whether this container's publish of `port` keeps netdive on loopback, from its inspect. */
export function judgePublish(
  container: Pick<RawContainer, "HostConfig" | "NetworkSettings">,
  port: number,
): PublishVerdict {
  const fix = `publish it as -p 127.0.0.1:${port}:${port}, or pass --token`;
  if (container.HostConfig.NetworkMode === "host") {
    return {
      ok: false,
      reason: `--published is for a container without --network host; with host networking netdive already listens on the host's 127.0.0.1 — drop --published`,
    };
  }
  const bindings = container.NetworkSettings.Ports?.[`${port}/tcp`] ?? [];
  if (bindings.length === 0) {
    return { ok: false, reason: `port ${port}/tcp of netdive's container is not published — ${fix}` };
  }
  for (const b of bindings) {
    if (!isLoopback(b.HostIp || "0.0.0.0")) {
      return {
        ok: false,
        reason: `port ${port} is published on ${b.HostIp || "0.0.0.0"}:${b.HostPort}, beyond this machine, and netdive has no token — ${fix}`,
      };
    }
    if (b.HostPort !== String(port)) {
      return {
        ok: false,
        reason: `port ${port} is published as ${b.HostPort}: the page checks the port it was opened on — publish it on the same port (-p 127.0.0.1:${port}:${port}) or pass --port ${b.HostPort}`,
      };
    }
  }
  const peers = Object.values(container.NetworkSettings.Networks ?? {})
    .map((n) => n.Gateway)
    .filter((g): g is string => typeof g === "string" && g !== "");
  if (peers.length === 0) {
    return {
      ok: false,
      reason: "netdive's container has no network gateway for the publish to come through — pass --token",
    };
  }
  return { ok: true, peers };
}

/** Reads netdive's own container on the engine at `dockerHost` and judges its publish of `port`. */
export async function checkLoopbackPublish(dockerHost: string, port: number): Promise<PublishVerdict> {
  const id = readOwnContainerId();
  if (id === null) {
    return { ok: false, reason: "--published is for netdive running in a container, and this is not one — drop it" };
  }
  try {
    const api = await connectDocker({ host: dockerHost, timeoutMs: 5_000 });
    const container = await api.inspectContainer(id);
    if (!container)
      return { ok: false, reason: `the engine at ${dockerHost} does not know netdive's container ${id.slice(0, 12)}` };
    return judgePublish(container, port);
  } catch (err) {
    return { ok: false, reason: `cannot read netdive's own container to check its publish: ${(err as Error).message}` };
  }
}
