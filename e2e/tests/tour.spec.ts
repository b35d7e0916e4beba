import { execFileSync } from "node:child_process";
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { expect, test } from "../support/fixtures";
import { E2E_ROOT } from "../support/state";

const ctr = (id: string) => `ctr:${id}`;

/** The ids of every element that carries the tour's spotlight, sorted. */
function lit(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    window.__NETDIVE__
      .cy!.$(".spot-tour")
      .map((e) => e.id())
      .sort(),
  );
}

/** Waits until exactly these elements are lit by the tour. */
async function expectLit(page: Page, ids: string[]): Promise<void> {
  await expect.poll(() => lit(page)).toEqual([...ids].sort());
}

/** The target of the pair edge that leaves an interface node: its host veth. */
function vethOf(page: Page, ifaceId: string): Promise<{ edge: string; veth: string; label: string } | null> {
  return page.evaluate((id) => {
    const edge = window.__NETDIVE__.cy!.getElementById(id).connectedEdges('[kind = "pair"]').first();
    return edge.nonempty()
      ? { edge: edge.id(), veth: edge.target().id(), label: edge.target().data("label") as string }
      : null;
  }, ifaceId);
}

/** Keys go to the page, not to whatever control was used last. */
async function blur(page: Page): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

async function chapter(page: Page, id: string): Promise<void> {
  await page.getByTestId("tour-chapter").selectOption(id);
  await expect(page.getByTestId("tour-count")).toHaveText(/^step 1 of \d+$/);
}

/** Saves what the room sees, for a person to look at. */
async function shot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(700); // the viewport's animation
  await page.screenshot({ path: join(E2E_ROOT, "test-results", `tour-${name}.png`) });
}

test.describe("the guided tour", () => {
  test("walks the chapters, lighting exactly what each step talks about", async ({ netdive, state }) => {
    const s = state.scenarios;
    const filter = netdive.getByTestId("filter");
    // Only this run's containers: the engine may hold other runs.
    await filter.fill(state.runId);
    // A `t` typed into the filter is text, not the tour's key.
    await filter.press("t");
    await expect(netdive.getByTestId("tour")).toHaveCount(0);
    await filter.fill(state.runId);
    await blur(netdive);
    await netdive.keyboard.press("t");
    await expect(netdive.getByTestId("tour")).toBeVisible();
    await expect(netdive.getByTestId("tour-count")).toHaveText("step 1 of 3");

    // intro, step 2: docker0 and its address
    // The kernel's answer: a fresh engine's IPAM may name no gateway while docker0 holds the address.
    const gateway = /inet (\d+\.\d+\.\d+\.\d+)\//.exec(
      execFileSync("ip", ["-4", "-o", "addr", "show", "dev", "docker0"], { encoding: "utf8" }),
    )![1]!;
    await netdive.keyboard.press("PageDown");
    await expect(netdive.getByTestId("tour-count")).toHaveText("step 2 of 3");
    const [bridge] = await lit(netdive);
    expect(bridge).toMatch(/^bridge:/);
    expect(await lit(netdive)).toHaveLength(1);
    const bridgeLabel = await netdive.evaluate(
      (id) => window.__NETDIVE__.cy!.getElementById(id).data("label"),
      bridge!,
    );
    expect(bridgeLabel).toMatch(new RegExp(`(^|\n)docker0 +${gateway.replace(/\./g, "\\.")}/\\d+`));
    await expect(netdive.getByTestId("tour-text")).toContainText(`docker0 has ${gateway}/`);

    // default bridge: both containers and docker0, then one container's veth pair
    await chapter(netdive, "default-bridge");
    const onDefault = Object.values(s["default-bridge"].containers);
    await expectLit(netdive, [...onDefault.map((c) => ctr(c.id)), bridge!]);
    // Its lab containers are on the canvas: nothing to bring up.
    await expect(netdive.getByTestId("tour-state")).toHaveText("Scenario default-bridge: on the canvas");
    await expect(netdive.getByTestId("tour-bring-up")).toHaveCount(0);
    await netdive.keyboard.press("PageDown");
    await expect(netdive.getByTestId("tour-count")).toHaveText("step 2 of 4");
    const ifaceId = (await lit(netdive)).find((id) => id.startsWith("if:"));
    const owner = onDefault.find((c) => ifaceId === `if:${c.id}:eth0`);
    expect(owner, `the lit interface ${ifaceId} is eth0 of a default-bridge container of this run`).toBeDefined();
    const pair = await vethOf(netdive, ifaceId!);
    expect(pair?.veth).toMatch(/^veth:/);
    await expectLit(netdive, [ifaceId!, pair!.veth, pair!.edge]);
    await expect(netdive.getByTestId("tour-text")).toContainText(`its veth peer on the host is ${pair!.label}`);
    await shot(netdive, "veth-pair");
    // the presenter's clicker: PageUp back, PageDown forward again
    await netdive.keyboard.press("PageUp");
    await expect(netdive.getByTestId("tour-count")).toHaveText("step 1 of 4");
    await expectLit(netdive, [...onDefault.map((c) => ctr(c.id)), bridge!]);
    // Its lab containers are on the canvas: nothing to bring up.
    await expect(netdive.getByTestId("tour-state")).toHaveText("Scenario default-bridge: on the canvas");
    await expect(netdive.getByTestId("tour-bring-up")).toHaveCount(0);
    await netdive.keyboard.press("PageDown");
    await expectLit(netdive, [ifaceId!, pair!.veth, pair!.edge]);

    // user-defined bridge, step 2: 127.0.0.11, with a container's DNS rules in the details
    await chapter(netdive, "user-bridge");
    await netdive.keyboard.press("ArrowRight");
    const mynet = Object.values(s["user-bridge"].networks)[0]!;
    // The step lights one container of its own choosing, a frame or two after the key.
    const litContainer = async () => {
      const now = await lit(netdive);
      return Object.values(s["user-bridge"].containers).find((c) => now.includes(ctr(c.id)));
    };
    await expect.poll(litContainer, { message: "a user-bridge container of this run is lit" }).toBeDefined();
    const picked = await litContainer();
    await expectLit(netdive, [`dns:${mynet.id}`, ctr(picked!.id)]);
    await expect(netdive.getByTestId("details-title")).toHaveText(picked!.name);
    await expect(netdive.getByTestId("dns-rules")).toContainText("127.0.0.11:53");
    // The lines the step cites are in the tour's panel itself (on a projector the details are closed).
    const cite = netdive.getByTestId("tour-cite");
    await expect(cite).toContainText(`/etc/resolv.conf of ${picked!.name}`);
    await expect(cite).toContainText("nameserver 127.0.0.11");
    await expect(cite).toContainText(/udp 127\.0\.0\.11:53 → 127\.0\.0\.11:\d+/);
    await shot(netdive, "embedded-dns");

    // host mode: the container inside the host box, with no IP
    await chapter(netdive, "host");
    await expectLit(netdive, [ctr(s.host.containers.tools!.id)]);
    await shot(netdive, "host-mode");

    // none: the lone lo
    await chapter(netdive, "none");
    await expectLit(netdive, [`if:${s.none.containers.tools!.id}:lo`]);

    // joined network namespace: the shared box and the container drawn inside it
    await chapter(netdive, "join-network");
    const mysql = s["join-network"].containers.mysql!;
    await expectLit(netdive, [ctr(mysql.id), ctr(s["join-network"].containers.tools!.id)]);
    await blur(netdive);
    await netdive.keyboard.press("Space");
    await expect(netdive.getByTestId("tour-count")).toHaveText("step 2 of 2");
    const shared = await vethOf(netdive, `if:${mysql.id}:eth0`);
    await expectLit(netdive, [`if:${mysql.id}:eth0`, shared!.veth, shared!.edge]);

    // Escape closes the tour and clears every spotlight.
    await netdive.keyboard.press("Escape");
    await expect(netdive.getByTestId("tour")).toHaveCount(0);
    await expectLit(netdive, []);
  });

  for (const language of ["en", "es"] as const) {
    test(`on a 1280x720 projector (${language}), every step frames what it names above the panel, most at 18 px`, async ({
      netdive,
      state,
    }) => {
      test.setTimeout(180_000);
      await netdive.setViewportSize({ width: 1280, height: 720 });
      await netdive.goto(`${state.baseURL}/?projector`);
      await netdive.waitForFunction(() => (window.__NETDIVE__?.cy?.nodes().length ?? 0) > 0);
      if (language === "es") await netdive.getByTestId("language").click();
      await netdive.getByTestId("filter").fill(state.runId);
      await blur(netdive);
      await netdive.getByTestId("tour-toggle").click();
      const chapters = await netdive
        .getByTestId("tour-chapter")
        .locator("option")
        .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
      let readable = 0;
      let steps = 0;
      for (const id of chapters) {
        await netdive.getByTestId("tour-chapter").selectOption(id);
        await expect(netdive.getByTestId("tour-count")).toHaveText(/^(step|paso) 1 (of|de) \d+$/);
        const total = Number(/(\d+)\s*$/.exec((await netdive.getByTestId("tour-count").textContent()) ?? "")?.[1]);
        for (let i = 0; i < total; i++) {
          if (i > 0) await netdive.keyboard.press("ArrowRight");
          await expect(netdive.getByTestId("tour-count")).toHaveText(new RegExp(`^(step|paso) ${i + 1} `));
          await netdive.waitForTimeout(800); // the viewport's animation
          const seen = await netdive.evaluate(() => {
            const cy = window.__NETDIVE__.cy!;
            const graph = document.querySelector('[data-testid="graph"]')!.getBoundingClientRect();
            const panel = document.querySelector(".tour")!.getBoundingClientRect();
            const area = { w: graph.width, h: panel.top - graph.top };
            const lit = cy.$(".spot-tour");
            const outside = lit
              .filter((e) => {
                const b = e.renderedBoundingBox({ includeLabels: false });
                return b.x1 < -1 || b.y1 < -1 || b.x2 > area.w + 1 || b.y2 > area.h + 1;
              })
              .map((e) => e.id());
            // The smallest words among what is lit, as drawn (CSS px).
            const fonts = lit
              .filter((e) => e.isNode() && e.style("label") !== "")
              .map((e) => parseFloat(e.style("font-size")));
            const font = fonts.length > 0 ? Math.min(...fonts) : Infinity;
            return { lit: lit.length, outside, px: font * cy.zoom() };
          });
          const where = `${language} ${id} step ${i + 1}`;
          if (seen.lit === 0) continue; // a step whose scenario is not drawn says what to run instead
          steps++;
          expect(seen.outside, `${where}: what it lights is inside the canvas above the panel`).toEqual([]);
          if (seen.px >= 17.9) readable++;
          // Below 18 px where focus-canvas.ts found the lit figure too big to frame at that size
          // (its small print is 12 model units: 18 px is zoom 1.5); never below the readable size.
          expect(seen.px, `${where}: never below the readable size`).toBeGreaterThanOrEqual(12);
        }
      }
      console.log(`tour on a projector (${language}): ${readable} of ${steps} steps at 18 px or more`);
      expect(steps).toBeGreaterThanOrEqual(20);
      // 20 of 25 (en) and 19 of 25 (es) when written; the rest light a figure too big for 18 px.
      expect(readable, "steps whose words are at 18 px or more").toBeGreaterThanOrEqual(Math.floor(steps * 0.7));
    });
  }

  test("speaks Spanish after the language switch", async ({ netdive }) => {
    await netdive.getByTestId("language").click();
    await netdive.getByTestId("tour-toggle").click();
    await expect(netdive.getByTestId("tour-toggle")).toHaveText("Recorrido");
    await expect(netdive.getByTestId("tour-count")).toHaveText("paso 1 de 3");
    await expect(netdive.getByTestId("tour-step-title")).toHaveText("El host y su NIC");
    await expect(netdive.getByTestId("tour-text")).toContainText("tarjeta de red");
    await expect(netdive.getByRole("button", { name: "Paso siguiente" })).toBeVisible();
    await netdive.getByRole("button", { name: "Paso siguiente" }).click();
    await expect(netdive.getByTestId("tour-count")).toHaveText("paso 2 de 3");
    await netdive.getByTestId("tour-toggle").click();
    await expect(netdive.getByTestId("tour")).toHaveCount(0);
    await expectLit(netdive, []);
  });

  test("offers to bring a scenario up when the server allows it", async ({ netdive }) => {
    // The server's own scenarios belong to the workshop run: answer for it here, touching no engine.
    let upCalls = 0;
    await netdive.route("**/api/scenarios", (route) =>
      route.fulfill({
        json: {
          actions: true,
          scenarios: [
            {
              name: "none",
              title: { en: "No network", es: "Sin red" },
              summary: { en: "", es: "" },
              state: upCalls > 0 ? "up" : "down",
              containers: [],
            },
          ],
        },
      }),
    );
    await netdive.route("**/api/scenarios/none/up", (route) => {
      upCalls += route.request().method() === "POST" ? 1 : 0;
      return route.fulfill({ json: {} });
    });
    // With the run's none-mode container filtered away, the chapter has nothing to show.
    await netdive.getByTestId("filter").fill("no-container-is-called-this");
    await netdive.getByTestId("tour-toggle").click();
    await chapter(netdive, "none");
    await expect(netdive.getByTestId("tour-text")).toContainText("pnpm lab up none");
    await expect(netdive.getByTestId("tour-state")).toHaveText("Scenario none: not running");
    await netdive.getByTestId("tour-bring-up").click();
    await expect(netdive.getByTestId("tour-state")).toHaveText("Scenario none: running");
    await expect(netdive.getByTestId("tour-bring-up")).toHaveCount(0);
    expect(upCalls).toBe(1);
  });
});
