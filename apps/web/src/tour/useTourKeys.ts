import { useEffect } from "react";
import { useTour } from "./tour-state";

/** Where a key belongs to what the user is typing or choosing, not to the tour. */
function isEditing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/**
 * The presenter's keys: `t` opens and closes the tour; while open, ArrowRight, PageDown and Space
 * go forward (clickers send PageDown/PageUp), ArrowLeft and PageUp go back, Escape closes.
 */
export function useTourKeys(stepCounts: readonly number[]): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || isEditing(e.target)) return;
      const tour = useTour.getState();
      if (e.key === "t") {
        tour.toggle();
      } else if (!tour.open) {
        return;
      } else if (e.key === "ArrowRight" || e.key === "PageDown") {
        tour.move(1, stepCounts);
      } else if (e.key === " ") {
        // On a button, Space presses that button.
        if (e.target instanceof HTMLButtonElement) return;
        tour.move(1, stepCounts);
      } else if (e.key === "ArrowLeft" || e.key === "PageUp") {
        tour.move(-1, stepCounts);
      } else if (e.key === "Escape") {
        tour.close();
      } else {
        return;
      }
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [stepCounts]);
}
