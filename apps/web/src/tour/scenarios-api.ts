import { ErrorReply, fits, ScenarioList, type ScenarioItem } from "@netdive/model";

/** Whether a lab scenario's containers are running: all, some, or none. */
export type ScenarioState = ScenarioItem["state"];

/** One lab scenario as `GET /api/scenarios` describes it (packages/model's contract). */
export type ScenarioInfo = ScenarioItem;

/** The answer of `GET /api/scenarios`: `actions` says whether `POST …/up` and `…/down` exist. */
export type ScenariosAnswer = ScenarioList;

/** What the server said, when it fits the contract; null otherwise. */
export function parseScenarios(body: unknown): ScenariosAnswer | null {
  return fits(ScenarioList, body) ? body : null;
}

/** `GET /api/scenarios`; null when the server has no such route (an older server) or answers oddly. */
export async function fetchScenarios(signal?: AbortSignal): Promise<ScenariosAnswer | null> {
  const res = await fetch("/api/scenarios", { credentials: "same-origin", signal: signal ?? null });
  if (!res.ok) return null;
  return parseScenarios(await res.json());
}

/** `POST /api/scenarios/:name/up`; throws with the server's message when it refuses. */
export async function bringUp(name: string): Promise<void> {
  const res = await fetch(`/api/scenarios/${encodeURIComponent(name)}/up`, {
    method: "POST",
    credentials: "same-origin",
  });
  if (res.ok) return;
  const body: unknown = await res.json().catch(() => null);
  throw new Error(fits(ErrorReply, body) ? body.message : `${res.status} ${res.statusText}`);
}
