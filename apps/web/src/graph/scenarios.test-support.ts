import { readFileSync } from "node:fs";
import { buildTopology, type EngineInventory, type Topology } from "@netdive/model";

export const SCENARIOS = [
  "default-bridge",
  "user-bridge",
  "compose",
  "host",
  "none",
  "join-network",
  "join-pid",
  "join-both",
] as const;

/** A topology built from an inventory recorded on a real engine. */
export function scenario(name: (typeof SCENARIOS)[number]): Topology {
  const url = new URL(`../../../../packages/model/test/fixtures/${name}.json`, import.meta.url);
  return buildTopology([JSON.parse(readFileSync(url, "utf8")) as EngineInventory], 1);
}
