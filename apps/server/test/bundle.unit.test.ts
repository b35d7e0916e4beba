import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The bundle is the server: dist/main.mjs, copied with a page beside it into a directory outside
 * any checkout (no node_modules, no pnpm-workspace.yaml above it), starts and serves both. No
 * engine is needed: the one it is pointed at does not exist, and health says so.
 */

const serverDir = join(dirname(fileURLToPath(import.meta.url)), "..");
let scratch = "";
let child: ChildProcess | undefined;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(url: string, ms: number): Promise<Response> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      return await fetch(url);
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "netdive-bundle-"));
  // Built straight into the scratch directory: apps/server/dist, which others may be running, stays.
  await promisify(execFile)(
    process.execPath,
    ["build.mjs", `--outfile=${join(scratch, "apps/server/dist/main.mjs")}`],
    {
      cwd: serverDir,
    },
  );
  await mkdir(join(scratch, "apps/web/dist"), { recursive: true });
  await writeFile(join(scratch, "apps/web/dist/index.html"), "<!doctype html><title>scratch page</title>");
}, 120_000);

afterAll(async () => {
  child?.kill("SIGTERM");
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe("the server bundle, from a scratch directory", () => {
  it("holds the lab's scenario actions and none of its truth readers (those are the tests')", async () => {
    const bundle = await readFile(join(scratch, "apps/server/dist/main.mjs"), "utf8");
    expect(bundle).toContain("function scenarioActions(");
    // One function of each truth reader of packages/lab/src/truth.
    for (const reader of ["inspectContainer", "fileInContainer", "netnsLinks", "natTable", "nftDnsHooks"]) {
      expect(bundle, reader).not.toContain(`function ${reader}(`);
    }
  });

  it("starts with nothing but apps/*/dist, serves the page beside it and says the engine is away", async () => {
    const port = await freePort();
    child = spawn(
      process.execPath,
      [
        join(scratch, "apps/server/dist/main.mjs"),
        "--port",
        String(port),
        "--docker-host",
        `unix://${scratch}/no-engine.sock`,
        "--log-format",
        "json",
      ],
      { cwd: scratch, env: { PATH: process.env.PATH ?? "" }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));

    const health = await waitFor(`http://127.0.0.1:${port}/api/health`, 15_000).catch((err: unknown) => {
      throw new Error(`the bundle did not answer: ${String(err)}\n${output}`);
    });
    expect(health.status).toBe(200);
    const body = (await health.json()) as { status: string; engines: Array<{ reachable: boolean }> };
    expect(body).toMatchObject({ status: "degraded", engines: [{ reachable: false }] });
    const page = await fetch(`http://127.0.0.1:${port}/`, { headers: { host: `localhost:${port}` } });
    expect(await page.text()).toContain("scratch page");
  }, 30_000);
});
