import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { E2E_ROOT } from "./state";

const REPO = join(E2E_ROOT, "..");

/** Starts `tsx apps/server/src/main.ts` on `port` and waits until /api/health answers. */
export async function startServer(port: number, extraArgs: string[] = []): Promise<ChildProcess> {
  const child = spawn(
    join(REPO, "node_modules", ".bin", "tsx"),
    ["apps/server/src/main.ts", "--port", String(port), "--log-level", "warn", ...extraArgs],
    { cwd: REPO, stdio: ["ignore", "inherit", "inherit"], detached: true },
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
