import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * A path inside the netdive checkout, found by walking up from a module to the directory that
 * holds pnpm-workspace.yaml: the same answer from the TypeScript sources and from the server's
 * bundle (apps/server/dist), whatever the working directory.
 */
export function repoPath(moduleUrl: string, ...segments: string[]): string {
  const start = dirname(fileURLToPath(moduleUrl));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return join(dir, ...segments);
    if (dirname(dir) === dir) throw new Error(`netdive's checkout (pnpm-workspace.yaml) was not found above ${start}.`);
  }
}
