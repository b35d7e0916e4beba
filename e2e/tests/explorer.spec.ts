import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { docker, inspectContainer } from "@netdive/lab";
import { expect, graph, openRoomsOf, runLabContainer, test, waitForNode, type NodeInfo } from "../support/fixtures";

const ctr = (id: string) => `ctr:${id}`;

/** The engine's own answer for a container, read with the docker CLI. */
function truth(name: string) {
  const raw = JSON.parse(execFileSync("docker", ["inspect", name], { encoding: "utf8" }))[0];
  const nets = Object.values(raw.NetworkSettings.Networks) as Array<{
    IPAddress: string;
    MacAddress: string;
    IPPrefixLen: number;
  }>;
  return { id: raw.Id as string, ip: nets[0]?.IPAddress ?? "", mac: nets[0]?.MacAddress ?? "" };
}

test.describe("the diagram", () => {
  test("draws each of the document's scenarios the way the document does", async ({ netdive, state }) => {
    await openRoomsOf(
      netdive,
      Object.values(state.scenarios).flatMap((s) => Object.values(s.containers).map((c) => c.id)),
    );
    const { nodes, edges } = await graph(netdive);
    const node = (id: string) => nodes.find((n) => n.id === id);
    const kids = (id: string) => nodes.filter((n) => n.parent === id);
    const s = state.scenarios;

    // default bridge: each container's eth0 -> veth -> docker0
    for (const c of Object.values(s["default-bridge"].containers)) {
      const eth0 = node(`if:${c.id}:eth0`);
      expect(eth0?.parent).toBe(ctr(c.id));
      const pair = edges.find((e) => e.kind === "pair" && e.source === eth0?.id);
      expect(pair, `${c.name} has a veth pair`).toBeDefined();
      const master = edges.find((e) => e.kind === "master" && e.source === pair?.target);
      expect(node(master!.target)?.label).toMatch(/\bdocker0 /);
    }
    // user-defined bridge: br-<12 hex> and its embedded DNS
    const mynet = Object.values(s["user-bridge"].networks)[0]!;
    expect(node(`bridge:${mynet.id}`)?.label).toContain(`br-${mynet.id.slice(0, 12)}`);
    expect(node(`dns:${mynet.id}`)?.label).toContain("127.0.0.11");
    // compose: grouped under the project
    for (const c of Object.values(s.compose.containers)) {
      expect(node(ctr(c.id))?.parent).toBe(`compose:local:${s.compose.compose!.project}`);
    }
    // host mode: inside the host box, no interfaces of its own
    for (const c of Object.values(s.host.containers)) {
      expect(node(ctr(c.id))).toMatchObject({ kind: "hostmode", parent: "host:local" });
      expect(kids(ctr(c.id))).toEqual([]);
    }
    // none: only lo, no links
    for (const c of Object.values(s.none.containers)) {
      expect(kids(ctr(c.id)).map((k) => k.id)).toEqual([`if:${c.id}:lo`]);
      expect(edges.filter((e) => e.source.includes(c.id) || e.target.includes(c.id))).toEqual([]);
    }
    // joined network namespace: inside the owner's box, no veth of its own
    for (const name of ["join-network", "join-both"] as const) {
      const cs = Object.values(s[name].containers);
      const joined = nodes.find((n) => n.kind === "joined" && cs.some((c) => n.id === ctr(c.id)));
      expect(joined, `${name} draws a joined container`).toBeDefined();
      expect(cs.map((c) => ctr(c.id))).toContain(joined!.parent);
      expect(edges.some((e) => e.kind === "pair" && e.source.startsWith(`if:${joined!.id.slice(4)}`))).toBe(false);
    }
    // joined PID namespace: a dashed link; joined both ways: inside the box, saying so
    const pidIds = Object.values(s["join-pid"].containers).map((c) => ctr(c.id));
    expect(edges.some((e) => e.kind === "pid" && pidIds.includes(e.source) && pidIds.includes(e.target))).toBe(true);
    const both = nodes.find(
      (n) => n.kind === "joined" && Object.values(s["join-both"].containers).some((c) => n.id === ctr(c.id)),
    );
    expect(both?.label).toMatch(/joined this namespace and its PIDs/);
    // bridges never link to each other
    expect(edges.some((e) => e.source.startsWith("bridge:") && e.target.startsWith("bridge:"))).toBe(false);
  });

  test("saves a screenshot of each scenario for a person to look at", async ({ netdive, state }, testInfo) => {
    for (const [name, scenario] of Object.entries(state.scenarios)) {
      const first = Object.values(scenario.containers)[0]!;
      const prefix = first.name.split("-").slice(0, 3).join("-");
      await netdive.getByTestId("filter").fill(name === "compose" ? scenario.compose!.project : prefix);
      await netdive.waitForTimeout(400);
      const path = testInfo.outputPath(`scenario-${name}.png`);
      await netdive.screenshot({ path });
      await testInfo.attach(name, { path, contentType: "image/png" });
      expect(readFileSync(path).length).toBeGreaterThan(10_000);
    }
  });
});

test.describe("details", () => {
  test("clicking a container on the canvas shows its IP, MAC and resolv.conf", async ({ netdive, state }) => {
    const web = state.scenarios["user-bridge"].containers.web!;
    const t = truth(web.name);
    const resolv = execFileSync("docker", ["exec", web.name, "cat", "/etc/resolv.conf"], { encoding: "utf8" });
    await netdive.getByTestId("filter").fill(web.name);
    await netdive.waitForTimeout(300);
    const at = await netdive.evaluate((id) => {
      const n = window.__NETDIVE__.cy!.getElementById(id);
      // Inside the box's own padding, away from its interfaces: a click on the namespace itself.
      const box = n.renderedBoundingBox({ includeLabels: false });
      return { x: box.x1 + 8, y: box.y1 + 8 };
    }, ctr(web.id));
    const canvas = netdive.getByTestId("graph");
    const origin = (await canvas.boundingBox())!;
    await netdive.mouse.click(origin.x + at.x, origin.y + at.y);
    const details = netdive.getByTestId("details");
    await expect(details.getByTestId("details-title")).toHaveText(web.name);
    await expect(details).toContainText(`${t.ip}/`);
    await expect(details).toContainText(t.mac);
    await expect(details.getByTestId("file-/etc/resolv.conf")).toHaveText(resolv.trim() === "" ? "" : resolv, {
      useInnerText: false,
    });
    await expect(details.getByTestId("dns-rules")).toContainText("127.0.0.11:53");
  });

  test("the side list selects with the keyboard, on the canvas too", async ({ netdive, state }) => {
    const db = state.scenarios["default-bridge"].containers.db!;
    const t = truth(db.name);
    const button = netdive.getByTestId(`list-container-${db.name}`);
    await netdive.getByTestId("filter").focus();
    for (let i = 0; i < 200 && !(await button.evaluate((b) => b === document.activeElement)); i++) {
      await netdive.keyboard.press("Tab");
    }
    await expect(button).toBeFocused();
    await netdive.keyboard.press("Enter");
    await expect(netdive.getByTestId("details-title")).toHaveText(db.name);
    await expect(netdive.getByTestId("details")).toContainText(t.ip);
    const selected = await netdive.evaluate(() => window.__NETDIVE__.cy!.$(":selected").map((n) => n.id()));
    expect(selected).toContain(ctr(db.id));
  });
});

test.describe("the keyboard", () => {
  test("reaches the diagram in two keys, and the arrows move the selection from box to box", async ({ netdive }) => {
    // The first Tab lands on the way to the diagram, past the toolbar and the list.
    await netdive.keyboard.press("Tab");
    await expect(netdive.locator(".skip-link")).toBeFocused();
    await netdive.keyboard.press("Enter");
    await expect(netdive.getByTestId("graph")).toBeFocused();
    const title = netdive.getByTestId("details-title");
    // Far away the first arrow comes close enough to draw the boxes; then each arrow selects one.
    for (let i = 0; i < 3 && !(await title.isVisible()); i++) {
      await netdive.keyboard.press("ArrowRight");
      await netdive.waitForTimeout(500);
    }
    await expect(title).toBeVisible();
    const first = await title.textContent();
    // The box reached first may stand at an edge of the picture (which one depends on the run's
    // names): some arrow moves to another box, and the opposite arrow comes back to it.
    let moved: string | null = null;
    for (const key of ["ArrowRight", "ArrowLeft", "ArrowDown", "ArrowUp"]) {
      await netdive.keyboard.press(key);
      const changed = await expect(title)
        .not.toHaveText(first!, { timeout: 1500 })
        .then(
          () => true,
          () => false,
        );
      if (changed) {
        moved = key;
        break;
      }
    }
    expect(moved, "some arrow moves the selection to another box").not.toBeNull();
    const back = { ArrowRight: "ArrowLeft", ArrowLeft: "ArrowRight", ArrowDown: "ArrowUp", ArrowUp: "ArrowDown" };
    const second = await title.textContent();
    await netdive.keyboard.press(back[moved as keyof typeof back]);
    await expect(title, "the opposite arrow comes back").toHaveText(first!);
    await netdive.keyboard.press(moved!);
    await expect(title).toHaveText(second!);
    // The box chosen is the one selected on the canvas, and in view.
    const chosen = await netdive.evaluate(() => {
      const cy = window.__NETDIVE__.cy!;
      const box = cy.$("node:selected");
      const bb = box.renderedBoundingBox({ includeLabels: false });
      return {
        kind: box.data("kind") as string,
        inView: bb.x1 >= 0 && bb.y1 >= 0 && bb.x2 <= cy.width() && bb.y2 <= cy.height(),
      };
    });
    expect(["netns", "hostmode"]).toContain(chosen.kind);
    expect(chosen.inView).toBe(true);
  });
});

test.describe("live", () => {
  test("docker run adds a node and docker rm removes it, without a reload, and nothing else moves", async ({
    netdive,
    state,
  }) => {
    // The new container joins docker0's room: open it (from far away it is a card).
    await openRoomsOf(
      netdive,
      Object.values(state.scenarios["default-bridge"].containers).map((c) => c.id),
    );
    const before = await graph(netdive);
    const name = `nd-${state.runId}-live`;
    const id = await runLabContainer(state.runId, name);
    await waitForNode(netdive, `if:${id}:eth0`);
    const during = await graph(netdive);
    const moved = before.nodes.filter((n: NodeInfo) => {
      const now = during.nodes.find((m) => m.id === n.id);
      // Leaves only: a box or a room (a compound) grows around what joins it.
      const leaf = !before.nodes.some((k) => k.parent === n.id);
      return now && n.parent !== null && leaf && (now.x !== n.x || now.y !== n.y);
    });
    expect(moved.map((n) => n.id)).toEqual([]);
    expect(await netdive.evaluate(() => performance.getEntriesByType("navigation").length)).toBe(1);
    await docker(["rm", "-f", name]);
    await netdive.waitForFunction((nodeId) => window.__NETDIVE__.cy!.getElementById(nodeId).empty(), ctr(id));
    const inspect = await inspectContainer(name).catch(() => null);
    expect(inspect).toBeNull();
  });
});

test.describe("for everyone", () => {
  test("the language switch changes the page and the diagram", async ({ netdive, state }) => {
    const mynet = Object.values(state.scenarios["user-bridge"].networks)[0]!;
    await openRoomsOf(
      netdive,
      Object.values(state.scenarios["user-bridge"].containers).map((c) => c.id),
    );
    await expect(netdive.getByTestId("language")).toHaveText("Español");
    await netdive.getByTestId("language").click();
    await expect(netdive.getByTestId("language")).toHaveText("English");
    await expect(netdive.getByRole("heading", { name: "Contenedores" })).toBeVisible();
    const label = await netdive.evaluate(
      (id) => window.__NETDIVE__.cy!.getElementById(id).data("label") as string,
      `dns:${mynet.id}`,
    );
    expect(label).toBe("DNS embebido\n127.0.0.11");
  });

  test("exports a non-empty PNG and valid JSON", async ({ netdive }) => {
    const [png] = await Promise.all([netdive.waitForEvent("download"), netdive.getByTestId("export-png").click()]);
    const pngBytes = readFileSync((await png.path())!);
    expect(pngBytes.subarray(1, 4).toString()).toBe("PNG");
    expect(pngBytes.length).toBeGreaterThan(5_000);
    const [json] = await Promise.all([netdive.waitForEvent("download"), netdive.getByTestId("export-json").click()]);
    const parsed = JSON.parse(readFileSync((await json.path())!, "utf8"));
    expect(Object.keys(parsed.containers).length).toBeGreaterThan(5);
    const [svg] = await Promise.all([netdive.waitForEvent("download"), netdive.getByTestId("export-svg").click()]);
    expect(readFileSync((await svg.path())!, "utf8")).toMatch(/^<\?xml|<svg/);
  });
});
