import cytoscape from "cytoscape";
import { useEffect, useLayoutEffect, useRef } from "react";
import { placeAll, syncCanvas } from "./canvas-sync";
import type { GraphElement, Ref } from "./elements";
import { layoutEngines } from "./engine-layout";
import { EMPTY_LAYOUT, type LayoutState } from "./layout";
import { CARD_FONT, lodAt, MIN_TEXT_PX, type Lod } from "./lod";
import { fitAll, LOD_HOOK, predictFitZoom, type Inset } from "./fit";
import { followChange } from "./follow";
import { ARROWS, nextBox, type LastMove } from "./keyboard-nav";
import { applyLod, fitFarLabels } from "./lod-classes";
import {
  MOUNT_HOOK,
  MOUNTED_EVENT,
  mountedElements,
  openRoomsOf,
  roomsHolding,
  roomsInView,
  roomsToOpen,
} from "./mount";
import { graphStyle } from "./style";

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
  /** What a screen reader says of the canvas (it holds the keys: arrows move between boxes). */
  ariaLabel?: string;
  /** Changes whenever the canvas should be fitted to the whole drawing again (a mode change, say). */
  fitKey: string;
  /** What drawers cover of the canvas on either side, px: a fit frames the drawing beside them. */
  inset: Inset;
  /**
   * A replayed moment to follow (follow.ts): what it changed (`highlights`) is brought into view;
   * `jump`: reached by a seek, so the whole host is framed again. Null when live.
   */
  follow?: { at: number; jump: boolean } | null;
  onSelect: (ref: Ref | null, elementId: string | null) => void;
  onReady: (cy: cytoscape.Core) => void;
}

/**
 * The thin React wrapper around Cytoscape: create `cy` on mount, destroy it on unmount, and patch
 * elements by id inside one batch. Positions come from the incremental layout, so what is already
 * on screen never moves.
 */
const NO_SPOTS: Record<string, string> = {};

const SPOT_CLASSES = "spot-tour spot-path spot-blocked spot-aside";
const SPOT_SELECTOR = ".spot-tour, .spot-path, .spot-blocked, .spot-aside";

export function GraphCanvas({
  layoutKey,
  elements,
  highlights,
  spots = NO_SPOTS,
  selectedId,
  projector,
  moreWord,
  ariaLabel = "network diagram",
  fitKey,
  inset,
  follow = null,
  onSelect,
  onReady,
}: Props) {
  const container = useRef<HTMLDivElement>(null);
  const cyRef = useRef<cytoscape.Core | null>(null);
  const layouts = useRef(new Map<string, LayoutState>());
  const shownKey = useRef<string | null>(null);
  /** The last arrow key's move, so the opposite arrow goes back (keyboard-nav.ts). */
  const lastMove = useRef<LastMove | null>(null);
  const fitted = useRef(false);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;
  const lod = useRef<Lod>("detail");
  const more = useRef(moreWord);
  more.current = moreWord;
  const insetRef = useRef(inset);
  insetRef.current = inset;

  // What the canvas was last synced from, and which rooms are open (mount.ts).
  const shown = useRef<{ elements: readonly GraphElement[]; all: Set<string>; state: LayoutState }>({
    elements: [],
    all: new Set(),
    state: EMPTY_LAYOUT,
  });
  const open = useRef(new Set<string>());
  // Rooms the user opened from their folded card (room-folding.ts): never folded again.
  const keepOpen = useRef(new Set<string>());
  const latest = useRef({ elements, layoutKey });
  latest.current = { elements, layoutKey };
  // What marks elements (glows, spots, the selection), for elements that arrive when a room opens.
  const marks = useRef({ highlights, spots, selectedId });
  marks.current = { highlights, spots, selectedId };

  /** Gives the elements of rooms just opened the marks their effects gave the others. */
  const markOpened = (cy: cytoscape.Core): void => {
    const { highlights: glow, spots: lit, selectedId: selected } = marks.current;
    cy.batch(() => {
      for (const [id, kind] of Object.entries(glow)) cy.getElementById(id).addClass(kind);
      for (const [id, tone] of Object.entries(lit)) cy.getElementById(id).addClass(`spot-${tone}`);
      if (selected) cy.getElementById(selected).select();
    });
  };

  /** Puts what `open` calls for on the canvas; returns the rooms whose words may have changed. */
  const sync = (cy: cytoscape.Core, keyChanged: boolean): Set<string> => {
    const { elements: list, all, state } = shown.current;
    const mounted = mountedElements(list, open.current, state);
    const touched = syncCanvas(cy, { all, mounted, state, lod: lod.current, keyChanged });
    cy.emit(MOUNTED_EVENT);
    return touched;
  };

  /**
   * Writes the rooms' cards for the zoom: every room's from far away, else the folded rooms'
   * (a folded room is its card at every zoom). `only`: the rooms whose words may have changed.
   */
  const fitCards = (cy: cytoscape.Core, only?: ReadonlySet<string>): void => {
    if (lod.current === "rooms") return fitFarLabels(cy, more.current, only);
    const rooms = shown.current.state.rooms;
    const folded = [...(only ?? Object.keys(rooms))].filter((r) => rooms[r]?.card);
    if (folded.length > 0) fitFarLabels(cy, more.current, new Set(folded));
  };

  /**
   * Lays out and patches the canvas for the latest elements. `refold`: a fresh layout whose
   * folds are chosen again (a room was opened, the canvas changed shape); the view stays where
   * it is instead of being fitted.
   */
  const draw = (cy: cytoscape.Core, refold = false): void => {
    const { elements: list, layoutKey: key } = latest.current;
    performance.mark("netdive:sync-start");
    if (!fitted.current) cy.resize();
    // What the picture may fill: the canvas less what drawers and toggles cover.
    const { left, right, top = 0 } = insetRef.current;
    const canvas = { width: Math.max(cy.width() - left - right, cy.width() / 3), height: cy.height() - top };
    const aspect = canvas.width > 0 && canvas.height > 0 ? canvas.width / canvas.height : 16 / 9;
    const previous = refold ? EMPTY_LAYOUT : (layouts.current.get(key) ?? EMPTY_LAYOUT);
    const next = layoutEngines(list, previous, aspect, { canvas, keepOpen: keepOpen.current });
    layouts.current.set(key, next);
    for (const k of layouts.current.keys()) if (k !== "" && k !== key) layouts.current.delete(k);
    const keyChanged = (shownKey.current !== null && shownKey.current !== key) || next.reflowed || refold;
    shownKey.current = key;
    shown.current = { elements: list, all: new Set(list.map((e) => e.data.id)), state: next };
    const first = !fitted.current || keyChanged;
    if (first && !refold) {
      // A first view (or a new filter or scene) is added already styled for the zoom its fit
      // will have, and what stays from the last view is restyled for it; close up, the whole
      // view is in view, so every room opens.
      const was = lod.current;
      lod.current = lodAt(predictFitZoom(next, cy, insetRef.current));
      if (lod.current !== was) applyLod(cy, lod.current);
      open.current = lod.current === "rooms" ? new Set() : new Set(Object.keys(next.rooms));
    } else if (lod.current !== "rooms") {
      // A new room in view opens (a network created while the user looks at its place).
      open.current = new Set([
        ...(refold ? [] : open.current),
        ...roomsInView(next, refold ? { x1: -Infinity, y1: -Infinity, x2: Infinity, y2: Infinity } : cy.extent()),
      ]);
    }
    const touchedRooms = sync(cy, keyChanged);
    fitCards(cy, first ? undefined : touchedRooms);
    performance.mark("netdive:sync-end");
    if (keyChanged) placeAll(cy, next);
    if (first && !refold && cy.nodes().length > 0) {
      fitAll(cy, insetRef.current);
      fitted.current = true;
    }
    if (refold) markOpened(cy);
  };

  /** Opens folded rooms: the host is laid out again with them open (others may fold to make room). */
  const unfold = (cy: cytoscape.Core, rooms: Iterable<string>): boolean => {
    const folded = [...rooms].filter((r) => shown.current.state.rooms[r]?.card);
    if (folded.length === 0) return false;
    for (const r of folded) keepOpen.current.add(r);
    draw(cy, true);
    return true;
  };

  /** Opens and closes rooms as the view calls for (mount.ts's `roomsToOpen`). */
  const remount = (cy: cytoscape.Core): void => {
    const before = open.current;
    const next = roomsToOpen(before, lod.current, shown.current.state, cy.extent());
    if (next.size === before.size && [...next].every((r) => before.has(r))) return;
    open.current = next;
    const touched = sync(cy, false);
    markOpened(cy);
    fitCards(cy, touched);
  };

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
      // A folded room's card opens where it stands, and the view follows it.
      const kind = target.data("kind") as string | undefined;
      const onCard = target.data("folded") && (kind === "room" || kind === "roomlabel");
      const room = onCard ? (target.data("room") as string | undefined) : undefined;
      if (room && unfold(cy, [room])) {
        const opened = cy.getElementById(room);
        // Opening is not choosing: the tap would leave the room selected.
        requestAnimationFrame(() => cy.elements(":selected").unselect());
        if (opened.nonempty()) {
          // Framed whole, no closer than the figure's own size: its neighbours stay in sight.
          const bb = opened.boundingBox({ includeLabels: false });
          const zoom = Math.min(1, (cy.width() - 80) / bb.w, (cy.height() - 80) / bb.h);
          const center = { x: (bb.x1 + bb.x2) / 2, y: (bb.y1 + bb.y2) / 2 };
          cy.animate({
            zoom,
            pan: { x: cy.width() / 2 - zoom * center.x, y: cy.height() / 2 - zoom * center.y },
            duration: 400,
          });
        }
        return;
      }
      onSelectRef.current((target.data("ref") as Ref | undefined) ?? null, target.id());
    });
    cy.on("tap", (event) => {
      if (event.target === cy) onSelectRef.current(null, null);
    });
    // The level of detail follows the zoom; from far away the rooms' words are resized with it.
    // Going far away closes the rooms before restyling (less to restyle); coming closer
    // restyles the cards, then opens the rooms in view (added already styled).
    let frame = 0;
    const setLod = (zoom: number) => {
      const next = lodAt(zoom);
      if (next !== lod.current) {
        lod.current = next;
        if (next === "rooms") remount(cy);
        applyLod(cy, next);
      }
      if (next !== "rooms") remount(cy);
      fitCards(cy);
    };
    cy.scratch(LOD_HOOK, setLod);
    // A focus (the tour, the reach panel) opens the rooms that hold what it frames first.
    cy.scratch(MOUNT_HOOK, (elementIds: readonly string[]) => {
      const rooms = roomsHolding(shown.current.elements, elementIds);
      if (unfold(cy, rooms)) return;
      if ([...rooms].every((r) => open.current.has(r))) return;
      open.current = new Set([...open.current, ...rooms]);
      sync(cy, false);
      markOpened(cy);
    });
    cy.on("viewport", () => {
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
    if (cy) draw(cy);
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

  // A replayed moment: once it is drawn and its changes glow, the view goes to them (at most once).
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy || !follow || !fitted.current) return;
    // A seek lands anywhere in the recording: the moment is laid out afresh, as a first view of it would be.
    if (follow.jump) draw(cy, true);
    const changed = Object.keys(marks.current.highlights);
    const undrawn = changed.filter((id) => cy.getElementById(id).empty());
    followChange(cy, changed, roomsHolding(shown.current.elements, undrawn), insetRef.current, follow.jump);
  }, [follow]);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    // A spotlight (the tour, a reach path) on what a closed or folded room holds opens that room first.
    const lit = Object.keys(spots);
    if (lit.length > 0) openRoomsOf(cy, lit);
    cy.batch(() => {
      cy.elements(SPOT_SELECTOR).removeClass(SPOT_CLASSES);
      for (const [id, tone] of Object.entries(spots)) cy.getElementById(id).addClass(`spot-${tone}`);
    });
  }, [spots, elements]);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.$(":selected").unselect();
    cy.nodes(".holds-selection").removeClass("holds-selection");
    if (!selectedId) return;
    // From far away its room is closed (a card): open it, so the selection is on the canvas.
    openRoomsOf(cy, [selectedId]);
    cy.getElementById(selectedId).select();
    // Far away the box itself is not drawn: its room's card is outlined (style.ts), and brought into view.
    const rooms = cy.collection();
    for (const r of roomsHolding(shown.current.elements, [selectedId])) rooms.merge(cy.getElementById(r));
    rooms.addClass("holds-selection");
    if (lod.current === "rooms" && rooms.nonempty()) {
      const bb = rooms.renderedBoundingBox({ includeLabels: false });
      const { left, right, top = 0 } = insetRef.current;
      if (bb.x1 < left || bb.x2 > cy.width() - right || bb.y1 < top || bb.y2 > cy.height())
        cy.animate({ center: { eles: rooms } }, { duration: 400 });
    }
  }, [selectedId, elements]);

  /**
   * Arrow keys move the selection from box to box (keyboard-nav.ts); far away, where no box is
   * drawn, the first arrow comes close enough to draw them.
   */
  const onKeyDown = (event: React.KeyboardEvent<HTMLDivElement>) => {
    const direction = ARROWS[event.key];
    const cy = cyRef.current;
    if (!direction || !cy || event.ctrlKey || event.metaKey || event.altKey) return;
    event.preventDefault();
    // Far away the boxes are not drawn (rooms are cards): come close enough to draw them first.
    if (lod.current === "rooms") {
      const around = cy.getElementById(marks.current.selectedId ?? "");
      cy.animate(
        { zoom: MIN_TEXT_PX / CARD_FONT, center: { eles: around.nonempty() ? around : cy.elements() } },
        { duration: 300 },
      );
      return;
    }
    const boxes: cytoscape.NodeCollection = cy
      .nodes('[kind = "netns"], [kind = "hostmode"]')
      .filter((n) => n.visible());
    if (boxes.empty()) return;
    const selected = cy.getElementById(marks.current.selectedId ?? "");
    const from =
      selected.nonempty() && boxes.contains(selected)
        ? { id: selected.id(), ...(selected as cytoscape.NodeSingular).position() }
        : null;
    const id = nextBox(
      from,
      boxes.map((n: cytoscape.NodeSingular) => ({ id: n.id(), ...n.position() })),
      direction,
      lastMove.current,
    );
    if (!id) return;
    lastMove.current = from ? { from: from.id, to: id, direction } : null;
    const box = cy.getElementById(id);
    onSelectRef.current((box.data("ref") as Ref | undefined) ?? null, id);
    const bb = box.renderedBoundingBox({ includeLabels: true });
    const { left, right, top = 0 } = insetRef.current;
    if (bb.x1 < left || bb.x2 > cy.width() - right || bb.y1 < top || bb.y2 > cy.height())
      cy.animate({ center: { eles: box } }, { duration: 250 });
  };

  return (
    <div
      ref={container}
      className="graph"
      data-testid="graph"
      role="application"
      aria-label={ariaLabel}
      aria-roledescription="network diagram"
      tabIndex={0}
      id="diagram"
      onKeyDown={onKeyDown}
    />
  );
}
