import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { E2E_ROOT } from "./state";

const REPO = join(E2E_ROOT, "..");

/**
 * Starts the built server (`node apps/server/dist/main.mjs`, what `pnpm start` runs; build it
 * first) on `port` and waits until /api/health answers.
 */
export async function startServer(
  port: number,
  extraArgs: string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ["--enable-source-maps", "apps/server/dist/main.mjs", "--port", String(port), "--log-level", "warn", ...extraArgs],
    { cwd: REPO, stdio: ["ignore", "inherit", "inherit"], detached: true, env },
  );
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the netdive server exited with ${child.exitCode} before answering`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (res.ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill("SIGKILL");
  throw new Error(`the netdive server did not answer on port ${port} within 60 s`);
}
