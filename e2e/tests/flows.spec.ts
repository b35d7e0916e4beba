import type { ChildProcess } from "node:child_process";
import { createNetwork, docker, freeTcpPort, newRun, requestLoop, runContainer, type LabObject } from "@netdive/lab";
import { expect, test, type Page } from "@playwright/test";
import { openRoomsOf, waitForNode } from "../support/fixtures";
import { startServer } from "../support/server";
import { readState } from "../support/state";

/**
 * `--flows` in the browser: a server of its own started with --flows (a 4 s window) beside the
 * run's; a bounded wget loop between two lab containers of the run is drawn as an edge within
 * 2 s, no node moves for it, and it fades (dashed, fainter) and goes after the loop stops.
 */

const WINDOW_S = 4;
let server: ChildProcess;
let url = "";
let srv: LabObject;
let cli: LabObject;
let srvIp = "";
let net: LabObject | undefined;

test.beforeAll(async () => {
  // The run's labels and prefix: global teardown removes these with the rest of the run.
  const run = newRun(readState().runId);
  net = await createNetwork(run, "flows-net");
  srv = await runContainer(run, {
    name: "flows-srv",
    network: net!.name,
    command: ["httpd", "-f", "-p", "80", "-h", "/var/www"],
  });
  cli = await runContainer(run, { name: "flows-cli", network: net!.name });
  srvIp = (await docker(["inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", srv.id])).trim();
  const port = await freeTcpPort(0);
  server = await startServer(port, ["--flows", "--flows-window", String(WINDOW_S)]);
  url = `http://127.0.0.1:${port}`;
});

test.afterAll(async () => {
  if (server?.pid) process.kill(-server.pid, "SIGTERM");
  await docker(["rm", "-f", srv.id, cli.id]).catch(() => undefined);
  // Its network too: the glance tests after it measure a host of the lab's size, without this room.
  if (net) await docker(["network", "rm", net.id]).catch(() => undefined);
});

const edgeId = (page: Page) =>
  page.evaluate(
    ([from, to]) =>
      window.__NETDIVE__
        .cy!.edges("[?flow]")
        .filter((e) => e.source().id() === from && e.target().id() === to)
        .map((e) => e.id())[0] ?? null,
    [`ctr:${cli.id}`, `ctr:${srv.id}`],
  );

/** About 3 s of requests from cli to srv (bounded), from the first one answered. */
const wgetLoop = () => requestLoop(cli.id, `http://${srvIp}/`);

const positions = (page: Page) =>
  page.evaluate(() =>
    Object.fromEntries(
      window.__NETDIVE__.cy!.nodes("[!flow]").map((n) => [n.id(), `${n.position().x},${n.position().y}`]),
    ),
  );

test("a wget loop between two containers is drawn within 2 s, moves no node, and fades after", async ({ page }) => {
  const errors: string[] = [];
  page.on("console", (m) => void (m.type() === "error" && errors.push(m.text())));
  await page.goto(url);
  await page.getByTestId("filter").fill("flows-");
  await page.waitForFunction(
    (ids) => ids.every((id) => window.__NETDIVE__?.cy?.getElementById(id).nonempty()),
    [`ctr:${cli.id}`, `ctr:${srv.id}`],
  );
  await page.waitForTimeout(500);
  const before = await positions(page);

  const { ended } = await wgetLoop();
  const started = Date.now();
  await page.waitForFunction(
    ([from, to]) =>
      window.__NETDIVE__
        .cy!.edges("[?flow]")
        .filter((e) => e.source().id() === from && e.target().id() === to)
        .nonempty(),
    [`ctr:${cli.id}`, `ctr:${srv.id}`],
    { timeout: 2000, polling: 50 },
  );
  console.log(`flows e2e: edge drawn ${Date.now() - started} ms after the first request was answered`);
  const id = (await edgeId(page))!;
  expect(await page.evaluate((e) => window.__NETDIVE__.cy!.getElementById(e).data("label"), id)).toBe("tcp/80");
  await page.screenshot({ path: "test-results/flows-drawn.png" });

  // A click on the edge shows the kernel's lines behind it.
  const at = await page.evaluate((e) => window.__NETDIVE__.cy!.getElementById(e).renderedMidpoint(), id);
  const origin = (await page.getByTestId("graph").boundingBox())!;
  await page.mouse.click(origin.x + at.x, origin.y + at.y);
  await expect(page.getByTestId("flow-evidence")).toContainText("dport=80");
  await expect(page.getByTestId("details")).toContainText("nf_conntrack");
  await page.screenshot({ path: "test-results/flows-evidence.png" });
  expect(await positions(page), "no node moved while the flow was drawn").toEqual(before);

  await ended;
  await page.waitForFunction(
    (e) => {
      const edge = window.__NETDIVE__.cy!.getElementById(e);
      return edge.nonempty() && edge.data("status") === "ended" && Number(edge.data("fade")) >= 0.5;
    },
    id,
    { timeout: WINDOW_S * 1000 },
  );
  await page.screenshot({ path: "test-results/flows-fading.png" });
  await page.waitForFunction((e) => window.__NETDIVE__.cy!.getElementById(e).empty(), id, {
    timeout: (WINDOW_S + 3) * 1000,
  });
  expect(await positions(page), "no node moved when the flow went").toEqual(before);
  expect(errors, "console errors on the page").toEqual([]);
});

test("from far away the flow is a tag on its room's card, and moves to the boxes when the room opens", async ({
  page,
}) => {
  const errors: string[] = [];
  page.on("console", (m) => void (m.type() === "error" && errors.push(m.text())));
  await page.goto(url);
  const room = `room:${net!.id}`;
  await waitForNode(page, room, 20_000);
  // As far away as the canvas goes: every room is a card, and the containers' boxes are not drawn.
  await page.evaluate(() => {
    const cy = window.__NETDIVE__.cy!;
    cy.zoom({ level: cy.minZoom(), renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  });
  await page.waitForFunction((id) => window.__NETDIVE__.cy!.getElementById(id).empty(), `ctr:${cli.id}`);
  const before = await positions(page);

  const { ended } = await wgetLoop();
  const started = Date.now();
  const tagId = `flow:bundle:${room}>${room}`;
  await page.waitForFunction((id) => window.__NETDIVE__.cy!.getElementById(id).nonempty(), tagId, {
    timeout: 2000,
    polling: 50,
  });
  console.log(`flows e2e: tag on the closed room's card drawn ${Date.now() - started} ms after the first request`);
  const tag = await page.evaluate((id) => {
    const node = window.__NETDIVE__.cy!.getElementById(id);
    const box = window.__NETDIVE__.cy!.getElementById(id.split(">")[1]!).boundingBox({ includeLabels: false });
    const at = node.position();
    return { ...(node.data() as Record<string, unknown>), inside: at.x < box.x2 && at.x > box.x1 && at.y > box.y1 };
  }, tagId);
  expect(tag).toMatchObject({ kind: "talk", label: "⇄ tcp/80", count: 1, inside: true });
  await page.screenshot({ path: "test-results/flows-far.png" });

  // The room opens (as a focus opens it): the flow leaves the card for the two boxes.
  await openRoomsOf(page, [cli.id, srv.id]);
  await page.waitForFunction(
    ([from, to]) =>
      window.__NETDIVE__
        .cy!.edges("[?flow]")
        .filter((e) => e.source().id() === from && e.target().id() === to && !e.data("leaving"))
        .nonempty(),
    [`ctr:${cli.id}`, `ctr:${srv.id}`],
    { timeout: 2000, polling: 50 },
  );
  const stillOnCard = await page.evaluate(
    (id) =>
      window.__NETDIVE__.cy!.getElementById(id).nonempty() &&
      !window.__NETDIVE__.cy!.getElementById(id).data("leaving"),
    tagId,
  );
  expect(stillOnCard, "the card's tag leaves once the boxes are drawn").toBe(false);
  // A room's frame is a compound, placed by what it holds (more once it is open): its leaves do not move.
  const after = await positions(page);
  const leaves = await page.evaluate(() =>
    window.__NETDIVE__
      .cy!.nodes("[!flow]")
      .filter((n) => n.isChildless())
      .map((n) => n.id()),
  );
  for (const id of leaves) if (before[id] !== undefined) expect(after[id], `${id} did not move`).toBe(before[id]);
  await ended;
  expect(errors, "console errors on the page").toEqual([]);
});
