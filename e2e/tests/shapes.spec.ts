import { type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freeTcpPort } from "@netdive/lab";
import { generateHost, HOST_SHAPES, momentRecording, type Topology } from "@netdive/model";
import type { Page } from "@playwright/test";
import { expect, test } from "../support/fixtures";
import { startServer } from "../support/server";
import { overlaps, shown } from "../support/shown";
import { E2E_ROOT } from "../support/state";

/**
 * Hosts the lab does not have, drawn by the real page: generated hosts (packages/model's
 * generateHost) replayed with no engine, each at 1920x1080 and at 1280x720 in projector mode,
 * read from the live canvas as a person meets them, with no interaction. The screenshots are
 * kept in e2e/test-results/shapes for a person to look at.
 */
const SHOTS = join(E2E_ROOT, "test-results", "shapes");
const NO_ENGINE = { ...process.env, DOCKER_HOST: "unix:///nonexistent/netdive-e2e/docker.sock" };

/** Each shape and its seed. */
const HOSTS: Array<{ shape: keyof typeof HOST_SHAPES; seed: number }> = [
  { shape: "busy", seed: 3 },
  { shape: "manyPorts", seed: 1 },
  { shape: "manySmallNetworks", seed: 1 },
  { shape: "oneHugeNetwork", seed: 1 },
];

/**
 * Issue 22's goal for the share of container names the first screen shows. Rooms fold to compact
 * cards (room-folding.ts), and the goal is met on most shapes; not on 40 one-container networks or
 * 150 containers in one room at the projector's 1280x720, where the names alone would fill most of
 * the screen at 12 px. So each test reports its share (docs/layout.md keeps the table) rather than
 * asserting it.
 */
const NAMED_GOAL = 0.9;

const SIZES = [
  { width: 1920, height: 1080, projector: false },
  { width: 1280, height: 720, projector: true },
] as const;

/**
 * A server replaying `topology` (one moment, no engine) for the describe block it is called in:
 * started before its tests, stopped after. `url` is set once it answers.
 */
function replayed(topology: Topology, name: string): { url: string } {
  const replay = { url: "" };
  let server: ChildProcess | undefined;
  let dir = "";
  test.beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "netdive-shape-"));
    const file = join(dir, `${name}.ndjson`);
    writeFileSync(file, momentRecording(topology, Date.now()));
    const port = await freeTcpPort(0);
    server = await startServer(port, ["--replay", file], NO_ENGINE);
    replay.url = `http://127.0.0.1:${port}`;
  });
  test.afterAll(() => {
    if (server?.pid) process.kill(-server.pid, "SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  });
  return replay;
}

async function openAt(page: Page, url: string, width: number, height: number, projector: boolean): Promise<void> {
  await page.setViewportSize({ width, height });
  await page.goto(projector ? `${url}/?projector` : url);
  await page.waitForFunction(() => (window.__NETDIVE__?.cy?.nodes().length ?? 0) > 0);
  // The first fit, then the level of detail it calls for (one animation frame later).
  await page.waitForTimeout(600);
}

for (const host of HOSTS) {
  test.describe(`a generated host: ${host.shape} (seed ${host.seed})`, () => {
    const topology: Topology = generateHost(host.seed, HOST_SHAPES[host.shape]);
    const replay = replayed(topology, `${host.shape}-${host.seed}`);

    for (const size of SIZES) {
      const name = `${size.width}x${size.height}${size.projector ? " projector" : ""}`;
      test(`${name}: words at 12 px or more, none over another, rooms apart, every network named`, async ({ page }) => {
        await openAt(page, replay.url, size.width, size.height, size.projector);
        mkdirSync(SHOTS, { recursive: true });
        await page.screenshot({ path: join(SHOTS, `${host.shape}-${host.seed}-${name.replace(" ", "-")}.png`) });
        const { items } = await shown(page);

        const small = items.filter((i) => i.label && i.px < 12).map((i) => `${i.id} ${i.px.toFixed(1)}px`);
        expect(small).toEqual([]);
        const labelled = items.filter((i) => i.label !== null && !i.id.startsWith("e:"));
        const clashes: string[] = [];
        for (let a = 0; a < labelled.length; a++)
          for (let b = a + 1; b < labelled.length; b++)
            if (overlaps(labelled[a]!.label!, labelled[b]!.label!))
              clashes.push(`${labelled[a]!.id} × ${labelled[b]!.id}`);
        expect(clashes).toEqual([]);
        const rooms = items.filter((i) => i.kind === "room");
        const piled: string[] = [];
        for (let a = 0; a < rooms.length; a++)
          for (let b = a + 1; b < rooms.length; b++)
            if (overlaps(rooms[a]!.shape, rooms[b]!.shape)) piled.push(`${rooms[a]!.id} × ${rooms[b]!.id}`);
        expect(piled).toEqual([]);

        const readable = labelled.map((i) => i.text).join("\n");
        const networks = Object.values(topology.networks).map((n) => n.name);
        expect(networks.filter((n) => !readable.includes(n))).toEqual([]);
        const containers = Object.values(topology.containers).map((c) => c.name);
        const named = containers.filter((n) => readable.includes(n)).length;
        const share = named / containers.length;
        const verdict = share >= NAMED_GOAL ? "meets" : "short of";
        const line = `${host.shape} ${name}: ${named} of ${containers.length} container names drawn (${verdict} the goal of ${NAMED_GOAL * 100}%)`;
        test.info().annotations.push({ type: "named", description: line });
        console.log(`netdive: ${line}`);
      });
    }
  });
}

test.describe("a folded room opens where it stands", () => {
  const replay = replayed(generateHost(3, HOST_SHAPES.busy), "busy-3");

  test("a click on a folded room's card opens it: its containers are drawn, framed, in words that read", async ({
    page,
  }) => {
    await openAt(page, replay.url, 1280, 720, true);
    // The busiest folded room, and where its card is on screen.
    const card = await page.evaluate(() => {
      const cy = window.__NETDIVE__.cy!;
      const rooms = cy.nodes('[kind = "room"][?folded]');
      const room = rooms.max((r) => String(r.data("card") ?? "").length || r.width() * r.height()).ele;
      const bb = room.renderedBoundingBox({ includeLabels: false });
      const box = cy.container()!.getBoundingClientRect();
      return {
        id: room.id(),
        folded: rooms.length,
        x: box.left + (bb.x1 + bb.x2) / 2,
        y: box.top + (bb.y1 + bb.y2) / 2,
      };
    });
    expect(card.folded, "the busy host folds rooms at the projector's size").toBeGreaterThan(0);
    await page.mouse.click(card.x, card.y);
    await page.waitForTimeout(900);
    const opened = await page.evaluate((id) => {
      const cy = window.__NETDIVE__.cy!;
      const room = cy.getElementById(id);
      const ext = cy.extent();
      const bb = room.boundingBox({ includeLabels: false });
      return {
        folded: Boolean(room.data("folded")),
        boxes: cy.nodes(`[kind = "netns"][room = "${id}"]`).length,
        inView: bb.x1 >= ext.x1 - 1 && bb.x2 <= ext.x2 + 1 && bb.y1 >= ext.y1 - 1 && bb.y2 <= ext.y2 + 1,
      };
    }, card.id);
    expect(opened.folded).toBe(false);
    expect(opened.boxes, "its containers' boxes are on the canvas").toBeGreaterThan(0);
    expect(opened.inView, "the view frames the opened room").toBe(true);
    const { items } = await shown(page);
    expect(items.filter((i) => i.label && i.px < 12).map((i) => i.id)).toEqual([]);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, "busy-3-opened-room-1280x720-projector.png") });
  });

  test("far away, a container chosen from the list outlines its room's card, in view", async ({ page }) => {
    const host = generateHost(3, HOST_SHAPES.busy);
    await openAt(page, replay.url, 1920, 1080, false);
    const far = await page.evaluate(() => window.__NETDIVE__.cy!.zoom());
    expect(far, "the busy host is seen from far away at 1920x1080").toBeLessThan(0.4);
    // A container in a room that is drawn as its card (not folded), the last in the list.
    const chosen = Object.values(host.containers)
      .filter((c) => Object.keys(c.endpoints).length > 0 && !c.netnsOwnerId)
      .sort((a, b) => a.name.localeCompare(b.name))
      .pop()!;
    await page.getByTestId(`list-container-${chosen.name}`).click();
    await expect(page.getByTestId("details-title")).toHaveText(chosen.name);
    await page.waitForTimeout(700);
    const outlined = await page.evaluate((id) => {
      const cy = window.__NETDIVE__.cy!;
      const rooms = cy.nodes(".holds-selection");
      const bb = rooms.renderedBoundingBox({ includeLabels: false });
      return {
        rooms: rooms.map((r) => r.id()),
        border: rooms.map((r) => r.style("border-color")),
        inView: bb.x1 >= -1 && bb.y1 >= -1 && bb.x2 <= cy.width() + 1 && bb.y2 <= cy.height() + 1,
        box: cy.getElementById(`ctr:${id}`).selected(),
        // Its published paths are drawn where they read, closer: not as empty boxes over the host's row.
        ports: cy.nodes('[kind = "port"]').filter((n) => n.visible()).length,
      };
    }, chosen.id);
    expect(outlined.rooms).toEqual(Object.keys(chosen.endpoints).map((n) => `room:${n}`));
    expect(outlined.border.every((c) => c === "rgb(225,29,72)")).toBe(true);
    expect(outlined.inView, "the outlined card is on screen").toBe(true);
    expect(outlined.box, "its box is selected, for when the view comes closer").toBe(true);
    expect(outlined.ports).toBe(0);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, "busy-3-chosen-from-the-list-1920x1080.png") });
  });
});
