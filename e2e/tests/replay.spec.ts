import { type ChildProcess } from "node:child_process";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freeTcpPort } from "@netdive/lab";
import { LAB_SCENARIOS, parseRecording, RecordingTimeline, type Topology } from "@netdive/model";
import type { Browser, Page } from "@playwright/test";
import { expect, graph, test, waitForNode } from "../support/fixtures";
import { startServer } from "../support/server";
import { E2E_ROOT } from "../support/state";

const DEMO = join(E2E_ROOT, "..", "packages/lab/demo/workshop.ndjson");
/** An engine that is not there: what `pnpm demo` is for. */
const NO_ENGINE = { ...process.env, DOCKER_HOST: "unix:///nonexistent/netdive-e2e/docker.sock" };
const ctr = (id: string) => `ctr:${id}`;

function stop(server: ChildProcess | undefined): void {
  try {
    if (server?.pid) process.kill(-server.pid, "SIGTERM");
  } catch {
    // already gone
  }
}

/** Collects console errors and uncaught exceptions of a page. */
function errorsOf(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  return errors;
}

const at = (page: Page) => page.evaluate(() => window.__NETDIVE__.store.getState().at);
const shownRevision = (page: Page) =>
  page.evaluate(() => (window.__NETDIVE__.store.getState().topology as { revision: number } | null)?.revision ?? -1);

/** Clicks a container's own box on the canvas (inside its padding, away from its interfaces). */
async function clickContainer(page: Page, name: string, id: string): Promise<void> {
  await page.getByTestId("filter").fill(name);
  await page.waitForTimeout(400);
  const point = await page.evaluate((nodeId) => {
    const box = window.__NETDIVE__.cy!.getElementById(nodeId).renderedBoundingBox({ includeLabels: false });
    return { x: box.x1 + 8, y: box.y1 + 8 };
  }, ctr(id));
  const origin = (await page.getByTestId("graph").boundingBox())!;
  await page.mouse.click(origin.x + point.x, origin.y + point.y);
  await expect(page.getByTestId("details-title")).toHaveText(name);
}

/** `pnpm demo` for the describe block it is called in: started before its tests, stopped after; `url` once it answers. */
function demoServer(): { url: string } {
  const demo = { url: "" };
  let server: ChildProcess | undefined;
  test.beforeAll(async () => {
    const port = await freeTcpPort(0);
    server = await startServer(port, ["--replay", DEMO], NO_ENGINE);
    demo.url = `http://127.0.0.1:${port}`;
  });
  test.afterAll(() => stop(server));
  return demo;
}

test.describe("pnpm demo: the built-in recording with no engine", () => {
  const timeline = new RecordingTimeline(parseRecording(readFileSync(DEMO, "utf8")));
  const last = timeline.moments.length - 1;
  const demo = demoServer();

  test("plays the recording, steps change by change, and shows every scenario with its details and tour", async ({
    page,
  }) => {
    const errors = errorsOf(page);
    await page.goto(demo.url);
    await expect(page.getByTestId("timeline")).toBeVisible();
    await expect(page.getByTestId("status")).toContainText("replay");
    // It opens paused at its first moment, and plays when asked.
    await expect(page.getByTestId("timeline-play")).toHaveAttribute("aria-pressed", "false");
    await page.waitForTimeout(2500);
    expect(await at(page)).toBe(0);
    await page.getByTestId("timeline-play").click();
    await expect.poll(() => at(page), { timeout: 15_000 }).toBeGreaterThan(1);
    await page.getByTestId("timeline-speed-16").click();
    await expect(page.getByTestId("timeline-speed-16")).toHaveAttribute("aria-pressed", "true");
    await page.getByTestId("timeline-play").click();
    await expect(page.getByTestId("timeline-play")).toHaveAttribute("aria-pressed", "false");

    // Step change by change: each moment is the recording's topology at that moment.
    const from = await at(page);
    await page.getByTestId("timeline-next").click();
    await page.getByTestId("timeline-next").click();
    expect(await at(page)).toBe(from + 2);
    expect(await shownRevision(page)).toBe(timeline.topologyAt(from + 2).revision);
    await page.getByTestId("timeline-prev").click();
    expect(await at(page)).toBe(from + 1);
    expect(await shownRevision(page)).toBe(timeline.topologyAt(from + 1).revision);

    // The scrubber's far end is the last moment: every scenario's containers are on the canvas.
    const scrubber = page.getByTestId("timeline-scrubber");
    const box = (await scrubber.boundingBox())!;
    await page.mouse.click(box.x + box.width - 2, box.y + box.height / 2);
    await expect.poll(() => at(page)).toBe(last);
    await expect(page.getByTestId("timeline-at")).toContainText(`${last + 1}/${last + 1}`);
    const end: Topology = timeline.topologyAt(last);
    const of = (scenario: string) => Object.values(end.containers).filter((c) => c.labScenario === scenario);
    // Every container of every scenario is listed…
    for (const scenario of LAB_SCENARIOS) {
      expect(of(scenario).length, `${scenario} is in the demo`).toBeGreaterThan(0);
      for (const c of of(scenario)) await expect(page.getByTestId(`list-container-${c.name}`)).toBeVisible();
    }
    // …and each scenario, filtered to one of its containers, is drawn.
    for (const scenario of LAB_SCENARIOS) {
      const first = of(scenario)[0]!;
      await page.getByTestId("filter").fill(first.name);
      await waitForNode(page, ctr(first.id));
    }
    await page.getByTestId("filter").fill("");

    // Details at the moment shown, from the recording.
    const web = Object.values(end.containers).find((c) => c.name === "nd-demo-mynet-web")!;
    const recorded = timeline.detailsAt(last, web.id)!;
    await clickContainer(page, web.name, web.id);
    const details = page.getByTestId("details");
    const endpoint = Object.values(web.endpoints)[0]!;
    await expect(details).toContainText(`${endpoint.ipv4}/${endpoint.prefixLen}`);
    await expect(details).toContainText(endpoint.mac!);
    await expect(details.getByTestId("file-/etc/resolv.conf")).toHaveText(recorded.resolvConf!, {
      useInnerText: false,
    });
    // The reach explainer works on the replayed topology.
    const db = Object.values(end.containers).find((c) => c.name === "nd-demo-mynet-db")!;
    await page.getByTestId("reach-to").selectOption(db.id);
    // mynet-web and mynet-db share a user-defined bridge: both by IP and by name.
    await expect(page.getByTestId("reach-ip")).toHaveAttribute("data-ok", "true");
    await expect(page.getByTestId("reach-dns")).toHaveAttribute("data-ok", "true");
    // No probe: a replay has no engine to ask.
    await expect(page.getByTestId("reach-ip-probe")).toHaveCount(0);

    // The tour sees the replayed lab.
    await page.getByTestId("filter").fill("");
    await page.getByTestId("tour-toggle").click();
    await page.getByTestId("tour-chapter").selectOption("user-bridge");
    await expect(page.getByTestId("tour-state")).toContainText("on the canvas");
    expect(errors, "console errors on the page").toEqual([]);
  });
});

test.describe("pnpm demo on a projector: the view follows the action", () => {
  const last = new RecordingTimeline(parseRecording(readFileSync(DEMO, "utf8"))).moments.length - 1;
  const demo = demoServer();

  /**
   * What the moment shown changed and is not inside the visible canvas: each changed container's
   * box or bridge, or, where its room is a card (closed or folded), that room.
   */
  const outOfView = (page: Page) =>
    page.evaluate(() => {
      const cy = window.__NETDIVE__.cy!;
      const out: string[] = [];
      for (const key of Object.keys(window.__NETDIVE__.store.getState().changes)) {
        const [collection, id] = key.split("/");
        let ele = cy.getElementById(collection === "containers" ? `ctr:${id}` : `bridge:${id}`);
        if (ele.empty()) {
          // Not drawn: its room (a card) stands for it.
          const topology = window.__NETDIVE__.store.getState().topology as {
            containers: Record<string, { endpoints: Record<string, unknown> }>;
          };
          const networks = collection === "containers" ? Object.keys(topology.containers[id!]?.endpoints ?? {}) : [id];
          for (const n of networks) ele = ele.union(cy.getElementById(`room:${n}`));
        }
        if (ele.empty()) continue;
        const b = ele.renderedBoundingBox({ includeLabels: false });
        if (b.x1 < -1 || b.y1 < -1 || b.x2 > cy.width() + 1 || b.y2 > cy.height() + 1)
          out.push(`${key} at ${[b.x1, b.y1, b.x2, b.y2].map(Math.round).join(",")} of ${cy.width()}x${cy.height()}`);
      }
      return out;
    });
  /** The view has come to rest (no animation running). */
  const settled = (page: Page) =>
    page.waitForFunction(() => !window.__NETDIVE__.cy!.animated(), undefined, { timeout: 5000 });

  test("1280x720: every step and every seek brings what changed into view, and the keys step one change", async ({
    page,
  }) => {
    const errors = errorsOf(page);
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(`${demo.url}/?projector`);
    await expect(page.getByTestId("timeline")).toBeVisible();
    await expect.poll(() => page.evaluate(() => window.__NETDIVE__.cy?.nodes().length ?? 0)).toBeGreaterThan(0);
    expect(await at(page)).toBe(0);
    // Step by step with the keyboard, from the first moment to the last.
    const missed: string[] = [];
    let moved = 0;
    for (let i = 1; i <= last; i++) {
      const before = await page.evaluate(() => ({ ...window.__NETDIVE__.cy!.pan(), z: window.__NETDIVE__.cy!.zoom() }));
      await page.keyboard.press("ArrowRight");
      await expect.poll(() => at(page)).toBe(i);
      await page.waitForTimeout(100);
      await settled(page);
      for (const o of await outOfView(page)) missed.push(`step ${i}: ${o}`);
      const after = await page.evaluate(() => ({ ...window.__NETDIVE__.cy!.pan(), z: window.__NETDIVE__.cy!.zoom() }));
      if (after.x !== before.x || after.y !== before.y || after.z !== before.z) moved++;
    }
    expect(missed).toEqual([]);
    // The view moves only when it must: not on every change.
    expect(moved, "the view moved on most steps").toBeLessThan(last / 2);
    // The keys: Left steps back one change, Home and End go to the ends.
    await page.keyboard.press("ArrowLeft");
    await expect.poll(() => at(page)).toBe(last - 1);
    await page.keyboard.press("Home");
    await expect.poll(() => at(page)).toBe(0);
    // Back at the first moment, its small host is framed to read, not left in a corner far out.
    await settled(page);
    const zoom = await page.evaluate(() => window.__NETDIVE__.cy!.zoom());
    expect(zoom, "the first moment framed close").toBeGreaterThanOrEqual(1);
    await page.keyboard.press("End");
    await expect.poll(() => at(page)).toBe(last);
    // Seeks anywhere with the scrubber: what the moment changed is in view.
    const scrubber = page.getByTestId("timeline-scrubber");
    const box = (await scrubber.boundingBox())!;
    for (const share of [0.5, 0.25, 0.8, 0.6]) {
      await page.mouse.click(box.x + box.width * share, box.y + box.height / 2);
      await page.waitForTimeout(100);
      await settled(page);
      for (const o of await outOfView(page)) missed.push(`seek to ${await at(page)}: ${o}`);
    }
    expect(missed).toEqual([]);
    // The replay's empty host says so in words, not in a command to run.
    await page.keyboard.press("Home");
    await expect(page.getByTestId("empty-hint")).toHaveText(/No containers at this moment of the recording/);
    expect(errors, "console errors on the page").toEqual([]);
  });
});

test.describe("no engine: the page offers the built-in demo", () => {
  let server: ChildProcess | undefined;
  test.afterAll(() => stop(server));

  test("'Show the built-in demo' sits beside the reason, and replays the demo", async ({ page }) => {
    const port = await freeTcpPort(0);
    server = await startServer(port, [], NO_ENGINE);
    await page.goto(`http://127.0.0.1:${port}`);
    const status = page.getByTestId("status");
    await expect(status).toContainText("engine down");
    await expect(status).toContainText("nonexistent");
    await status.getByTestId("show-demo").click();
    await expect(page.getByTestId("timeline")).toBeVisible();
    await expect(page.getByTestId("timeline")).toContainText("Built-in demo");
    await expect
      .poll(() => page.evaluate(() => window.__NETDIVE__.store.getState().timeline?.moments.length ?? 0))
      .toBe(new RecordingTimeline(parseRecording(readFileSync(DEMO, "utf8"))).moments.length);
  });
});

test.describe("Export HTML", () => {
  test("the exported file opens from disk with networking off: the diagram, and a container's IP, MAC and resolv.conf", async ({
    netdive,
    state,
    browser,
  }) => {
    const web = state.scenarios["user-bridge"].containers.web!;
    const [download] = await Promise.all([
      netdive.waitForEvent("download"),
      netdive.getByTestId("export-html").click(),
    ]);
    const dir = mkdtempSync(join(tmpdir(), "netdive-export-"));
    try {
      const file = join(dir, "moment.html");
      await download.saveAs(file);
      const html = readFileSync(file, "utf8");
      // Nothing loaded from elsewhere (the page's code is inline, with no src or href to follow).
      expect(/<script[^>]+src=/.test(html), "no script from a file or a URL").toBe(false);
      expect(/<link[^>]+href="(?!data:)/.test(html), "no stylesheet or icon from a file or a URL").toBe(false);
      // The moment holds nothing netdive never reads: no command line, no environment.
      const moment = /<script type="application\/json" id="netdive-moment">(.*?)<\/script>/s.exec(html)?.[1] ?? "";
      expect(moment.length, "the moment is embedded").toBeGreaterThan(1000);
      expect(moment.includes(web.name), "the moment holds the lab").toBe(true);
      expect(
        /sleep \d+|"(Env|Cmd|Entrypoint|Args|Path)"\s*:|PATH=/.test(moment),
        "no command line or environment",
      ).toBe(false);
      await openOffline(browser, file, async (page) => {
        const resolv = execFileSync("docker", ["exec", web.name, "cat", "/etc/resolv.conf"], { encoding: "utf8" });
        const raw = JSON.parse(execFileSync("docker", ["inspect", web.name], { encoding: "utf8" }))[0];
        const net = Object.values(raw.NetworkSettings.Networks)[0] as { IPAddress: string; MacAddress: string };
        await clickContainer(page, web.name, web.id);
        const details = page.getByTestId("details");
        await expect(details).toContainText(`${net.IPAddress}/`);
        await expect(details).toContainText(net.MacAddress);
        await expect(details.getByTestId("file-/etc/resolv.conf")).toHaveText(resolv, { useInnerText: false });
        await expect(page.getByTestId("status")).toContainText("exported moment");
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Opens a file in a fresh context with networking off; fails on any request but the file, or any error. */
async function openOffline(browser: Browser, file: string, check: (page: Page) => Promise<void>): Promise<void> {
  const context = await browser.newContext({ offline: true, viewport: { width: 1600, height: 1000 } });
  try {
    const page = await context.newPage();
    const errors = errorsOf(page);
    const requests: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(`file://${file}`);
    await page.waitForFunction(() => (window.__NETDIVE__?.cy?.nodes().length ?? 0) > 0);
    expect((await graph(page)).nodes.length).toBeGreaterThan(5);
    await check(page);
    expect(requests, "the page asked for nothing but itself").toEqual([`file://${file}`]);
    expect(errors, "console errors on the page").toEqual([]);
    await page.screenshot({ path: join(E2E_ROOT, "test-results", "export-offline.png") });
  } finally {
    await context.close();
  }
}

test.describe("the Record button", () => {
  let server: ChildProcess | undefined;
  const dir = mkdtempSync(join(tmpdir(), "netdive-e2e-record-"));
  test.afterAll(() => {
    stop(server);
    rmSync(dir, { recursive: true, force: true });
  });

  test("with --record, the page stops the session and starts a new one in the same file", async ({ page }) => {
    const file = join(dir, "session.ndjson");
    const port = await freeTcpPort(0);
    server = await startServer(port, ["--record", file]);
    await page.goto(`http://127.0.0.1:${port}`);
    const button = page.getByTestId("record");
    await expect(button).toHaveAttribute("aria-pressed", "true");
    await expect(button).toHaveAttribute("title", "session.ndjson");
    await button.click();
    await expect(button).toHaveAttribute("aria-pressed", "false");
    await expect(button).toContainText("Record");
    await button.click();
    await expect(button).toHaveAttribute("aria-pressed", "true");
    await expect
      .poll(
        () =>
          readFileSync(file, "utf8")
            .split("\n")
            .filter((l) => l.includes('"netdive-recording"')).length,
      )
      .toBe(2);
  });
});
