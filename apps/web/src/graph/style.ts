import type cytoscape from "cytoscape";
import { EMPTY_HOST_WIDTH, HOST_DOWN_HEIGHT } from "./engine-layout";
import { GRID } from "./room-packing";
import { flowStyles } from "./flow-style";
import { CARD_FONT, CARD_LINE_HEIGHT, DETAIL_FONT, MIN_TEXT_PX } from "./lod";

/** Colours shared with the legend, so both always say the same thing. */
export const COLORS = {
  host: "#eef1f5",
  room: "#fbfcfe",
  roomBorder: "#c58a3a",
  roomText: "#7a4300",
  roomCard: "#fff3e0",
  hostBorder: "#5b6b7f",
  unreachable: "#d9dce1",
  unreachableText: "#4a5260",
  nic: "#1f4e8c",
  bridge: "#e07b00",
  bridgeFill: "#ffe3c2",
  bridgeText: "#5c2d00",
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
  port: "#0f766e",
  added: "#16a34a",
  changed: "#d97706",
  selected: "#e11d48",
  tour: "#2563eb",
  path: "#16a34a",
  blocked: "#dc2626",
};

/**
 * The stylesheet. Every word is drawn at {@link MIN_TEXT_PX} CSS pixels or more, or not at all:
 * the figure's small print is {@link DETAIL_FONT} model units and shows from zoom 1, the cards'
 * and rooms' titles {@link CARD_FONT} and show from zoom 0.5 (lod.ts decides, by class, what is
 * drawn at a zoom). Projector mode thickens lines and darkens text for a wall at the back of a room.
 */
export function graphStyle(projector: boolean): cytoscape.StylesheetJson {
  const font = DETAIL_FONT;
  const line = projector ? 3 : 1.6;
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
        // A backstop behind the level of detail: never draw text below the readable size.
        "min-zoomed-font-size": MIN_TEXT_PX,
      },
    },
    {
      selector: ":parent",
      style: {
        "text-valign": "top",
        "text-halign": "center",
        "text-margin-y": -4,
        padding: "10px",
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
        "font-size": CARD_FONT,
        padding: "30px",
      },
    },
    {
      // An engine that cannot be read: its box greyed and dashed, holding the reason.
      selector: 'node[kind = "host"][state = "unreachable"]',
      style: { "background-color": COLORS.unreachable, "border-style": "dashed", color: COLORS.unreachableText },
    },
    {
      selector: 'node[kind = "hostdown"]',
      style: {
        shape: "round-rectangle",
        width: EMPTY_HOST_WIDTH,
        height: HOST_DOWN_HEIGHT,
        "background-opacity": 0,
        "border-width": 0,
        label: "data(label)",
        color: COLORS.unreachableText,
        // Read from as far as the boxes beside it: larger than a card's words.
        "font-size": CARD_FONT * 1.4,
        "text-valign": "center",
        "text-halign": "center",
        "text-wrap": "wrap",
        "text-max-width": `${EMPTY_HOST_WIDTH - 40}px`,
      },
    },
    {
      selector: 'node[kind = "room"]',
      style: {
        shape: "round-rectangle",
        "background-color": COLORS.room,
        "border-color": COLORS.roomBorder,
        "border-width": line,
        "font-size": CARD_FONT,
        "text-max-width": "data(labelWidth)",
        padding: "14px",
        color: COLORS.roomText,
      },
    },
    {
      // Shown only from far away (lod.ts): a point that carries its room's card.
      selector: 'node[kind = "roomlabel"]',
      style: { display: "none", width: 1, height: 1, "background-opacity": 0, "border-width": 0, events: "no" },
    },
    {
      // A closed room's extent (mount.ts): it holds the room's frame, unseen.
      selector: 'node[kind = "roomspan"]',
      style: { width: "data(w)", height: "data(h)", visibility: "hidden", events: "no", label: "" },
    },
    {
      selector: 'node[kind = "nic"]',
      style: {
        shape: "round-rectangle",
        width: 240,
        height: 76,
        "background-color": COLORS.nic,
        color: "#ffffff",
        "font-size": CARD_FONT,
      },
    },
    {
      // A published port: the host side of the path (port-elements.ts), under the NIC.
      selector: 'node[kind = "port"]',
      style: {
        shape: "round-rectangle",
        width: 360,
        height: 80,
        "background-color": "#e6f4f1",
        "border-color": COLORS.port,
        "border-width": 3,
        color: "#0b3d37",
        "font-size": 16,
        "text-wrap": "wrap",
        "text-max-width": "350px",
        "text-valign": "center",
        "text-halign": "center",
      },
    },
    {
      selector: 'node[kind = "bridge"]',
      style: {
        label: "data(wrap)",
        shape: "round-rectangle",
        width: "data(w)",
        height: GRID.bar,
        // Light, with dark words: a long name that wraps past the bar stays readable around it.
        "background-color": COLORS.bridgeFill,
        "border-color": COLORS.bridge,
        "border-width": line * 2,
        color: COLORS.bridgeText,
        "font-weight": "bold",
        "font-size": CARD_FONT,
        "text-max-width": "data(w)",
        "line-height": 1.1,
      },
    },
    // A narrow room's bridge, whose words take three lines, is taller (canvas-sync.ts).
    { selector: 'node[kind = "bridge"][barH]', style: { height: "data(barH)" } },
    {
      // A macvlan or ipvlan network's bar is the host interface its containers ride on: drawn as
      // the host's NIC is, dashed where a bridge's is solid (it forwards nothing through the host).
      selector: 'node[kind = "bridge"][?riding]',
      style: {
        "background-color": COLORS.nic,
        "border-color": COLORS.bridgeFill,
        "border-style": "dashed",
        color: "#ffffff",
        // Words that wrap past the bar stay legible over the room's light ground.
        "text-outline-color": COLORS.nic,
        "text-outline-width": 3,
      },
    },
    {
      selector: 'node[kind = "dns"]',
      style: {
        shape: "diamond",
        width: 60,
        height: 60,
        "background-color": COLORS.dns,
        "text-valign": "top",
        "text-margin-y": -4,
      },
    },
    {
      selector: 'node[kind = "veth"]',
      style: {
        shape: "ellipse",
        width: 16,
        height: 16,
        "background-color": COLORS.veth,
        "text-valign": "center",
        "text-halign": "right",
        "text-margin-x": 4,
      },
    },
    {
      selector: 'node[kind = "netns"]',
      style: {
        shape: "round-rectangle",
        "background-color": COLORS.netns,
        "border-color": COLORS.netnsBorder,
        "border-width": line,
        "font-weight": "normal",
        width: 200,
        height: 60,
      },
    },
    {
      selector: 'node[kind = "iface"]',
      style: {
        shape: "round-rectangle",
        width: 200,
        height: 34,
        "background-color": COLORS.iface,
        "border-color": COLORS.netnsBorder,
      },
    },
    {
      selector: 'node[kind = "joined"]',
      style: {
        shape: "round-rectangle",
        width: 200,
        height: 34,
        "background-color": COLORS.joined,
        "border-style": "dashed",
      },
    },
    {
      selector: 'node[kind = "hostmode"]',
      style: { shape: "round-rectangle", width: 216, height: 90, "background-color": COLORS.hostmode },
    },
    {
      selector: 'node[kind = "compose"]',
      style: {
        shape: "round-rectangle",
        "background-opacity": 0.05,
        "border-style": "dashed",
        "border-color": COLORS.compose,
        "border-width": line,
        color: COLORS.compose,
        // Close up, above the box's top edge, in the room's margin: at its bottom edge the words
        // were cut by the box's own drawing (a label moved inside by a margin is clipped) and sat
        // on the veth lines.
        "text-valign": "top",
        "text-margin-y": -2,
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
        "font-size": font,
        "text-background-color": "#ffffff",
        "text-background-opacity": 0.85,
        "text-background-padding": "2px",
        "min-zoomed-font-size": MIN_TEXT_PX,
        color: text,
      },
    },
    { selector: 'edge[kind = "pair"]', style: { "line-color": COLORS.pair, width: line * 1.5 } },
    {
      // Plugged into the bridge straight below: the line turns at the bridge's centre line, behind it.
      selector: 'edge[kind = "master"]',
      style: { "curve-style": "taxi", "taxi-direction": "downward", "taxi-turn": "100%", "line-color": COLORS.master },
    },
    {
      // Down to the row's bus below the bridges, along it to the host's edge, down to the NIC.
      selector: 'edge[kind = "nat"]',
      style: {
        "curve-style": "taxi",
        "taxi-direction": "downward",
        "taxi-turn": GRID.natTurn,
        "line-color": COLORS.nat,
        "line-style": "dotted",
        "source-label": "data(label)",
        "source-text-offset": 40,
        "source-text-margin-x": 16,
      },
    },
    { selector: 'edge[kind = "dns"]', style: { "line-color": COLORS.dns, "line-style": "dotted" } },
    // Gateway mode "routed": the bridge's traffic leaves as it is, no NAT.
    { selector: 'edge[kind = "nat"][?routed]', style: { "line-style": "solid" } },
    {
      // Straight down from the interface to the parent's bar: one cable, no veth between.
      selector: 'edge[kind = "rides"]',
      style: {
        "curve-style": "taxi",
        "taxi-direction": "downward",
        "taxi-turn": "100%",
        "line-color": COLORS.nic,
        width: line * 1.5,
      },
    },
    {
      // The bar is the NIC itself: down to the row's bus and along it to the NIC, solid (no NAT).
      selector: 'edge[kind = "parent"]',
      style: {
        "curve-style": "taxi",
        "taxi-direction": "downward",
        "taxi-turn": GRID.natTurn,
        "line-color": COLORS.nic,
        "source-label": "data(label)",
        "source-text-offset": 40,
        "source-text-margin-x": 16,
      },
    },
    {
      selector: 'edge[kind = "member"]',
      style: { "line-color": COLORS.master, "line-style": "dashed", "curve-style": "straight" },
    },
    {
      selector: 'edge[kind = "pid"]',
      style: {
        // Drawn above the namespace boxes it joins. No words: the layout puts the two boxes side by
        // side (the arrow crosses only the gap between them), and the joiner's title names the owner.
        "z-compound-depth": "top",
        "curve-style": "straight",
        "line-color": COLORS.pid,
        "line-style": "dashed",
        "target-arrow-shape": "triangle",
        "target-arrow-color": COLORS.pid,
      },
    },
    { selector: 'edge[kind = "unverified"]', style: { "line-style": "dashed", label: "data(label)" } },
    {
      // From the host's address:port up to the NIC, where the bridges' NAT lines come down.
      selector: 'edge[kind = "publish"]',
      style: {
        "curve-style": "straight",
        "line-color": COLORS.port,
        width: line * 2,
        "target-arrow-shape": "triangle",
        "target-arrow-color": COLORS.port,
        label: "data(label)",
        "text-margin-x": 30,
      },
    },
    ...lodStyles(),
    { selector: ".removed", style: { "border-color": COLORS.selected, "line-style": "dashed" } },
    { selector: ".added", style: { "border-color": COLORS.added, "border-width": line * 3 } },
    { selector: ".changed", style: { "border-color": COLORS.changed, "border-width": line * 3 } },
    ...flowStyles(line),
    ...spotStyles(line),
    {
      selector: ":selected",
      style: { "border-color": COLORS.selected, "border-width": line * 3, "line-color": COLORS.selected },
    },
  ];
}

/** What lod.ts's classes change: hidden detail, cards in place of boxes, rooms as cards. */
function lodStyles(): cytoscape.StylesheetJson {
  return [
    // Gone: not drawn, not measured. Ghost: not drawn, but still holds its place in its box or room.
    { selector: "node.lod-hide", style: { display: "none" } },
    { selector: "node.lod-ghost", style: { visibility: "hidden", events: "no" } },
    { selector: "edge.lod-hide", style: { display: "none" } },
    { selector: "edge.lod-quiet", style: { label: "", "source-label": "" } },
    {
      selector: "node.lod-card",
      style: {
        label: "data(card)",
        "font-size": CARD_FONT,
        "text-valign": "center",
        "text-halign": "center",
        "text-margin-y": 0,
        "font-weight": "normal",
        "line-height": 1.15,
      },
    },
    // From far away the room is its card (its label node writes it): the frame itself says nothing.
    { selector: "node.lod-roomfill", style: { "background-color": COLORS.roomCard, label: "" } },
    // From far away a selected container's box is not drawn: its room's card is outlined instead.
    {
      selector: "node.lod-roomfill.holds-selection",
      style: { "border-color": COLORS.selected, "border-width": 24, "border-opacity": 1 },
    },
    {
      // From far away, a room's label node writes its card over the room, up from above the bridge.
      selector: "node.lod-roomcard",
      style: {
        display: "element",
        label: "data(fitted)",
        "font-size": "data(cardFont)",
        "line-height": CARD_LINE_HEIGHT,
        "text-max-width": "data(labelWidth)",
        "text-valign": "top",
        "text-halign": "right",
        "text-justification": "left",
        "font-weight": "bold",
        color: COLORS.roomText,
      },
    },
    {
      // A line that passes over a container's card (between rooms, a PID join) never strikes its words out.
      // The box grows upwards (the layout left the room) until its card fits inside it.
      selector: 'node.lod-card[kind = "netns"]',
      style: {
        "text-background-color": COLORS.netns,
        "text-background-opacity": 0.9,
        "min-height": "data(cardH)",
        "min-height-bias-top": "100%",
        "min-height-bias-bottom": "0%",
        // Compound sizing properties the type definitions do not list.
      } as cytoscape.Css.Node,
    },
    // A compose project's name above its frame: below it, the room's bridge says its network's name.
    { selector: "node.lod-loud", style: { "font-size": CARD_FONT, "text-valign": "top", "text-margin-y": -4 } },
    // A compose project's name is no wider than its frame: side by side, two frames' names would run together.
    { selector: "node.lod-loud[labelWidth]", style: { "text-wrap": "ellipsis", "text-max-width": "data(labelWidth)" } },
    {
      selector: "node.lod-far",
      style: { "font-size": "data(cardFont)", "text-max-width": "data(labelWidth)" },
    },
    // From far away a host-mode container's words hang below it, away from the rooms above.
    { selector: 'node.lod-far[kind = "hostmode"]', style: { "text-valign": "bottom", "text-margin-y": 4 } },
    { selector: "node.lod-far[short]", style: { label: "data(short)" } },
  ];
}

/** The tour's focus and the reach panel's path: a wide halo that reads from the back of a room. */
function spotStyles(line: number): cytoscape.StylesheetJson {
  const tones = [
    ["tour", COLORS.tour],
    ["path", COLORS.path],
    ["blocked", COLORS.blocked],
  ] as const;
  const lit: cytoscape.StylesheetJson = tones.flatMap(([tone, color]) => [
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
  // Set aside by a step: not drawn while the step is on.
  return [...lit, { selector: ".spot-aside", style: { visibility: "hidden", events: "no" } }];
}
