import type cytoscape from "cytoscape";

/** Colours shared with the legend, so both always say the same thing. */
export const COLORS = {
  host: "#eef1f5",
  hostBorder: "#5b6b7f",
  nic: "#1f4e8c",
  bridge: "#e07b00",
  dns: "#7b3fa0",
  veth: "#2e8b57",
  netns: "#e8f3fc",
  netnsBorder: "#2b6cb0",
  iface: "#ffffff",
  joined: "#fff4c2",
  hostmode: "#fff4c2",
  compose: "#8a5a00",
  pair: "#2e8b57",
  master: "#6b7280",
  nat: "#1f4e8c",
  pid: "#c0392b",
  added: "#16a34a",
  changed: "#d97706",
  selected: "#e11d48",
  tour: "#2563eb",
  path: "#16a34a",
  blocked: "#dc2626",
};

/** The stylesheet; projector mode enlarges type and thickens lines for a wall at the back of a room. */
export function graphStyle(projector: boolean): cytoscape.StylesheetJson {
  const font = projector ? 20 : 12;
  const line = projector ? 4 : 2;
  const text = projector ? "#000000" : "#1f2937";
  return [
    {
      selector: "node",
      style: {
        label: "data(label)",
        "font-size": font,
        "font-family": "system-ui, sans-serif",
        color: text,
        "text-wrap": "wrap",
        "text-valign": "center",
        "text-halign": "center",
        "border-width": line / 2,
        "border-color": "#374151",
        // Text too small to read is not drawn: at an overview of hundreds of containers this is
        // most of the drawing time. Zoom in and it appears.
        "min-zoomed-font-size": 7,
      },
    },
    {
      selector: ":parent",
      style: {
        "text-valign": "top",
        "text-halign": "center",
        "text-margin-y": -4,
        padding: "18px",
        "font-weight": "bold",
      },
    },
    {
      selector: 'node[kind = "host"]',
      style: {
        shape: "round-rectangle",
        "background-color": COLORS.host,
        "border-color": COLORS.hostBorder,
        "border-width": line,
        "text-valign": "bottom",
        "text-margin-y": 8,
      },
    },
    {
      selector: 'node[kind = "nic"]',
      style: { shape: "round-rectangle", width: 150, height: 54, "background-color": COLORS.nic, color: "#ffffff" },
    },
    {
      selector: 'node[kind = "bridge"]',
      style: {
        shape: "round-rectangle",
        width: 250,
        height: 54,
        "background-color": COLORS.bridge,
        color: "#ffffff",
        "font-weight": "bold",
      },
    },
    {
      selector: 'node[kind = "dns"]',
      style: {
        shape: "diamond",
        width: 110,
        height: 80,
        "background-color": COLORS.dns,
        color: "#ffffff",
        "font-size": font - 1,
      },
    },
    {
      selector: 'node[kind = "veth"]',
      style: {
        shape: "ellipse",
        width: 22,
        height: 22,
        "background-color": COLORS.veth,
        "text-valign": "bottom",
        "text-margin-y": 4,
        "font-size": font - 2,
      },
    },
    {
      selector: 'node[kind = "netns"]',
      style: {
        shape: "round-rectangle",
        "background-color": COLORS.netns,
        "border-color": COLORS.netnsBorder,
        "border-width": line,
        width: 200,
        height: 60,
      },
    },
    {
      selector: 'node[kind = "iface"]',
      style: {
        shape: "round-rectangle",
        width: 230,
        height: 46,
        "background-color": COLORS.iface,
        "border-color": COLORS.netnsBorder,
      },
    },
    {
      selector: 'node[kind = "joined"]',
      style: {
        shape: "round-rectangle",
        width: 230,
        height: 46,
        "background-color": COLORS.joined,
        "border-style": "dashed",
      },
    },
    {
      selector: 'node[kind = "hostmode"]',
      style: { shape: "round-rectangle", width: 220, height: 60, "background-color": COLORS.hostmode },
    },
    {
      selector: 'node[kind = "compose"]',
      style: {
        shape: "round-rectangle",
        "background-opacity": 0.04,
        "border-style": "dashed",
        "border-color": COLORS.compose,
        "border-width": line,
        color: COLORS.compose,
      },
    },
    {
      selector: 'node[state = "exited"], node[state = "created"], node[state = "dead"]',
      style: { opacity: 0.55, "border-style": "dotted" },
    },
    {
      selector: "edge",
      style: {
        width: line,
        "curve-style": "straight",
        "line-color": COLORS.master,
        "font-size": font - 2,
        "text-background-color": "#ffffff",
        "text-background-opacity": 0.85,
        "text-background-padding": "2px",
        "min-zoomed-font-size": 7,
        color: text,
      },
    },
    { selector: 'edge[kind = "pair"]', style: { "line-color": COLORS.pair, width: line * 1.5, label: "data(label)" } },
    { selector: 'edge[kind = "master"]', style: { "line-color": COLORS.master } },
    {
      selector: 'edge[kind = "nat"]',
      style: { "line-color": COLORS.nat, "line-style": "dotted", label: "data(label)" },
    },
    { selector: 'edge[kind = "dns"]', style: { "line-color": COLORS.dns, "line-style": "dotted" } },
    {
      selector: 'edge[kind = "pid"]',
      style: {
        // Drawn above the namespace boxes it joins, or the boxes hide its label.
        "z-compound-depth": "top",
        "line-color": COLORS.pid,
        "line-style": "dashed",
        label: "data(label)",
        "target-arrow-shape": "triangle",
        "target-arrow-color": COLORS.pid,
      },
    },
    { selector: 'edge[kind = "unverified"]', style: { "line-style": "dashed", label: "data(label)" } },
    { selector: ".removed", style: { "border-color": COLORS.selected, "line-style": "dashed" } },
    { selector: ".added", style: { "border-color": COLORS.added, "border-width": line * 2.5 } },
    { selector: ".changed", style: { "border-color": COLORS.changed, "border-width": line * 2.5 } },
    ...spotStyles(line),
    {
      selector: ":selected",
      style: { "border-color": COLORS.selected, "border-width": line * 2.5, "line-color": COLORS.selected },
    },
  ];
}

/** The tour's focus and the reach panel's path: a wide halo that reads from the back of a room. */
function spotStyles(line: number): cytoscape.StylesheetJson {
  const tones = [
    ["tour", COLORS.tour],
    ["path", COLORS.path],
    ["blocked", COLORS.blocked],
  ] as const;
  return tones.flatMap(([tone, color]) => [
    {
      selector: `node.spot-${tone}`,
      style: {
        "border-color": color,
        "border-width": line * 3,
        "underlay-color": color,
        "underlay-opacity": 0.18,
        "underlay-padding": line * 4,
      },
    },
    {
      selector: `edge.spot-${tone}`,
      style: {
        "line-color": color,
        "target-arrow-color": color,
        width: line * 3,
        "underlay-color": color,
        "underlay-opacity": 0.18,
        "underlay-padding": line * 3,
      },
    },
  ]);
}
