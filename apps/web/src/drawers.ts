/** Widths of the projector mode's drawers, px (styles.css sets the same). */
export const LIST_DRAWER_PX = 340;
export const DETAILS_DRAWER_PX = 520;

/** What the open drawers cover of the canvas, px: nothing outside projector mode, where they are columns. */
export function drawerInset(
  projector: boolean,
  drawers: { list: boolean; details: boolean },
): { left: number; right: number; top: number } {
  if (!projector) return { left: 0, right: 0, top: 0 };
  return {
    // The toggles over the canvas's top edge are not kept clear: 48 px less height cost the lab's
    // smaller room cards their names at 1280x720 (glance e2e, depending on the subnets' lengths).
    top: 0,
    left: drawers.list ? LIST_DRAWER_PX : 0,
    right: drawers.details ? Math.min(DETAILS_DRAWER_PX, window.innerWidth * 0.6) : 0,
  };
}
