import type cytoscape from "cytoscape";
import { useEffect, useRef, useState, type RefObject } from "react";
import { isCompact } from "../store/ui-slice";
import { useNetdive } from "../store/hooks";
import { drawerInset } from "../drawers";
import { focusCanvas } from "../graph/focus-canvas";
import { MIN_TEXT_PX } from "../graph/lod";
import type { StepResult } from "./types";

/** Room left between the panel and the focused elements, in pixels. */
const GAP = 16;
/** On a projector, what a step talks about is drawn at least this large (CSS px): the back row reads it. */
export const PROJECTOR_TEXT_PX = 18;

/**
 * Puts a step on the canvas: lights its elements (the store's "tour" spots, cleared when the
 * tour closes), brings them into view above the panel, and selects what the step names so the
 * details panel shows it. A selection the tour made is dropped when a later step selects nothing.
 */
export function useSpotlight(
  cy: cytoscape.Core | null,
  result: StepResult | null,
  stepKey: string,
  panel: RefObject<HTMLElement | null>,
): void {
  const { setSpots, select, selected, projector, wall, setDrawer, drawers } = useNetdive((s) => ({
    setSpots: s.setSpots,
    select: s.select,
    selected: s.selected,
    projector: isCompact(s),
    wall: s.projector,
    setDrawer: s.setDrawer,
    drawers: s.drawers,
  }));
  // What an open drawer covers is no room for the focus (projector mode; `d` opens the details).
  const right = drawerInset(projector, drawers).right;
  const spotKey = result?.kind === "focus" ? result.spots.join(" ") : "";
  const asideKey = result?.kind === "focus" ? (result.aside ?? []).join(" ") : "";
  const target = result?.kind === "focus" ? result.select : undefined;
  const targetKey = target ? JSON.stringify(target) : "";
  const selectedKey = useRef("");
  selectedKey.current = selected ? JSON.stringify(selected) : "";
  const ours = useRef("");
  // The panel grows when a step's cited lines arrive: the focus is framed above it again.
  const [panelHeight, setPanelHeight] = useState(0);
  useEffect(() => {
    const element = panel.current;
    if (!element) return;
    setPanelHeight(element.offsetHeight);
    const observer = new ResizeObserver(() => setPanelHeight(element.offsetHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, [panel]);

  useEffect(() => {
    const ids = spotKey ? spotKey.split(" ") : [];
    const aside = asideKey ? asideKey.split(" ") : [];
    setSpots("tour", {
      ...Object.fromEntries(aside.map((id) => [id, "aside" as const])),
      ...Object.fromEntries(ids.map((id) => [id, "tour" as const])),
    });
  }, [spotKey, asideKey, setSpots]);
  useEffect(() => () => setSpots("tour", {}), [setSpots]);

  useEffect(() => {
    if (!cy || !spotKey) return;
    const inset = { bottom: panelHeight + GAP, right };
    focusCanvas(cy, spotKey.split(" "), inset, wall ? PROJECTOR_TEXT_PX : MIN_TEXT_PX);
  }, [cy, spotKey, stepKey, panelHeight, right, wall]);

  useEffect(() => {
    if (target) {
      select(target);
      // On a projector the wall is for the diagram: the details stay one key (d) away.
      if (projector) setDrawer("details", false);
      ours.current = targetKey;
    } else if (ours.current && ours.current === selectedKey.current) {
      select(null);
      ours.current = "";
    }
    // Only when the step or its target changes: a live update must not undo the user's own clicks.
  }, [stepKey, targetKey]);
}
