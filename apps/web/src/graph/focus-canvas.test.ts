import { describe, expect, it } from "vitest";
import { readableZoom } from "./focus-canvas";

/** The zoom a tour step's focus gets so its words read at a size (focus-canvas.ts). */
describe("readableZoom", () => {
  it("keeps the preferred zoom where the words already read", () => {
    expect(readableZoom(0.7, false, 18, 2)).toBe(0.7); // cards' words: 30 x 0.7 = 21 px
    expect(readableZoom(1.6, true, 18, 2)).toBe(1.6); // small print: 12 x 1.6 = 19 px
    expect(readableZoom(0.5, false, 12, 2)).toBe(0.5); // off a projector, 12 px is enough
  });

  it("comes as close as the words need, when the focus still fits there", () => {
    expect(readableZoom(0.5, false, 18, 2)).toBeCloseTo(0.6); // cards' words at 18 px
    expect(readableZoom(1, true, 18, 2)).toBe(1.5); // the figure's small print at 18 px
  });

  it("never lands between the two levels, where a box's words are the small print at under 18 px", () => {
    // At 1.2 a box shows its 12-unit title (14 px): just under the figure's level, or at 1.5.
    const z = readableZoom(1.2, false, 18, 2)!;
    expect(z < 1 || z >= 1.5).toBe(true);
    expect(readableZoom(1.2, false, 18, 1.3)).toBeLessThan(1);
  });

  it("gives up (null) when no readable zoom fits the focus", () => {
    expect(readableZoom(1, true, 18, 1.2)).toBeNull();
    expect(readableZoom(0.4, false, 18, 0.5)).toBeNull();
  });
});
