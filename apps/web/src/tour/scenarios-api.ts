import type { Localized } from "./types";

/** Whether a lab scenario's containers are running: all, some, or none. */
export type ScenarioState = "up" | "partial" | "down";

/** One lab scenario as `GET /api/scenarios` describes it. */
export interface ScenarioInfo {
  name: string;
  title: Localized;
  summary: Localized;
  state: ScenarioState;
  containers: Array<{ name: string; id: string; running: boolean }>;
}

/** The answer of `GET /api/scenarios`: `actions` says whether `POST …/up` and `…/down` exist. */
export interface ScenariosAnswer {
  actions: boolean;
  scenarios: ScenarioInfo[];
}

const STATES: readonly string[] = ["up", "partial", "down"];

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null;
}

/** What the server said, when it has the shape the tour needs; null otherwise. */
export function parseScenarios(body: unknown): ScenariosAnswer | null {
  if (!isRecord(body) || typeof body.actions !== "boolean" || !Array.isArray(body.scenarios)) return null;
  const scenarios = body.scenarios.filter(
    (s): s is ScenarioInfo => isRecord(s) && typeof s.name === "string" && STATES.includes(String(s.state)),
  );
  return { actions: body.actions, scenarios };
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
  throw new Error(
    isRecord(body) && typeof body.message === "string" ? body.message : `${res.status} ${res.statusText}`,
  );
}
