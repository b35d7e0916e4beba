import type { StateCreator } from "zustand";
import { DEFAULT_VIEW, type Ref, type View } from "../graph/to-elements";
import type { Language } from "../i18n";
import type { Store } from "./index";

/** How a spotlit element is drawn: the tour's focus, a reachable path, or where a path stops. */
export type SpotTone = "tour" | "path" | "blocked";

/** Elements lit by one source (the tour or the reach panel), by canvas element id. */
export type Spots = Record<string, SpotTone>;

export interface UiSlice {
  selected: Ref | null;
  /** Spotlights by source, so the tour and the reach panel never erase each other's. */
  spots: { tour: Spots; reach: Spots };
  view: View;
  language: Language;
  projector: boolean;
  select: (ref: Ref | null) => void;
  setView: (view: Partial<View>) => void;
  setLanguage: (language: Language) => void;
  setProjector: (on: boolean) => void;
  setSpots: (source: "tour" | "reach", spots: Spots) => void;
}

export const createUiSlice =
  (language: Language): StateCreator<Store, [], [], UiSlice> =>
  (set) => ({
    selected: null,
    spots: { tour: {}, reach: {} },
    view: DEFAULT_VIEW,
    language,
    projector: false,
    select: (selected) => set({ selected }),
    setView: (view) => set((s) => ({ view: { ...s.view, ...view } })),
    setLanguage: (language) => set({ language }),
    setProjector: (projector) => set({ projector }),
    setSpots: (source, spots) => set((s) => ({ spots: { ...s.spots, [source]: spots } })),
  });
