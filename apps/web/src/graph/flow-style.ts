import type cytoscape from "cytoscape";
import { CARD_FONT, DETAIL_FONT, MIN_TEXT_PX } from "./lod";

/** A flow's "tcp/80" reads from as far as the containers' cards do, and close up too. */
const FLOW_FONT = (CARD_FONT + DETAIL_FONT) / 2;

/** The colour of talk: apart from every plumbing colour (style.ts's COLORS), so a flow never reads as a cable. */
export const FLOW_COLOR = "#c2185b";

/**
 * Flow edges (`--flows`): an arrow from the side that opened the connection to the listener, with
 * its protocol and port. Solid while a connection is open; dashed once every connection ended,
 * growing fainter (`fade` 0 -> 1) over the window, then gone.
 */
export function flowStyles(line: number): cytoscape.StylesheetJson {
  return [
    {
      selector: "edge[?flow]",
      style: {
        "line-color": FLOW_COLOR,
        "target-arrow-color": FLOW_COLOR,
        "target-arrow-shape": "triangle",
        "curve-style": "unbundled-bezier",
        "control-point-distances": [40],
        "control-point-weights": [0.5],
        "text-margin-y": -10,
        width: line * 2,
        label: "data(label)",
        "font-size": FLOW_FONT,
        "font-weight": "bold",
        color: FLOW_COLOR,
        "text-background-color": "#ffffff",
        "text-background-opacity": 0.85,
        "text-background-padding": "2px",
        "min-zoomed-font-size": MIN_TEXT_PX,
        opacity: (ele: cytoscape.EdgeSingular) => 1 - 0.75 * Number(ele.data("fade") ?? 0),
        "z-index": 20,
      },
    },
    { selector: 'edge[?flow][status = "ended"]', style: { "line-style": "dashed" } },
    {
      // Between two boxes (often side by side in one room): from top to top, arching over them.
      selector: "edge[?flow][?arc]",
      style: {
        "source-endpoint": "0% -50%",
        "target-endpoint": "0% -50%",
        "control-point-distances": [-70],
      },
    },
    {
      selector: 'node[kind = "outside"]',
      style: {
        shape: "round-rectangle",
        width: 110,
        height: 30,
        "background-color": "#fdf2f8",
        "border-color": FLOW_COLOR,
        "border-width": line,
        "border-style": "dashed",
        label: "data(label)",
        color: FLOW_COLOR,
      },
    },
  ];
}
