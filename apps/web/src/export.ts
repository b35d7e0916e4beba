import type cytoscape from "cytoscape";
import type { Topology } from "@netdive/model";

function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19);
}

/** The current view as PNG (what is drawn, whole graph, white background). */
export function exportPng(cy: cytoscape.Core): void {
  const blob = cy.png({ full: true, bg: "#ffffff", scale: 2, output: "blob" }) as unknown as Blob;
  download(`netdive-${stamp()}.png`, blob);
}

/** The current view as SVG (cytoscape-svg). */
export function exportSvg(cy: cytoscape.Core): void {
  const svg = (cy as unknown as { svg: (o: object) => string }).svg({ full: true, bg: "#ffffff" });
  download(`netdive-${stamp()}.svg`, new Blob([svg], { type: "image/svg+xml" }));
}

/** The topology as the server sent it (the wire contract). */
export function exportJson(topology: Topology): void {
  download(`netdive-${stamp()}.json`, new Blob([JSON.stringify(topology, null, 2)], { type: "application/json" }));
}
