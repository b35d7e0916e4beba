import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { docker } from "@netdive/lab";
import type { Page } from "@playwright/test";
import { E2E_ROOT } from "../support/state";
import { expect, graph, runLabContainer, test, waitForNode } from "../support/fixtures";
import { overlaps, shown } from "../support/shown";

/** Where the screenshots a person looks at are kept (e2e/test-results/glance). */
const SHOTS = join(E2E_ROOT, "test-results", "glance");

async function openAt(page: Page, baseURL: string, width: number, height: number, projector: boolean): Promise<void> {
  await page.setViewportSize({ width, height });
  await page.goto(projector ? `${baseURL}/?projector` : baseURL);
  await page.waitForFunction(() => (window.__NETDIVE__?.cy?.nodes().length ?? 0) > 0);
  // The first fit, then the level of detail it calls for (one animation frame later).
  await page.waitForTimeout(600);
}

const SIZES = [
  { width: 1920, height: 1080, projector: false },
  { width: 1280, height: 720, projector: true },
  { width: 1366, height: 768, projector: true },
  { width: 1920, height: 1080, projector: true },
] as const;

test.describe("the canvas gets the screen", () => {
  for (const size of [
    { width: 1280, height: 720, projector: true },
    { width: 1366, height: 768, projector: false },
    { width: 1280, height: 720, projector: false },
  ] as const) {
    const name = `${size.width}x${size.height}${size.projector ? " projector" : ""}`;
    test(`${name}: one toolbar row, the panels closed, no control over the canvas, the canvas 90% of the screen`, async ({
      netdive,
      state,
    }) => {
      await openAt(netdive, state.baseURL, size.width, size.height, size.projector);
      const chrome = await netdive.evaluate(() => {
        const box = (s: string) => document.querySelector(s)?.getBoundingClientRect() ?? null;
        const graph = box('[data-testid="graph"]')!;
        const toolbar = box(".toolbar")!;
        const buttons = Array.from(document.querySelectorAll(".toolbar > *")).map((e) => e.getBoundingClientRect());
        // Anything shown over the canvas's area that is not the canvas, the tour or a hint.
        const over = Array.from(document.querySelectorAll(".canvas-wrap > *"))
          .filter((e) => !e.matches('[data-testid="graph"], .empty-hint, .tour, .tour-panel'))
          .filter((e) => (e as HTMLElement).offsetParent !== null && e.getBoundingClientRect().width > 0)
          .map((e) => e.className);
        return {
          share: (graph.width * graph.height) / (innerWidth * innerHeight),
          rows: new Set(buttons.map((b) => Math.round(b.top / 20))).size,
          toolbarHeight: toolbar.height,
          listOpen: document.querySelector(".side-list.open") !== null,
          detailsOpen: document.querySelector(".details.open") !== null,
          over,
        };
      });
      expect(chrome.rows, "the toolbar is one row").toBe(1);
      expect(chrome.listOpen || chrome.detailsOpen, "the side panels start closed").toBe(false);
      expect(chrome.over, "nothing floats over the canvas").toEqual([]);
      expect(chrome.share).toBeGreaterThanOrEqual(0.9);
      // The rest of the toolbar is one click away, and the list one key away.
      await netdive.getByTestId("toolbar-menu").locator("summary").click();
      await expect(netdive.getByTestId("export-png")).toBeVisible();
      await netdive.keyboard.press("Escape");
      await netdive.locator("body").press("l");
      await expect(netdive.locator(".side-list.open")).toBeVisible();
    });
  }
});

test.describe("the picture at a glance", () => {
  for (const size of SIZES) {
    const name = `${size.width}x${size.height}${size.projector ? " projector" : ""}`;
    test(`${name}: every network and container named at 12 px or more, inside the view, no words overlapping`, async ({
      netdive,
      state,
    }) => {
      await openAt(netdive, state.baseURL, size.width, size.height, size.projector);
      // The claim is for a host of the lab's size (up to 25 containers on 8 networks): say so
      // when the engine holds more than this run made (a user's own containers, say).
      const others = await netdive.evaluate(
        (run) =>
          Object.values(
            (window.__NETDIVE__.store.getState() as { topology: { containers: Record<string, { name: string }> } })
              .topology.containers,
          )
            .map((c) => c.name)
            .filter((n) => !n.startsWith(`nd-${run}-`) && !n.startsWith(`nd${run}`)),
        state.runId,
      );
      test.info().annotations.push({ type: "engine", description: `${others.length} containers not of this run` });
      const note = others.length
        ? ` (the engine also holds ${others.length} containers this run did not make: ${others.join(", ")}; the glance claim is for a host of the lab's size)`
        : "";
      mkdirSync(SHOTS, { recursive: true });
      await netdive.screenshot({ path: join(SHOTS, `${name.replace(" ", "-")}.png`) });
      const { items, width, height } = await shown(netdive);

      // Words are drawn at 12 CSS px or larger, or not at all.
      const small = items.filter((i) => i.label && i.px < 12).map((i) => `${i.id} ${i.px.toFixed(1)}px`);
      expect(small, note).toEqual([]);
      // Never a shape without words: every shown node says what it is (a room's words are on its bridge).
      const mute = items.filter(
        (i) => i.kind !== "room" && i.kind !== "host" && !i.text && !i.kind.startsWith("undefined"),
      );
      expect(mute.filter((i) => !i.id.startsWith("e:")).map((i) => i.id)).toEqual([]);
      // Inside the view.
      const outside = items
        .filter((i) => !i.id.startsWith("e:"))
        .filter((i) => i.shape.x1 < -1 || i.shape.y1 < -1 || i.shape.x2 > width + 1 || i.shape.y2 > height + 1);
      expect(
        outside.map((i) => i.id),
        note,
      ).toEqual([]);
      // No two words over each other.
      const labelled = items.filter((i) => i.label !== null);
      const clashes: string[] = [];
      for (let a = 0; a < labelled.length; a++) {
        for (let b = a + 1; b < labelled.length; b++) {
          if (overlaps(labelled[a]!.label!, labelled[b]!.label!))
            clashes.push(`${labelled[a]!.id} × ${labelled[b]!.id}`);
        }
      }
      expect(clashes, note).toEqual([]);

      // Every network of the run: its name and its bridge, readable; every container: its name.
      const readable = labelled.map((i) => i.text).join("\n");
      for (const scenario of Object.values(state.scenarios)) {
        for (const network of Object.values(scenario.networks)) {
          expect(readable, `network ${network.name}${note}`).toContain(network.name);
        }
        for (const c of Object.values(scenario.containers)) {
          expect(readable, `container ${c.name}${note}`).toContain(c.name);
        }
      }
      expect(readable).toMatch(/docker0\s+172\.\d+\.\d+\.\d+\/\d+/);
    });
  }

  test("a room seen from far away is a card with its network's name, and opens as you zoom in", async ({
    netdive,
    state,
  }) => {
    await openAt(netdive, state.baseURL, 1600, 1000, false);
    const mynet = Object.values(state.scenarios["user-bridge"].networks)[0]!;
    await netdive.evaluate(() => {
      const cy = window.__NETDIVE__.cy!;
      cy.zoom({ level: 0.2, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    });
    await netdive.waitForTimeout(200);
    const far = await shown(netdive);
    // The room's card is written by its label node over the room: network, bridge, count, names,
    // as much as fits: a small room says at least its network's name, a bigger one more.
    const card = far.items.find((i) => i.id === `label:room:${mynet.id}`);
    expect(card?.text).toContain(mynet.name);
    expect(card!.px).toBeGreaterThanOrEqual(12);
    const docker0 = far.items.find((i) => i.kind === "roomlabel" && i.text.startsWith("bridge"));
    // Its subnet, then its members' names as they fit (the count gives up its line first).
    expect(docker0?.text).toMatch(/docker0\s+172\.\d+\.\d+\.\d+\/\d+/);
    const defaultBridge = Object.values(state.scenarios["default-bridge"].containers);
    expect(defaultBridge.some((c) => docker0!.text.includes(c.name))).toBe(true);
    // No card's words spill into another's.
    const cards = far.items.filter((i) => i.label);
    for (const a of cards)
      for (const b of cards) if (a !== b) expect(overlaps(a.label!, b.label!), `${a.id} × ${b.id}`).toBe(false);
    expect(far.items.some((i) => i.kind === "netns")).toBe(false);
    // Closed: from far away a room's interior is not on the canvas at all, only its card and frame.
    const onCanvas = () =>
      netdive.evaluate(() => {
        const cy = window.__NETDIVE__.cy!;
        return { boxes: cy.nodes('[kind = "netns"]').length, spans: cy.nodes('[kind = "roomspan"]').length };
      });
    const closed = await onCanvas();
    expect(closed.boxes).toBe(0);
    expect(closed.spans).toBeGreaterThan(3);
    await netdive.screenshot({ path: join(SHOTS, "far-1600x1000.png") });
    await netdive.evaluate((id) => {
      const cy = window.__NETDIVE__.cy!;
      cy.zoom(1.1);
      cy.center(cy.getElementById(id));
    }, `bridge:${mynet.id}`);
    await netdive.waitForTimeout(200);
    const near = await shown(netdive);
    expect(near.items.some((i) => i.kind === "iface" && i.text.startsWith("eth0"))).toBe(true);
    expect(near.items.some((i) => i.id === `label:room:${mynet.id}`)).toBe(false);
    // From far away again, a click on a network opens its scene: the room drawn close up, not its card over it.
    await netdive.evaluate(() => {
      const cy = window.__NETDIVE__.cy!;
      cy.zoom({ level: 0.2, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    });
    await netdive.waitForTimeout(300);
    await netdive.evaluate((id) => {
      window.__NETDIVE__.cy!.getElementById(id).emit("tap");
    }, `label:room:${mynet.id}`);
    await expect(netdive.getByTestId("scene-bar")).toContainText(mynet.name);
    await netdive.waitForTimeout(400);
    const scene = await shown(netdive);
    // Beside the list and the details a 1600-wide page frames it at the cards' zoom or closer.
    expect(scene.zoom).toBeGreaterThanOrEqual(0.4);
    expect(scene.items.filter((i) => i.kind === "roomlabel").map((i) => i.id)).toEqual([]);
    const boxes = scene.items.filter((i) => i.kind === "netns").map((i) => i.text);
    expect(boxes.length).toBe(Object.values(state.scenarios["user-bridge"].containers).length);
  });

  test("from far away, a tour step opens the room it talks about and frames it to read", async ({ netdive, state }) => {
    await openAt(netdive, state.baseURL, 1600, 1000, false);
    await netdive.evaluate(() => {
      const cy = window.__NETDIVE__.cy!;
      cy.zoom({ level: 0.2, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    });
    await netdive.waitForTimeout(300);
    expect(await netdive.evaluate(() => window.__NETDIVE__.cy!.nodes('[kind = "netns"]').length)).toBe(0);
    await netdive.keyboard.press("t");
    await netdive.getByTestId("tour-chapter").selectOption("default-bridge");
    await netdive.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await netdive.keyboard.press("PageDown");
    await netdive.waitForTimeout(900);
    const { items } = await shown(netdive);
    const lit = await netdive.evaluate(() => window.__NETDIVE__.cy!.$(".spot-tour").map((e) => e.id()));
    expect(lit.some((id) => id.startsWith("if:"))).toBe(true);
    for (const id of lit) {
      const item = items.find((i) => i.id === id);
      expect(item, `${id} drawn`).toBeDefined();
      if (item!.label) expect(item!.px, id).toBeGreaterThanOrEqual(12);
    }
  });

  test("clicking a network opens its scene, framed to read; the way back is in sight", async ({ netdive, state }) => {
    await openAt(netdive, state.baseURL, 1280, 720, true);
    const mynet = Object.values(state.scenarios["user-bridge"].networks)[0]!;
    // Braces: the page returns nothing (an element would be serialised, slowly, whole).
    await netdive.evaluate((id) => {
      window.__NETDIVE__.cy!.getElementById(id).emit("tap");
    }, `bridge:${mynet.id}`);
    await expect(netdive.getByTestId("scene-bar")).toContainText(mynet.name);
    await netdive.waitForTimeout(400);
    const scene = await shown(netdive);
    expect(scene.items.filter((i) => i.kind === "bridge").map((i) => i.id)).toEqual([`bridge:${mynet.id}`]);
    expect(scene.zoom).toBeGreaterThanOrEqual(1);
    // The way back floats over the canvas's top-left corner: the scene is framed below it.
    const below = await netdive.evaluate(() => {
      const bar = document.querySelector('[data-testid="scene-bar"]')!.getBoundingClientRect();
      const top = document.querySelector('[data-testid="graph"]')!.getBoundingClientRect().top;
      const drawn = window.__NETDIVE__.cy!.elements().renderedBoundingBox({ includeLabels: true });
      return { bar: bar.bottom - top, drawing: drawn.y1 };
    });
    expect(below.drawing, "the scene's drawing starts below its bar").toBeGreaterThanOrEqual(below.bar);
    await netdive.screenshot({ path: join(SHOTS, "scene-mynet-1280x720-projector.png") });
    // The details are one key away; Escape closes them, a second Escape leaves the scene.
    await netdive.keyboard.press("d");
    await expect(netdive.getByTestId("details")).toBeVisible();
    await netdive.keyboard.press("Escape");
    await expect(netdive.getByTestId("details")).toBeHidden();
    await netdive.keyboard.press("Escape");
    await expect(netdive.getByTestId("scene-bar")).toHaveCount(0);
    await netdive.waitForFunction(() => window.__NETDIVE__.cy!.nodes('[kind = "bridge"]').length > 1);
  });

  test("every step of the tour frames what it lights, readable, above the tour's panel (1280x720 projector)", async ({
    netdive,
    state,
  }) => {
    await openAt(netdive, state.baseURL, 1280, 720, true);
    await netdive.keyboard.press("t");
    await expect(netdive.getByTestId("tour")).toBeVisible();
    const chapters = await netdive
      .getByTestId("tour-chapter")
      .locator("option")
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    const problems: string[] = [];
    let steps = 0;
    for (const chapter of chapters) {
      await netdive.getByTestId("tour-chapter").selectOption(chapter);
      const count = (await netdive.getByTestId("tour-count").textContent()) ?? "";
      const total = Number(/of (\d+)/.exec(count)?.[1] ?? 1);
      for (let step = 1; step <= total; step++) {
        if (step > 1) {
          await netdive.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
          await netdive.keyboard.press("PageDown");
        }
        await netdive.waitForTimeout(700); // the viewport's animation, then the level of detail
        steps++;
        const panelTop = await netdive.getByTestId("tour").evaluate((el) => el.getBoundingClientRect().top);
        const canvasTop = await netdive.getByTestId("graph").evaluate((el) => el.getBoundingClientRect().top);
        const { items, width } = await shown(netdive);
        const litIds = await netdive.evaluate(() => window.__NETDIVE__.cy!.$(".spot-tour").map((e) => e.id()));
        for (const id of litIds) {
          const item = items.find((i) => i.id === id);
          if (!item) {
            problems.push(`${chapter} ${step}: ${id} is lit but not drawn`);
            continue;
          }
          if (item.label && item.px < 12) problems.push(`${chapter} ${step}: ${id} at ${item.px.toFixed(1)} px`);
          const s = item.shape;
          if (s.x1 < -1 || s.x2 > width + 1 || s.y1 < -1 || s.y2 > panelTop - canvasTop + 1) {
            problems.push(`${chapter} ${step}: ${id} outside the view above the panel`);
          }
        }
        if (chapter === chapters[1] && step === total) {
          await netdive.screenshot({ path: join(SHOTS, "tour-1280x720-projector.png") });
        }
      }
    }
    expect(steps).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  });

  test("a docker run adds a box in its network's room and nothing on screen moves", async ({ netdive, state }) => {
    await openAt(netdive, state.baseURL, 1280, 720, true);
    const mynet = Object.values(state.scenarios["user-bridge"].networks)[0]!;
    // Close up on the room (open whatever else the engine holds: a user's own containers may
    // make the whole host a view of rooms' cards).
    await netdive.evaluate((id) => {
      const cy = window.__NETDIVE__.cy!;
      cy.zoom(1.1);
      cy.center(cy.getElementById(id));
    }, `bridge:${mynet.id}`);
    await netdive.waitForTimeout(300);
    const before = await graph(netdive);
    const name = `nd-${state.runId}-glance`;
    const id = await runLabContainer(state.runId, name, mynet.name);
    try {
      await waitForNode(netdive, `if:${id}:eth0`);
      const after = await graph(netdive);
      const box = after.nodes.find((n) => n.id === `ctr:${id}`);
      expect(box?.parent).toBe(`room:${mynet.id}`);
      const moved = before.nodes.filter((n) => {
        const now = after.nodes.find((m) => m.id === n.id);
        const leaf = !before.nodes.some((k) => k.parent === n.id);
        return now && leaf && (now.x !== n.x || now.y !== n.y);
      });
      expect(moved.map((n) => n.id)).toEqual([]);
    } finally {
      await docker(["rm", "-f", name]);
    }
  });
});
