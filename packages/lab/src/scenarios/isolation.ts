import type { Run } from "../conventions";
import { scenarioBuilder } from "./builder";
import type { Progress, ScenarioRun } from "./types";

/** The bridge driver option that turns inter-container communication on one bridge off. */
export const ICC_OPTION = "com.docker.network.bridge.enable_icc";

/**
 * Isolation, three ways: two user bridges (`iso-left`, `iso-right`) whose containers cannot reach
 * each other, with a multi-homed `iso-router` on both; a bridge with ICC off (`iso-quiet`) whose
 * two containers cannot reach each other; an internal bridge (`iso-vault`) with no way out.
 */
export async function isolation(run: Run, say?: Progress): Promise<ScenarioRun> {
  const b = scenarioBuilder(run, "isolation", say);
  const [left, right, quiet, vault] = await Promise.all([
    b.network("left"),
    b.network("right"),
    b.network("quiet", { driverOptions: { [ICC_OPTION]: "false" } }),
    b.network("vault", { internal: true }),
  ]);
  const [leftA, rightB, router, quietA, quietB, vaultA, vaultB] = await Promise.all([
    b.container("leftA", { network: left.name }),
    b.container("rightB", { network: right.name }),
    b.container("router", { network: left.name }),
    b.container("quietA", { network: quiet.name }),
    b.container("quietB", { network: quiet.name }),
    b.container("vaultA", { network: vault.name }),
    b.container("vaultB", { network: vault.name }),
  ]);
  await b.connect(right, router);
  return {
    scenario: "isolation",
    containers: { leftA, rightB, router, quietA, quietB, vaultA, vaultB },
    networks: { left, right, quiet, vault },
  };
}
