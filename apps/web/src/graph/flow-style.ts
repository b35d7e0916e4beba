import type cytoscape from "cytoscape";
import { CARD_FONT, DETAIL_FONT, MIN_TEXT_PX } from "./lod";

/** A flow's "tcp/80" close up; from farther away its words grow as the cards' do (flow-canvas.ts). */
export const FLOW_FONT = (CARD_FONT + DETAIL_FONT) / 2;

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
        "font-size": "data(font)",
        "font-weight": "bold",
        color: FLOW_COLOR,
        "text-background-color": "#ffffff",
        "text-background-opacity": 0.85,
        "text-background-padding": "2px",
        "min-zoomed-font-size": MIN_TEXT_PX,
        opacity: (ele: cytoscape.EdgeSingular) => 1 - 0.75 * Number(ele.data("fade") ?? 0),
        // Over the boxes it joins, not under them (they are compounds: their interfaces).
        "z-compound-depth": "top",
        "z-index": 20,
      },
    },
    { selector: 'edge[?flow][status = "ended"]', style: { "line-style": "dashed" } },
    {
      // Between two boxes (often side by side in one room): from top to top, arching over them
      // (`bend`, flow-elements.ts, says which way is up for the edge's direction).
      selector: "edge[?flow][?arc]",
      style: {
        "source-endpoint": "0% -50%",
        "target-endpoint": "0% -50%",
        "control-point-distances": "data(bend)",
      },
    },
    {
      // Several flows taken together on a closed room's card: a little wider for each, up to four.
      selector: "edge[?flow][count > 1]",
      style: { width: (ele: cytoscape.EdgeSingular) => line * (2 + Math.min(3, Number(ele.data("count")) - 1)) },
    },
    {
      // Two containers of one closed room talk: a tag pinned by its top right corner inside the
      // room's own (flow-elements.ts), written in talk's colour, dashed once every flow ended.
      selector: 'node[kind = "talk"]',
      style: {
        width: 1,
        height: 1,
        "background-opacity": 0,
        "border-width": 0,
        label: "data(label)",
        "font-size": "data(font)",
        "font-weight": "bold",
        color: FLOW_COLOR,
        "text-halign": "left",
        "text-valign": "bottom",
        "text-background-color": "#fdf2f8",
        "text-background-opacity": 1,
        "text-background-padding": "3px",
        "text-background-shape": "roundrectangle",
        "text-border-width": line,
        "text-border-color": FLOW_COLOR,
        "text-border-opacity": 1,
        "text-events": "yes",
        opacity: (ele: cytoscape.NodeSingular) => 1 - 0.75 * Number(ele.data("fade") ?? 0),
        "z-index": 20,
        "z-compound-depth": "top",
      },
    },
    { selector: 'node[kind = "talk"][status = "ended"]', style: { "text-border-style": "dashed" } },
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
