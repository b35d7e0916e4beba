import { chromium, type Browser } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../support/chromium";
import { CONTAINER_SHOWN, SHOWN_CONTAINERS } from "./page-probes";

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export interface FirstRender {
  /** Navigation start to every container box drawn and a frame painted, ms. */
  totalMs: number;
  /** The snapshot arriving in the page (`netdive:snapshot`) to the same painted frame, ms. */
  afterSnapshotMs: number;
}

/**
 * Opens the page and waits until it shows every container (its box, or its closed room's card
 * counting it) and a painted frame.
 */
export async function firstRender(browser: Browser, baseURL: string, containers: number): Promise<FirstRender> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  try {
    await page.addInitScript(SHOWN_CONTAINERS);
    await page.goto(baseURL, { waitUntil: "commit" });
    await page.waitForFunction(
      (n) =>
        // The canvas has been synced with the snapshot (a page with no container too) and shows every container.
        performance.getEntriesByName("netdive:snapshot").length > 0 &&
        performance
          .getEntriesByName("netdive:sync-end")
          .some((m) => m.startTime >= (performance.getEntriesByName("netdive:snapshot")[0]?.startTime ?? Infinity)) &&
        (window as unknown as { __shownContainers(): number }).__shownContainers() >= n,
      containers,
      { timeout: 120_000, polling: 20 },
    );
    return await page.evaluate(
      () =>
        new Promise<FirstRender>((resolve) =>
          requestAnimationFrame(() =>
            requestAnimationFrame(() => {
              const painted = performance.now();
              const snapshot = performance.getEntriesByName("netdive:snapshot")[0]?.startTime ?? NaN;
              resolve({ totalMs: painted, afterSnapshotMs: painted - snapshot });
            }),
          ),
        ),
    );
  } finally {
    await page.close();
  }
}

export interface CanvasFigures {
  /** Patch applied to the store -> the canvas showing the container, ms. */
  patchToCanvasMs: number;
  /** Largest move of any node that was on the canvas before, in rendered px. */
  maxMovePx: number;
}

/**
 * Opens the page, then `addContainer()` (which starts a container and returns its id); measures
 * how long the page takes from the store holding it to the canvas showing it, and how far every
 * other node moved. At rest (from far away a room is one card) the container is shown when its
 * room's card names it; with `openRoom` (a network's name) the view first zooms in on that
 * network's room until it opens, and the container is shown when its box is drawn.
 */
export async function canvasChange(
  browser: Browser,
  baseURL: string,
  addContainer: () => Promise<string>,
  openRoom?: string,
): Promise<CanvasFigures> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  try {
    await page.addInitScript(CONTAINER_SHOWN);
    await page.goto(baseURL);
    await page.waitForFunction(() => (window.__NETDIVE__?.cy?.nodes().length ?? 0) > 0);
    await page.waitForTimeout(500);
    if (openRoom) {
      await page.evaluate((name) => {
        const cy = window.__NETDIVE__.cy!;
        const bridge = cy
          .nodes('[kind = "bridge"]')
          .filter((b) => String(b.data("label")).split("\n")[0]!.split(" (")[0] === name);
        cy.zoom({
          level: 1.1,
          position: (bridge.first() as unknown as { position(): { x: number; y: number } }).position(),
        });
      }, openRoom);
      await page.waitForTimeout(1500);
    }
    const before = await page.evaluate(() =>
      Object.fromEntries(window.__NETDIVE__.cy!.nodes().map((n) => [n.id(), n.renderedPosition()] as const)),
    );
    await page.evaluate((close) => {
      const w = window as unknown as {
        __bench: { store: Map<string, number>; canvas: Map<string, number>; pending: Map<string, string> };
        __containerShown(id: string, name: string): boolean;
      };
      w.__bench = { store: new Map(), canvas: new Map(), pending: new Map() };
      const seen = new Set<string>();
      // Cytoscape says when the box is added or the card's words change; the next animation frame
      // is when it is painted. (No named functions in here: tsx would wrap them in a `__name`
      // the page does not have.)
      window.__NETDIVE__.cy!.on("add data", () => {
        for (const [id, name] of w.__bench.pending) {
          const shown = close
            ? window.__NETDIVE__.cy!.getElementById(`ctr:${id}`).nonempty()
            : w.__containerShown(id, name);
          if (!shown) continue;
          w.__bench.pending.delete(id);
          requestAnimationFrame(() => w.__bench.canvas.set(id, performance.now()));
        }
      });
      const store = window.__NETDIVE__.store as unknown as {
        getState(): { topology: { containers: Record<string, { name: string }> } | null };
        subscribe(fn: (s: { topology: { containers: Record<string, { name: string }> } | null }) => void): void;
      };
      for (const id of Object.keys(store.getState().topology?.containers ?? {})) seen.add(id);
      store.subscribe((s) => {
        for (const [id, c] of Object.entries(s.topology?.containers ?? {})) {
          if (seen.has(id)) continue;
          seen.add(id);
          w.__bench.store.set(id, performance.now());
          w.__bench.pending.set(id, c.name);
        }
      });
    }, openRoom !== undefined);
    const id = await addContainer();
    await page.waitForFunction(
      (cid) => (window as unknown as { __bench: { canvas: Map<string, number> } }).__bench.canvas.has(cid),
      id,
      { timeout: 30_000 },
    );
    const figures = await page.evaluate(
      ({ cid, before: b }) => {
        const w = window as unknown as { __bench: { store: Map<string, number>; canvas: Map<string, number> } };
        let maxMove = 0;
        for (const n of window.__NETDIVE__.cy!.nodes()) {
          const was = b[n.id()];
          if (!was || !n.isChildless()) continue;
          const now = n.renderedPosition();
          maxMove = Math.max(maxMove, Math.hypot(now.x - was.x, now.y - was.y));
        }
        return {
          patchToCanvasMs: (w.__bench.canvas.get(cid) ?? NaN) - (w.__bench.store.get(cid) ?? NaN),
          maxMovePx: maxMove,
        };
      },
      { cid: id, before },
    );
    return figures;
  } finally {
    await page.close();
  }
}
