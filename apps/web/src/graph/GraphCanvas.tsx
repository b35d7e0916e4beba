import cytoscape from "cytoscape";
import { useEffect, useLayoutEffect, useRef } from "react";
import type { GraphElement, NodeData, Ref } from "./elements";
import { EMPTY_LAYOUT, layout, type LayoutState } from "./layout";
import { CARD_FONT, lodAt, lodClasses, type Lod } from "./lod";
import { fitAll, LOD_HOOK, predictFitZoom } from "./fit";
import { applyLod, fitFarLabels } from "./lod-classes";
import { graphStyle } from "./style";

/** How long a removed element takes to fade out. */
const FADE_MS = 1500;

interface Props {
  /**
   * Each key keeps a layout of its own: the full view's never changes under a filter, and a
   * filtered view is laid out compactly from scratch.
   */
  layoutKey: string;
  elements: GraphElement[];
  /** Element id -> "added" | "changed", for a few seconds after a change. */
  highlights: Record<string, string>;
  /** Spotlit elements (tour, reach path) by id, with the class that draws them. */
  spots?: Record<string, string>;
  selectedId: string | null;
  projector: boolean;
  /** "+N more" in the language of the page, for rooms drawn as cards. */
  moreWord: string;
  /** Changes whenever the canvas should be fitted to the whole drawing again (a mode change, say). */
  fitKey: string;
  /** What drawers cover of the canvas on either side, px: a fit frames the drawing beside them. */
  inset: { left: number; right: number };
  onSelect: (ref: Ref | null, elementId: string | null) => void;
  onReady: (cy: cytoscape.Core) => void;
}

/**
 * The thin React wrapper around Cytoscape: create `cy` on mount, destroy it on unmount, and patch
 * elements by id inside one batch. Positions come from the incremental layout, so what is already
 * on screen never moves.
 */
const NO_SPOTS: Record<string, string> = {};

/** Layout-given sizes: a bridge spans its room, a room's title wraps at its width. */
function sized(data: GraphElement["data"], state: LayoutState): Record<string, number | string> {
  const w = state.widths[data.id];
  if (w === undefined) return {};
  const kind = "kind" in data ? data.kind : undefined;
  if (kind === "room") return { labelWidth: w - 20, cardFont: CARD_FONT };
  if (kind === "roomlabel") return { labelWidth: w, cardFont: CARD_FONT, fitted: "" };
  return { w };
}
const SPOT_CLASSES = "spot-tour spot-path spot-blocked";
const SPOT_SELECTOR = ".spot-tour, .spot-path, .spot-blocked";

export function GraphCanvas({
  layoutKey,
  elements,
  highlights,
  spots = NO_SPOTS,
  selectedId,
  projector,
  moreWord,
  fitKey,
  inset,
  onSelect,
  onReady,
}: Props) {
  const container = useRef<HTMLDivElement>(null);
  const cyRef = useRef<cytoscape.Core | null>(null);
  const layouts = useRef(new Map<string, LayoutState>());
  const shownKey = useRef<string | null>(null);
  const fitted = useRef(false);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;
  const lod = useRef<Lod>("detail");
  const more = useRef(moreWord);
  more.current = moreWord;
  const insetRef = useRef(inset);
  insetRef.current = inset;

  // Created in a layout effect too, so it exists before the element sync below runs.
  useLayoutEffect(() => {
    const cy = cytoscape({
      container: container.current,
      style: graphStyle(false),
      layout: { name: "preset" },
      minZoom: 0.05,
      maxZoom: 4,
      boxSelectionEnabled: false,
      autoungrabify: true,
    });
    cy.on("tap", "node, edge", (event) => {
      const target = event.target as cytoscape.SingularElementArgument;
      onSelectRef.current((target.data("ref") as Ref | undefined) ?? null, target.id());
    });
    cy.on("tap", (event) => {
      if (event.target === cy) onSelectRef.current(null, null);
    });
    // The level of detail follows the zoom; from far away the rooms' words are resized with it.
    let frame = 0;
    const setLod = (zoom: number) => {
      const next = lodAt(zoom);
      if (next !== lod.current) {
        lod.current = next;
        applyLod(cy, next);
      }
      if (next === "rooms") fitFarLabels(cy, more.current);
    };
    cy.scratch(LOD_HOOK, setLod);
    cy.on("zoom", () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        setLod(cy.zoom());
      });
    });
    // A resize re-fits the whole drawing: nodes never move, the view does.
    const observer = new ResizeObserver(() => {
      cy.resize();
      if (cy.nodes().length > 0) fitAll(cy, insetRef.current);
    });
    if (container.current) observer.observe(container.current);
    cyRef.current = cy;
    fitted.current = false;
    onReady(cy);
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame);
      cy.destroy();
    };
  }, [onReady]);

  useEffect(() => {
    cyRef.current?.style(graphStyle(projector));
  }, [projector]);

  // A layout effect: the canvas is patched before the browser paints, not a frame later.
  useLayoutEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    performance.mark("netdive:sync-start");
    if (!fitted.current) cy.resize();
    const aspect = cy.width() > 0 && cy.height() > 0 ? cy.width() / cy.height() : 16 / 9;
    const next = layout(elements, layouts.current.get(layoutKey) ?? EMPTY_LAYOUT, aspect);
    layouts.current.set(layoutKey, next);
    for (const key of layouts.current.keys()) if (key !== "" && key !== layoutKey) layouts.current.delete(key);
    const keyChanged = (shownKey.current !== null && shownKey.current !== layoutKey) || next.reflowed;
    shownKey.current = layoutKey;
    // A first view (or a new filter or scene) is added already styled for the zoom its fit will have.
    if (!fitted.current || keyChanged) lod.current = lodAt(predictFitZoom(next, cy, insetRef.current));
    const wanted = new Map(elements.map((e) => [e.data.id, e]));
    // Rooms whose words may have changed (a member came, went or changed): only they are refitted from afar.
    const touchedRooms = new Set<string>();
    cy.batch(() => {
      // What left the engine fades out before it is removed, so a workshop sees what went away;
      // what a filter hides goes at once, or it would linger over the new view.
      cy.elements().forEach((ele) => {
        if (wanted.has(ele.id())) return;
        if (keyChanged) {
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
      for (const e of elements) {
        const existing = cy.getElementById(e.data.id);
        if (existing.nonempty() && existing.data("leaving")) {
          // Back before it finished leaving: keep it.
          existing.stop();
          existing.removeData("leaving");
          existing.removeClass("removed");
          existing.removeStyle("opacity");
        }
        if (existing.empty()) {
          if (e.data.room) touchedRooms.add(e.data.room);
          const position = next.positions[e.data.id];
          added.push({
            group: e.group,
            data: { ...e.data, ...sized(e.data, next) },
            classes: lodClasses(e.group, e.data as NodeData, lod.current),
            ...(position ? { position: { ...position } } : {}),
          });
          continue;
        }
        // Touch only what changed: setting data restyles the element, and most do not change.
        const data = e.data as NodeData;
        if (
          existing.data("label") !== data.label ||
          existing.data("state") !== data.state ||
          existing.data("card") !== data.card
        ) {
          existing.data(e.data);
          if (data.room) touchedRooms.add(data.room);
        }
        const parent = data.parent ?? null;
        if (e.group === "nodes" && (existing.parent().first().id() || null) !== parent) {
          moves.push([existing as cytoscape.NodeSingular, parent]);
        }
      }
      if (added.length > 0) cy.add(added);
      for (const [node, parent] of moves) node.move({ parent });
    });
    if (lod.current === "rooms")
      fitFarLabels(cy, more.current, keyChanged || !fitted.current ? undefined : touchedRooms);
    performance.mark("netdive:sync-end");
    if (keyChanged) {
      // Boxes first (a box's own position is where it stands when what it holds is not
      // displayed; moving it moves what it holds), then every leaf to its own place.
      cy.nodes('[kind = "netns"]').forEach((n) => {
        const p = next.positions[n.id()];
        if (p) n.position({ ...p });
      });
      cy.nodes().forEach((n) => {
        const p = next.positions[n.id()];
        if (p && n.isChildless()) n.position({ ...p });
      });
    }
    if ((keyChanged || !fitted.current) && cy.nodes().length > 0) {
      fitAll(cy, insetRef.current);
      fitted.current = true;
    }
  }, [elements, layoutKey]);

  // Entering or leaving projector mode (or anything else that reshapes the canvas) re-fits the view.
  useLayoutEffect(() => {
    const cy = cyRef.current;
    if (!cy || !fitted.current) return;
    cy.resize();
    fitAll(cy, insetRef.current);
  }, [fitKey]);

  // Only what starts or stops glowing is touched: restyling a box restyles what it holds.
  const glowing = useRef<Record<string, string>>({});
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    const before = glowing.current;
    cy.batch(() => {
      for (const [id, kind] of Object.entries(before)) {
        if (highlights[id] !== kind) cy.getElementById(id).removeClass(kind);
      }
      for (const [id, kind] of Object.entries(highlights)) {
        const ele = cy.getElementById(id);
        if (before[id] !== kind || !ele.hasClass(kind)) ele.addClass(kind);
      }
    });
    glowing.current = highlights;
  }, [highlights, elements]);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.batch(() => {
      cy.elements(SPOT_SELECTOR).removeClass(SPOT_CLASSES);
      for (const [id, tone] of Object.entries(spots)) cy.getElementById(id).addClass(`spot-${tone}`);
    });
  }, [spots, elements]);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.$(":selected").unselect();
    if (selectedId) cy.getElementById(selectedId).select();
  }, [selectedId, elements]);

  return <div ref={container} className="graph" data-testid="graph" role="img" aria-label="network diagram" />;
}
