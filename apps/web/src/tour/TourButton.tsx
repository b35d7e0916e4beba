import { useNetdive } from "../store/hooks";
import { tourText } from "./tour-text";
import { useTour } from "./tour-state";

/** The toolbar's switch for the tour (the `t` key does the same). */
export function TourButton() {
  const language = useNetdive((s) => s.language);
  const open = useTour((s) => s.open);
  const toggle = useTour((s) => s.toggle);
  return (
    <button type="button" aria-pressed={open} onClick={toggle} data-testid="tour-toggle" title="t">
      {tourText[language].tour}
    </button>
  );
}
