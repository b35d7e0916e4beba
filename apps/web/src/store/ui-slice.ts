import type { StateCreator } from "zustand";
import { DEFAULT_VIEW, type Ref, type View } from "../graph/to-elements";
import type { Language } from "../i18n";
import type { Store } from "./index";

export interface UiSlice {
  selected: Ref | null;
  view: View;
  language: Language;
  projector: boolean;
  select: (ref: Ref | null) => void;
  setView: (view: Partial<View>) => void;
  setLanguage: (language: Language) => void;
  setProjector: (on: boolean) => void;
}

export const createUiSlice =
  (language: Language): StateCreator<Store, [], [], UiSlice> =>
  (set) => ({
    selected: null,
    view: DEFAULT_VIEW,
    language,
    projector: false,
    select: (selected) => set({ selected }),
    setView: (view) => set((s) => ({ view: { ...s.view, ...view } })),
    setLanguage: (language) => set({ language }),
    setProjector: (projector) => set({ projector }),
  });
