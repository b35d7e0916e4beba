import { create } from "zustand";

/** Where the tour stands: a chapter and a step in it, both 0-based. */
export interface TourPosition {
  chapter: number;
  step: number;
}

/**
 * One step forward or back across chapters: past a chapter's last step comes the next chapter's
 * first, before its first comes the previous chapter's last; the tour's ends stay put.
 */
export function advance(at: TourPosition, delta: 1 | -1, stepCounts: readonly number[]): TourPosition {
  const count = stepCounts[at.chapter] ?? 0;
  const step = at.step + delta;
  if (step >= 0 && step < count) return { chapter: at.chapter, step };
  const chapter = at.chapter + delta;
  const next = stepCounts[chapter];
  if (next === undefined || next === 0) return at;
  return { chapter, step: delta > 0 ? 0 : next - 1 };
}

/** The tour's own state: whether it is open and where it stands. Only the tour and its button use it. */
export interface TourState extends TourPosition {
  open: boolean;
  toggle: () => void;
  close: () => void;
  /** Opens a chapter at a step (its first by default). */
  go: (chapter: number, step?: number) => void;
  move: (delta: 1 | -1, stepCounts: readonly number[]) => void;
}

export const useTour = create<TourState>()((set) => ({
  open: false,
  chapter: 0,
  step: 0,
  toggle: () => set((s) => ({ open: !s.open })),
  close: () => set({ open: false }),
  go: (chapter, step = 0) => set({ chapter, step }),
  move: (delta, stepCounts) => set((s) => advance(s, delta, stepCounts)),
}));
