/**
 * The workshop lab's scenarios, by the name `pnpm lab up <name>` and the label
 * `io.netdive.scenario` use: shared by the lab that makes them and the page that tours them.
 */
export const LAB_SCENARIOS = [
  "default-bridge",
  "user-bridge",
  "compose",
  "isolation",
  "host",
  "none",
  "join-network",
  "join-pid",
  "join-both",
] as const;

export type LabScenario = (typeof LAB_SCENARIOS)[number];

/** The label that names the lab scenario an object belongs to. */
export const LAB_SCENARIO_LABEL = "io.netdive.scenario";
