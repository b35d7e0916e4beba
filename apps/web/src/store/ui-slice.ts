import type { StateCreator } from "zustand";
import type { Ref, Spots } from "../graph/elements";
import { DEFAULT_VIEW, type View } from "../graph/view-filter";
import type { Language } from "../i18n";

export type { SpotTone, Spots } from "../graph/elements";

export interface UiSlice {
  selected: Ref | null;
  /** Spotlights by source, so the tour and the reach panel never erase each other's. */
  spots: { tour: Spots; reach: Spots };
  view: View;
  language: Language;
  projector: boolean;
  /** The window is {@link NARROW_PX} wide or less: the list and the details become drawers, as in projector mode. */
  narrow: boolean;
  /** In projector mode (and on a narrow window) the list and the details are drawers over the canvas: which are open. */
  drawers: { list: boolean; details: boolean };
  select: (ref: Ref | null) => void;
  setView: (view: Partial<View>) => void;
  setLanguage: (language: Language) => void;
  setProjector: (on: boolean) => void;
  setNarrow: (narrow: boolean) => void;
  setSpots: (source: "tour" | "reach", spots: Spots) => void;
  setDrawer: (drawer: "list" | "details", open: boolean) => void;
}

export const createUiSlice =
  (language: Language, projector = false): StateCreator<UiSlice> =>
  (set) => ({
    selected: null,
    spots: { tour: {}, reach: {} },
    view: DEFAULT_VIEW,
    language,
    projector,
    narrow: isNarrow(),
    drawers: { list: false, details: false },
    // A selection opens the details drawer; clearing it closes the drawer.
    select: (selected) => set((s) => ({ selected, drawers: { ...s.drawers, details: selected !== null } })),
    setView: (view) => set((s) => ({ view: { ...s.view, ...view } })),
    setLanguage: (language) => set({ language }),
    setProjector: (projector) => set({ projector, drawers: { list: false, details: false } }),
    setNarrow: (narrow) => set((s) => (s.narrow === narrow ? s : { narrow, drawers: { list: false, details: false } })),
    setSpots: (source, spots) => set((s) => ({ spots: { ...s.spots, [source]: spots } })),
    setDrawer: (drawer, open) => set((s) => ({ drawers: { ...s.drawers, [drawer]: open } })),
  });

/** At this width or less (a 1366x768 laptop, a 1280x720 projector) the canvas gets the screen. */
export const NARROW_PX = 1366;
export const NARROW_QUERY = `(max-width: ${NARROW_PX}px)`;

function isNarrow(): boolean {
  return typeof window !== "undefined" && (window.matchMedia?.(NARROW_QUERY).matches ?? false);
}

/** Whether the list and the details are drawers over the canvas (projector mode, or a narrow window). */
export const isCompact = (s: Pick<UiSlice, "projector" | "narrow">): boolean => s.projector || s.narrow;
