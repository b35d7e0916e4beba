/**
 * `pnpm bench:flows`: the flows section of `pnpm bench` on its own, at the lab's size (20
 * containers over two bridges: the lab's scenarios hold about as many), without the 20 minutes
 * of the full bench. Prints the table; the full bench writes it into docs/benchmarks.md.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { cleanup, docker, labelArgs, newRun } from "@netdive/lab";
import { engineGet } from "./engine-floor";
import { flowsCost, flowsTable } from "./flows-cost";
import { startOne } from "./start-one";

const REPO = join(import.meta.dirname, "..", "..");
const LAB_SIZE = 20;

async function main(): Promise<void> {
  execFileSync("pnpm", ["--filter", "@netdive/web", "--filter", "@netdive/server", "build", "--logLevel", "warn"], {
    cwd: REPO,
    stdio: "inherit",
  });
  const { ApiVersion } = await engineGet<{ ApiVersion: string }>("/version");
  const run = newRun();
  try {
    const networks = [`${run.prefix}net0`, `${run.prefix}net1`];
    for (const name of networks) await docker(["network", "create", ...labelArgs(run), name]);
    for (let i = 0; i < LAB_SIZE - 2; i++) await startOne(run, networks[i % 2] as string, `c${i}`);
    const rows = await flowsCost(REPO, run, networks[0] as string, ApiVersion);
    console.log(`\n${flowsTable(rows)}`);
  } finally {
    await cleanup(run.id);
  }
}

main().catch((err: unknown) => {
  console.error(`netdive bench:flows failed: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
