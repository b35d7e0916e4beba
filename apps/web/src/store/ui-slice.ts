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
  /** In projector mode the list and the details are drawers over the canvas: which are open. */
  drawers: { list: boolean; details: boolean };
  select: (ref: Ref | null) => void;
  setView: (view: Partial<View>) => void;
  setLanguage: (language: Language) => void;
  setProjector: (on: boolean) => void;
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
    drawers: { list: false, details: false },
    // A selection opens the details drawer; clearing it closes the drawer.
    select: (selected) => set((s) => ({ selected, drawers: { ...s.drawers, details: selected !== null } })),
    setView: (view) => set((s) => ({ view: { ...s.view, ...view } })),
    setLanguage: (language) => set({ language }),
    setProjector: (projector) => set({ projector, drawers: { list: false, details: false } }),
    setSpots: (source, spots) => set((s) => ({ spots: { ...s.spots, [source]: spots } })),
    setDrawer: (drawer, open) => set((s) => ({ drawers: { ...s.drawers, [drawer]: open } })),
  });
