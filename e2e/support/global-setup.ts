import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { freeTcpPort, newRun, upAll } from "@netdive/lab";
import { startServer } from "./server";
import { E2E_ROOT, writeState } from "./state";

/** Builds the page and the server, brings every scenario up under one run, starts the server as `pnpm start` does. */
export default async function globalSetup(): Promise<void> {
  try {
    execFileSync("docker", ["version", "--format", "{{.Server.Version}}"], { stdio: "pipe", timeout: 15_000 });
  } catch {
    throw new Error("e2e tests need a Docker engine and none answers — run `bash docker/ensure-engine.sh` as root");
  }
  execFileSync("pnpm", ["--filter", "@netdive/web", "--filter", "@netdive/server", "build", "--logLevel", "warn"], {
    cwd: join(E2E_ROOT, ".."),
    stdio: "inherit",
  });
  const run = newRun();
  const scenarios = await upAll(run);
  const port = await freeTcpPort(0);
  // With actions: the reach panel's live probes are part of what the tests check.
  const server = await startServer(port, ["--allow-actions"]);
  writeState({
    baseURL: `http://127.0.0.1:${port}`,
    serverPid: server.pid ?? 0,
    runId: run.id,
    scenarios: Object.fromEntries(Object.entries(scenarios).map(([k, v]) => [k, { ...v, down: undefined }])) as never,
  });
  server.unref();
}
