import { docker, LAB_IMAGE } from "@netdive/lab";
import { test as base, expect, type Page } from "@playwright/test";
import { readState, type E2eState } from "./state";

export interface NodeInfo {
  id: string;
  kind: string;
  label: string;
  parent: string | null;
  x: number;
  y: number;
}

export interface EdgeInfo {
  id: string;
  kind: string;
  source: string;
  target: string;
}

/** Reads the graph through the documented automation hook `window.__NETDIVE__`. */
export async function graph(page: Page): Promise<{ nodes: NodeInfo[]; edges: EdgeInfo[] }> {
  return page.evaluate(() => {
    const cy = window.__NETDIVE__.cy!;
    return {
      nodes: cy.nodes().map((n) => ({
        id: n.id(),
        kind: n.data("kind") as string,
        label: n.data("label") as string,
        parent: n.parent().nonempty() ? n.parent().first().id() : null,
        x: n.position().x,
        y: n.position().y,
      })),
      edges: cy
        .edges()
        .map((e) => ({ id: e.id(), kind: e.data("kind") as string, source: e.source().id(), target: e.target().id() })),
    };
  });
}

/**
 * Opens the rooms that hold these containers, as a tour step or the reach panel does: from far
 * away (how the whole lab host opens on a 1600x1000 page when its subnets make the rooms wide) a
 * room is a card, and its boxes, interfaces and veths are not on the canvas.
 */
export async function openRoomsOf(page: Page, containerIds: readonly string[]): Promise<void> {
  await page.evaluate((ids) => {
    const cy = window.__NETDIVE__.cy!;
    const open = cy.scratch("netdive:mount") as ((elementIds: readonly string[]) => void) | undefined;
    if (!open) throw new Error("the page has no mount hook (netdive:mount)");
    open(ids.map((id) => `ctr:${id}`));
  }, containerIds);
}

/** Waits until the page holds a node with this id. */
export async function waitForNode(page: Page, id: string, timeout = 10_000): Promise<void> {
  await page.waitForFunction((nodeId) => window.__NETDIVE__?.cy?.getElementById(nodeId).nonempty() === true, id, {
    timeout,
  });
}

/** Each test gets the page opened on netdive, and fails if the page logged an error. */
export const test = base.extend<{ state: E2eState; netdive: Page }>({
  // eslint-disable-next-line no-empty-pattern
  state: async ({}, use) => {
    await use(readState());
  },
  netdive: async ({ page, state }, use) => {
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(state.baseURL);
    await page.waitForFunction(() => (window.__NETDIVE__?.cy?.nodes().length ?? 0) > 0);
    await use(page);
    expect(errors, "console errors on the page").toEqual([]);
  },
});

export { expect };

/**
 * Starts one sleeping lab container for a test, labelled with the run (global teardown removes
 * it by label if the test does not), on `network` or the default bridge. Returns its full id.
 */
export async function runLabContainer(runId: string, name: string, network?: string): Promise<string> {
  const args = ["run", "-d", "--name", name, ...(network ? ["--network", network] : [])];
  const labels = ["--label", "io.netdive.lab=1", "--label", `io.netdive.run=${runId}`];
  return (await docker([...args, ...labels, "--memory", "64m", LAB_IMAGE, "sleep", "600"])).trim();
}
