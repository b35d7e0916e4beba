import { connectDocker } from "@netdive/collector";
import { ConfigError } from "./config-error";
import type { EngineTarget } from "./engine-targets";

/** Reads an engine's `/info` ID, or null when it does not answer now (it is then watched like any other). */
export type IdentifyEngine = (target: EngineTarget) => Promise<string | null>;

const identifyOverApi: IdentifyEngine = async (target) => {
  try {
    const api = await connectDocker({ host: target.url, timeoutMs: 3_000, ...(target.tls ? { tls: target.tls } : {}) });
    return (await api.identify()).uid ?? null;
  } catch {
    return null;
  }
};

/**
 * Refuses the same engine given twice under two urls (a socket and a TLS port in front of it, a
 * context naming the socket): its containers would be drawn twice. Engines are told apart by
 * `GET /info` ID; one that does not answer at startup cannot be compared and is not refused.
 */
export async function refuseSameEngine(
  targets: readonly EngineTarget[],
  identify: IdentifyEngine = identifyOverApi,
): Promise<void> {
  if (targets.length < 2) return;
  const uids = await Promise.all(targets.map(identify));
  const seen = new Map<string, EngineTarget>();
  targets.forEach((target, i) => {
    const uid = uids[i];
    if (!uid) return;
    const first = seen.get(uid);
    if (first) {
      throw new ConfigError(
        `${target.from} and ${first.from} reach the same Docker engine (${uid}) — give it once, or its containers would be drawn twice`,
      );
    }
    seen.set(uid, target);
  });
}
