import { execFileSync, type ChildProcess } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { docker, freeTcpPort, LAB_IMAGE, labelArgs, newRun } from "@netdive/lab";
import type { Topology } from "@netdive/model";
import type { Page } from "@playwright/test";
import { expect, graph, test, waitForNode } from "../support/fixtures";
import { startServer } from "../support/server";
import { E2E_ROOT } from "../support/state";

/**
 * Two engines on one page: the main engine (with the scenarios global setup brought up) and a
 * private dockerd in its own network namespace (docker/private-engine.sh with iptables) holding a
 * user bridge and two containers. Each is its own host box, side by side; killing the private
 * engine greys its box only.
 */
const SCRIPT = join(E2E_ROOT, "..", "docker/private-engine.sh");
const run = newRun();
const dir = `/tmp/nde2e-${run.id}`;
const url = `unix://${dir}/docker.sock`;
const SHOTS = join(E2E_ROOT, "test-results", "engines");
const onPrivate = (args: string[]) =>
  docker(args, { env: { DOCKER_HOST: url, DOCKER_CONTEXT: "" }, timeoutMs: 60_000 });
let server: ChildProcess | undefined;
let baseURL = "";
const ids: string[] = [];
let netId = "";

function privateEngine(action: "start" | "stop"): void {
  execFileSync("bash", [SCRIPT, action, dir], {
    stdio: "pipe",
    timeout: 90_000,
    env: { ...process.env, NETDIVE_PRIVATE_FIREWALL: "iptables" },
  });
}

test.describe.configure({ mode: "serial" });

test.describe("several engines in one view", () => {
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    mkdirSync(dir, { recursive: true });
    mkdirSync(SHOTS, { recursive: true });
    privateEngine("start");
    execFileSync("bash", ["-c", 'docker save "$IMAGE" | DOCKER_HOST="$PRIVATE" docker load'], {
      stdio: "pipe",
      timeout: 90_000,
      env: { ...process.env, IMAGE: LAB_IMAGE, PRIVATE: url },
    });
    const net = `${run.prefix}pnet`;
    netId = (await onPrivate(["network", "create", ...labelArgs(run), net])).trim();
    for (const name of ["pa", "pb"]) {
      const args = ["run", "-d", "--init", "--name", `${run.prefix}${name}`, "--network", net, ...labelArgs(run)];
      ids.push((await onPrivate([...args, LAB_IMAGE, "sleep", "600"])).trim());
    }
    const port = await freeTcpPort(0);
    server = await startServer(port, [
      "--docker-host",
      "unix:///var/run/docker.sock",
      "--docker-host",
      `private=${url}`,
    ]);
    baseURL = `http://127.0.0.1:${port}`;
  });

  test.afterAll(() => {
    try {
      if (server?.pid) process.kill(-server.pid, "SIGTERM");
    } catch {
      // already gone
    }
    // Stopping the engine removes its containers and networks with it; the directory goes after.
    privateEngine("stop");
    rmSync(dir, { recursive: true, force: true });
  });

  /** Each host box's rendered extent, from Cytoscape. */
  const boxes = (page: Page) =>
    page.evaluate(() => {
      const cy = window.__NETDIVE__.cy!;
      return Object.fromEntries(
        cy.nodes('[kind = "host"]').map((n) => {
          const b = n.boundingBox({ includeLabels: false });
          return [n.id(), { x1: b.x1, x2: b.x2, y1: b.y1, y2: b.y2, state: (n.data("state") as string) ?? "" }];
        }),
      );
    });

  test("draws each engine as its own host box, side by side, with its containers; killing one greys only it", async ({
    browser,
  }) => {
    test.setTimeout(90_000);
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    const started = Date.now();
    await page.goto(baseURL);
    // From afar a room is a card (its boxes are not on the canvas): the private room, and its members in the store.
    for (const id of ["host:local", "host:private", `room:${netId}`]) await waitForNode(page, id, 20_000);
    await page.waitForFunction(
      (want) =>
        want.every(
          (id) =>
            (window.__NETDIVE__.store.getState().topology as Topology | null)?.containers[id]?.engineId === "private",
        ),
      ids,
      { timeout: 20_000 },
    );
    console.log(`two engines: first picture with the private containers after ${Date.now() - started} ms`);
    await expect(page.getByTestId("status-engine-local").first()).toHaveClass(/engine-up/);
    await expect(page.getByTestId("status-engine-private").first()).toHaveClass(/engine-up/);
    const g = await graph(page);
    expect(
      g.nodes.find((n) => n.id === `room:${netId}`)?.parent,
      "the private network's room is in the private box",
    ).toBe("host:private");
    const live = await boxes(page);
    expect(live["host:private"]!.x1, "the private box stands right of the local one").toBeGreaterThan(
      live["host:local"]!.x2,
    );
    const label = g.nodes.find((n) => n.id === "host:private")!.label;
    expect(label).toContain("private");
    await page.screenshot({ path: join(SHOTS, "two-engines-1920.png") });
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(`${baseURL}/?projector`);
    await waitForNode(page, `room:${netId}`, 20_000);
    await page.waitForTimeout(1000);
    await page.screenshot({ path: join(SHOTS, "two-engines-1280-projector.png") });

    // Kill the private dockerd (checked to be the one this directory's pidfile names).
    const pid = Number(readFileSync(`${dir}/docker.pid`, "utf8").trim());
    expect(readFileSync(`/proc/${pid}/comm`, "utf8").trim()).toBe("dockerd");
    const localBefore = g.nodes.filter((n) => n.kind === "nic" && n.parent === "host:local").map((n) => n.id);
    process.kill(pid, "SIGKILL");
    await page.waitForFunction(
      () => window.__NETDIVE__.cy!.getElementById("host:private").data("state") === "unreachable",
      undefined,
      { timeout: 30_000 },
    );
    await expect(page.getByTestId("status-engine-private").first()).toHaveClass(/engine-down/);
    await expect(page.getByTestId("status-engine-local").first()).toHaveClass(/engine-up/);
    await expect(page.getByTestId("status").first()).toHaveClass(/status-live/);
    const after = await graph(page);
    expect(after.nodes.find((n) => n.id === "host:private")!.label).toMatch(/private — engine unreachable$/);
    expect(after.nodes.find((n) => n.id === "down:private")).toMatchObject({
      parent: "host:private",
      label: expect.stringMatching(/^cannot reach Docker at unix:\/\/\/tmp\/nde2e-/),
    });
    expect(after.nodes.filter((n) => n.kind === "nic" && n.parent === "host:local").map((n) => n.id)).toEqual(
      localBefore,
    );
    expect(
      after.nodes.filter((n) => n.parent === "host:local").length,
      "the local box still holds its rooms",
    ).toBeGreaterThan(1);
    await page.waitForTimeout(1600);
    await page.screenshot({ path: join(SHOTS, "private-down-1280-projector.png") });
    expect(errors).toEqual([]);
    await page.close();
    // The private engine comes back for afterAll's orderly stop.
    privateEngine("start");
  });
});
