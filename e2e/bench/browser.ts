import { chromium, type Browser } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../support/chromium";

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export interface FirstRender {
  /** Navigation start to every container box drawn and a frame painted, ms. */
  totalMs: number;
  /** The snapshot arriving in the page (`netdive:snapshot`) to the same painted frame, ms. */
  afterSnapshotMs: number;
}

/** Opens the page and waits for every container box and a painted frame. */
export async function firstRender(browser: Browser, baseURL: string, containers: number): Promise<FirstRender> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  try {
    await page.goto(baseURL, { waitUntil: "commit" });
    await page.waitForFunction(
      (n) =>
        // The canvas has been synced with the snapshot (a page with no container too) and holds every box.
        performance.getEntriesByName("netdive:snapshot").length > 0 &&
        performance
          .getEntriesByName("netdive:sync-end")
          .some((m) => m.startTime >= (performance.getEntriesByName("netdive:snapshot")[0]?.startTime ?? Infinity)) &&
        (window.__NETDIVE__?.cy?.nodes('[kind = "netns"], [kind = "hostmode"], [kind = "joined"]').length ?? -1) >= n,
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
  /** Patch applied to the store -> the node on the canvas, ms. */
  patchToCanvasMs: number;
  /** Largest move of any node that was on the canvas before, in rendered px. */
  maxMovePx: number;
}

/**
 * Opens the page, then `addContainer()` (which starts a container and returns its id); measures
 * how long the page takes from the store holding it to the canvas drawing it, and how far every
 * other node moved.
 */
export async function canvasChange(
  browser: Browser,
  baseURL: string,
  addContainer: () => Promise<string>,
): Promise<CanvasFigures> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  try {
    await page.goto(baseURL);
    await page.waitForFunction(() => (window.__NETDIVE__?.cy?.nodes().length ?? 0) > 0);
    await page.waitForTimeout(500);
    const before = await page.evaluate(() =>
      Object.fromEntries(window.__NETDIVE__.cy!.nodes().map((n) => [n.id(), n.renderedPosition()] as const)),
    );
    await page.evaluate(() => {
      const w = window as unknown as {
        __bench: { seen: Set<string>; store: Map<string, number>; canvas: Map<string, number>; pending: Set<string> };
      };
      w.__bench = { seen: new Set(), store: new Map(), canvas: new Map(), pending: new Set() };
      // Cytoscape says when the box is added; the next animation frame is when it is painted.
      window.__NETDIVE__.cy!.on("add", "node", (event) => {
        const id = (event.target.id() as string).replace(/^ctr:/, "");
        if (!w.__bench.pending.delete(id)) return;
        requestAnimationFrame(() => w.__bench.canvas.set(id, performance.now()));
      });
      const store = window.__NETDIVE__.store as unknown as {
        getState(): { topology: { containers: Record<string, unknown> } | null };
        subscribe(fn: (s: { topology: { containers: Record<string, unknown> } | null }) => void): void;
      };
      for (const id of Object.keys(store.getState().topology?.containers ?? {})) w.__bench.seen.add(id);
      store.subscribe((s) => {
        for (const id of Object.keys(s.topology?.containers ?? {})) {
          if (w.__bench.seen.has(id)) continue;
          w.__bench.seen.add(id);
          const at = performance.now();
          w.__bench.store.set(id, at);
          w.__bench.pending.add(id);
        }
      });
    });
    const id = await addContainer();
    await page.waitForFunction(
      (cid) => (window as unknown as { __bench: { canvas: Map<string, number> } }).__bench.canvas.has(cid),
      id,
      { timeout: 30_000 },
    );
    await page.waitForFunction((cid) => window.__NETDIVE__.cy!.getElementById(`if:${cid}:eth0`).nonempty(), id, {
      timeout: 30_000,
    });
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
