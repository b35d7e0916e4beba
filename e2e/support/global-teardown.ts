import { cleanup, leftovers } from "@netdive/lab";
import { readState } from "./state";

/** Stops the server and removes everything the run made, by label (compose included). */
export default async function globalTeardown(): Promise<void> {
  const state = readState();
  try {
    process.kill(-state.serverPid, "SIGTERM");
  } catch {
    // already gone
  }
  await cleanup(state.runId);
  const left = await leftovers(state.runId);
  if (left.containers.length + left.networks.length > 0) {
    throw new Error(
      `e2e left ${left.containers.length} containers and ${left.networks.length} networks of run ${state.runId}`,
    );
  }
}
