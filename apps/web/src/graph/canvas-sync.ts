import type cytoscape from "cytoscape";
import type { GraphElement, NodeData } from "./elements";
import type { LayoutState } from "./layout";
import { barLines, CARD_FONT, lodClasses, type Lod } from "./lod";
import { GRID } from "./room-packing";
import { LOD_CLASSES } from "./lod-classes";
import { spanPosition } from "./mount";

/** Scratch key: the element data an element on the canvas was last synced from. */
const SOURCE = "_netdiveSource";

/** Compared data an element may have one moment and not the next. */
const OPTIONAL_KEYS = ["state", "card", "h"] as const;

/** How long a removed element takes to fade out. */
const FADE_MS = 1500;

/** Layout-given sizes: a bridge spans its room, a room's title wraps at its width. */
function sized(data: GraphElement["data"], state: LayoutState): Record<string, number | string> {
  const w = state.widths[data.id];
  if (w === undefined) return {};
  const kind = "kind" in data ? data.kind : undefined;
  if (kind === "room") return { labelWidth: w - 20, cardFont: CARD_FONT };
  if (kind === "roomlabel") return { labelWidth: w, cardFont: CARD_FONT, fitted: "" };
  if (kind === "host") return { w, labelWidth: w - 60 };
  if (kind === "compose") return { labelWidth: w };
  if (kind === "hostmode") return { slotWidth: w };
  if (kind === "bridge") {
    // A narrow room's bridge says its name, bridge and address on three lines: a taller bar holds
    // them. A dual-stack one whose IPv6 address would take a fourth line leaves it to the cards.
    const { wrap, label, wrapShort } = data as NodeData;
    const full = wrap ?? label;
    const words = wrapShort && barLines(full, w) > 3 ? wrapShort : full;
    return { w, wrap: words, barH: barLines(words, w) >= 3 ? GRID.tallBar : GRID.bar };
  }
  return { w };
}

export interface SyncOptions {
  /** Every element of the view (what the layout placed). */
  all: ReadonlySet<string>;
  /** What the canvas should hold now (mount.ts): `all` less the closed rooms' interiors, plus their spans. */
  mounted: readonly GraphElement[];
  state: LayoutState;
  lod: Lod;
  /** A new view (filter, scene, reflow): what is not wanted goes at once instead of fading. */
  keyChanged: boolean;
}

/**
 * Patches the canvas to hold `mounted`, by id, in one batch: adds what is new (already styled for
 * the level of detail, at its layout position), updates what changed, re-parents what moved
 * between boxes. What left the engine fades out, so a workshop sees what went away; what a
 * filter hides or a closing room takes goes at once. Returns the rooms whose words may have
 * changed (a member came, went or changed).
 */
export function syncCanvas(cy: cytoscape.Core, opts: SyncOptions): Set<string> {
  const { all, mounted, state, lod, keyChanged } = opts;
  const wanted = new Map(mounted.map((e) => [e.data.id, e]));
  const touchedRooms = new Set<string>();
  cy.batch(() => {
    cy.elements().forEach((ele) => {
      // Flows are drawn over the picture by flow-canvas.ts, which adds and removes them itself.
      if (wanted.has(ele.id()) || ele.data("flow")) return;
      if (keyChanged || all.has(ele.id()) || ele.data("kind") === "roomspan") {
        ele.stop();
        ele.remove();
        return;
      }
      if (ele.data("leaving")) return;
      ele.data("leaving", true);
      ele.addClass("removed");
      ele.animate(
        { style: { opacity: 0 } },
        { duration: FADE_MS, complete: () => void (ele.data("leaving") && ele.remove()) },
      );
    });
    const added: cytoscape.ElementDefinition[] = [];
    const moves: Array<[cytoscape.NodeSingular, string | null]> = [];
    // Nodes before edges, parents before children: Cytoscape needs both ends and the parent.
    for (const e of mounted) {
      const existing = cy.getElementById(e.data.id);
      // Built from the same objects as last time (the patch did not touch them, to-elements.ts
      // reused their room): nothing to compare. Only what a patch touched is looked at.
      if (!keyChanged && existing.nonempty() && existing.scratch(SOURCE) === e.data && !existing.data("leaving"))
        continue;
      if (existing.nonempty() && existing.data("leaving")) {
        // Back before it finished leaving: keep it.
        existing.stop();
        existing.removeData("leaving");
        existing.removeClass("removed");
        existing.removeStyle("opacity");
      }
      if (existing.empty()) {
        if (e.data.room) touchedRooms.add(e.data.room);
        const data = e.data as NodeData;
        const position =
          state.positions[e.data.id] ?? (data.kind === "roomspan" ? spanPosition(state, data.room ?? "") : undefined);
        added.push({
          group: e.group,
          data: { ...e.data, ...sized(e.data, state) },
          classes: lodClasses(e.group, data, lod),
          ...(position ? { position: { ...position } } : {}),
        });
        continue;
      }
      // Touch only what changed: setting data restyles the element, and most do not change.
      const data = e.data as NodeData;
      if (
        existing.data("label") !== data.label ||
        existing.data("state") !== data.state ||
        existing.data("card") !== data.card ||
        existing.data("h") !== data.h ||
        // A span's size is its data (a room that folds or opens changes it); a bridge's is the layout's (`sized`).
        (data.kind === "roomspan" && existing.data("w") !== data.w) ||
        !existing.data("folded") !== !data.folded
      ) {
        // A room that opens or folds (room-folding.ts): its shell is restyled for it.
        const refold = !existing.data("folded") !== !data.folded;
        // A bridge's words and height follow its width (`sized`).
        const extra = data.kind === "bridge" ? sized(e.data, state) : {};
        existing.data(refold ? { ...e.data, ...extra, folded: !!data.folded } : { ...e.data, ...extra });
        // Setting data merges: a word the element no longer has (a host's "unreachable" once its
        // engine is back) is taken away, or it would stay drawn, and be written again every patch.
        for (const key of OPTIONAL_KEYS) {
          if (data[key] === undefined && existing.data(key) !== undefined) existing.removeData(key);
        }
        if (refold) existing.removeClass(LOD_CLASSES).addClass(lodClasses(e.group, data, lod));
        if (data.room) touchedRooms.add(data.room);
        if (data.kind === "roomspan") {
          const p = spanPosition(state, data.room ?? "");
          if (p) existing.position(p);
        }
      }
      if (keyChanged) {
        // A new layout (a reflow, a room opened or folded) may give what stays new sizes.
        const size = sized(e.data, state);
        if (Object.entries(size).some(([k, v]) => k !== "fitted" && existing.data(k) !== v)) existing.data(size);
      }
      const parent = data.parent ?? null;
      if (e.group === "nodes" && (existing.parent().first().id() || null) !== parent) {
        moves.push([existing as cytoscape.NodeSingular, parent]);
      }
      existing.scratch(SOURCE, e.data);
    }
    if (added.length > 0) {
      const sources = new Map(mounted.map((e) => [e.data.id, e.data]));
      cy.add(added).forEach((ele) => void ele.scratch(SOURCE, sources.get(ele.id())));
    }
    for (const [node, parent] of moves) node.move({ parent });
  });
  return touchedRooms;
}

/**
 * After a new view (filter, scene, reflow), every node to its layout position: boxes first (a
 * box's own position is where it stands when what it holds is not displayed; moving it moves
 * what it holds), then every leaf.
 */
export function placeAll(cy: cytoscape.Core, state: LayoutState): void {
  cy.nodes('[kind = "netns"]').forEach((n) => {
    const p = state.positions[n.id()];
    if (p) n.position({ ...p });
  });
  cy.nodes().forEach((n) => {
    const p =
      state.positions[n.id()] ?? (n.data("kind") === "roomspan" ? spanPosition(state, n.data("room")) : undefined);
    if (p && n.isChildless()) n.position({ ...p });
  });
}
