import { readFileSync } from "node:fs";
import { buildTopology, LAB_SCENARIOS, type EngineInventory, type LabScenario, type Topology } from "@netdive/model";

/** The lab scenarios recorded as fixtures (isolation has no recording yet). */
export const SCENARIOS = LAB_SCENARIOS.filter(
  (name): name is Exclude<LabScenario, "isolation"> => name !== "isolation",
);

/** A topology built from an inventory recorded on a real engine. */
export function scenario(name: (typeof SCENARIOS)[number]): Topology {
  const url = new URL(`../../../../packages/model/test/fixtures/${name}.json`, import.meta.url);
  return buildTopology([JSON.parse(readFileSync(url, "utf8")) as EngineInventory], 1);
}
