import { describe, expect, it } from "vitest";
import { mapLimit } from "./map-limit";

describe("mapLimit", () => {
  it("keeps the input order, with at most `limit` calls in flight", async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
      inFlight++;
      most = Math.max(most, inFlight);
      // Items finish in another order than they came: the result keeps the input's.
      await new Promise((resolve) => setTimeout(resolve, n));
      inFlight--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });

  it("runs one at a time for a limit under one, and nothing for no items", async () => {
    let most = 0;
    let inFlight = 0;
    await mapLimit([1, 2, 3], 0, async () => {
      most = Math.max(most, ++inFlight);
      await Promise.resolve();
      inFlight--;
    });
    expect(most).toBe(1);
    expect(await mapLimit([], 4, async () => 1)).toEqual([]);
  });

  it("rejects with the first failure", async () => {
    await expect(
      mapLimit([1, 2], 2, async (n) => {
        if (n === 2) throw new Error("two failed");
        return n;
      }),
    ).rejects.toThrow("two failed");
  });
});
