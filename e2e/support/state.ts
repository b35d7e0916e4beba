import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ScenarioName, ScenarioRun } from "@netdive/lab";

/** What global setup made, for the tests and the teardown. */
export interface E2eState {
  baseURL: string;
  serverPid: number;
  runId: string;
  scenarios: Record<ScenarioName, Omit<ScenarioRun, "down">>;
}

export const E2E_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const FILE = join(E2E_ROOT, "test-results", "e2e-state.json");

export function writeState(state: E2eState): void {
  mkdirSync(dirname(FILE), { recursive: true });
  writeFileSync(FILE, JSON.stringify(state, null, 2));
}

export function readState(): E2eState {
  return JSON.parse(readFileSync(FILE, "utf8")) as E2eState;
}
