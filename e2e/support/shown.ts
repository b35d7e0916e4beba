import type { Page } from "@playwright/test";

export interface Shown {
  id: string;
  kind: string;
  /** The words drawn, as one line (the page wraps long names at their separators). */
  text: string;
  /** On-screen font size, CSS px. */
  px: number;
  /** On-screen box of the words, and of the shape, in CSS px of the canvas. */
  label: { x1: number; y1: number; x2: number; y2: number } | null;
  shape: { x1: number; y1: number; x2: number; y2: number };
  compound: boolean;
}

/** Everything drawn at rest, read through the automation hook: words, their size and where they are. */
export async function shown(page: Page): Promise<{ items: Shown[]; width: number; height: number; zoom: number }> {
  return page.evaluate(() => {
    const cy = window.__NETDIVE__.cy!;
    const zoom = cy.zoom();
    const pan = cy.pan();
    const toScreen = (bb: { x1: number; y1: number; x2: number; y2: number }) => ({
      x1: bb.x1 * zoom + pan.x,
      y1: bb.y1 * zoom + pan.y,
      x2: bb.x2 * zoom + pan.x,
      y2: bb.y2 * zoom + pan.y,
    });
    const items = cy
      .elements()
      .filter((e) => e.visible() && Number(e.style("opacity")) > 0)
      .map((e) => {
        // pstyle: the style as drawn (public, not in the type definitions).
        const style = (p: string) =>
          (e as unknown as { pstyle: (p: string) => { strValue?: string; pfValue?: number; value?: unknown } }).pstyle(
            p,
          );
        const text =
          String(style("label").strValue ?? "") + String(e.isEdge() ? (style("source-label").strValue ?? "") : "");
        const px = Number(style("font-size").pfValue) * zoom;
        const bb = e.boundingBox({
          includeLabels: true,
          includeNodes: false,
          includeEdges: false,
          includeOverlays: false,
        });
        return {
          id: e.id(),
          kind: String(e.data("kind")),
          text: text.replace(/[\n\u200b]/g, ""),
          px,
          label: text && bb.w > 0 ? toScreen(bb) : null,
          shape: toScreen(e.boundingBox({ includeLabels: false, includeOverlays: false })),
          compound: e.isNode() && e.isParent(),
        };
      });
    return { items, width: cy.width(), height: cy.height(), zoom };
  });
}

/** Whether two on-screen boxes overlap by more than a pixel. */
export const overlaps = (a: NonNullable<Shown["label"]>, b: NonNullable<Shown["label"]>) =>
  a.x1 < b.x2 - 1 && b.x1 < a.x2 - 1 && a.y1 < b.y2 - 1 && b.y1 < a.y2 - 1;
