import { LAYOUT } from "./layout";
import { SCENARIO_TEXT } from "@netdive/model";
import type { ScenarioInfo, ScenarioName } from "./types";

/** What each scenario shows, in English and Spanish, and the objects it is made of (names after the run prefix). */
export const SCENARIO_INFO: Record<ScenarioName, ScenarioInfo> = Object.fromEntries(
  (Object.keys(SCENARIO_TEXT) as ScenarioName[]).map((name) => [
    name,
    {
      ...SCENARIO_TEXT[name],
      containers: Object.values<string>(LAYOUT[name].containers),
      networks: Object.values<string>(LAYOUT[name].networks),
    },
  ]),
) as Record<ScenarioName, ScenarioInfo>;
