import { describe, expect, it } from "vitest";
import { nextBox } from "./keyboard-nav";

// Two rows of three boxes, 260 apart, and one box far to the right of the lower row.
const boxes = [
  { id: "a", x: 0, y: 0 },
  { id: "b", x: 260, y: 0 },
  { id: "c", x: 520, y: 0 },
  { id: "d", x: 0, y: 200 },
  { id: "e", x: 260, y: 200 },
  { id: "f", x: 520, y: 200 },
  { id: "g", x: 1400, y: 230 },
];
const at = (id: string) => boxes.find((b) => b.id === id)!;

describe("arrow keys between boxes", () => {
  it("start at the top-left box", () => {
    expect(nextBox(null, boxes, "right")).toBe("a");
  });

  it("move to the nearest box that way, along a row and across rows", () => {
    expect(nextBox(at("a"), boxes, "right")).toBe("b");
    expect(nextBox(at("b"), boxes, "down")).toBe("e");
    expect(nextBox(at("e"), boxes, "left")).toBe("d");
    expect(nextBox(at("d"), boxes, "up")).toBe("a");
    expect(nextBox(at("f"), boxes, "right")).toBe("g");
  });

  it("stay put at an edge: nothing lies that way", () => {
    expect(nextBox(at("a"), boxes, "left")).toBeNull();
    expect(nextBox(at("a"), boxes, "up")).toBeNull();
    expect(nextBox(at("g"), boxes, "right")).toBeNull();
  });

  it("prefer a box straight ahead to a nearer one off to the side", () => {
    const row = [
      { id: "from", x: 0, y: 0 },
      { id: "aside", x: 150, y: 120 },
      { id: "ahead", x: 300, y: 0 },
    ];
    expect(nextBox(row[0]!, row, "right")).toBe("ahead");
  });

  it("the opposite arrow goes back where the last one came from, though that box is not the nearest that way", () => {
    // Right from "a" reaches "b" (straight ahead beats "c", off to the side); Left from "b", "c" is nearer than "a".
    const row = [
      { id: "a", x: 0, y: 0 },
      { id: "b", x: 300, y: 0 },
      { id: "c", x: 200, y: 75 },
    ];
    const [a, b] = [row[0]!, row[1]!];
    expect(nextBox(a, row, "right")).toBe("b");
    expect(nextBox(b, row, "left")).toBe("c");
    // With the last move remembered, Left comes back to "a".
    const last = { from: "a", to: "b", direction: "right" } as const;
    expect(nextBox(b, row, "left", last)).toBe("a");
    // Only the opposite arrow, and only from where the last move ended.
    expect(nextBox(b, row, "down", last)).toBe("c");
    expect(nextBox(row[2]!, row, "left", last)).toBe("a");
    expect(nextBox(row[2]!, row, "right", last)).toBe("b");
  });
});
