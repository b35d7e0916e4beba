/** The four arrow keys, as directions on the canvas (y grows downwards). */
export type Direction = "left" | "right" | "up" | "down";

export const ARROWS: Record<string, Direction> = {
  ArrowLeft: "left",
  ArrowRight: "right",
  ArrowUp: "up",
  ArrowDown: "down",
};

const OPPOSITE: Record<Direction, Direction> = { left: "right", right: "left", up: "down", down: "up" };

/** The last arrow's move: from which box, which way, to which box. */
export interface LastMove {
  from: string;
  to: string;
  direction: Direction;
}

const UNIT: Record<Direction, { x: number; y: number }> = {
  left: { x: -1, y: 0 },
  right: { x: 1, y: 0 },
  up: { x: 0, y: -1 },
  down: { x: 0, y: 1 },
};

/**
 * The box an arrow key moves to from `from` (a box's centre, model units): the nearest box that
 * lies that way (within 60° of the arrow), a box straight ahead counting nearer than one as far
 * off to the side. With nothing chosen yet, the box nearest the top-left corner. Null when no box
 * lies that way. The opposite arrow of the `last` move goes back where it came from, so Right
 * then Left always returns (the nearest box one way need not have the first as its nearest the
 * other way).
 */
export function nextBox(
  from: { id: string; x: number; y: number } | null,
  boxes: ReadonlyArray<{ id: string; x: number; y: number }>,
  direction: Direction,
  last: LastMove | null = null,
): string | null {
  if (boxes.length === 0) return null;
  if (
    from &&
    last &&
    last.to === from.id &&
    last.direction === OPPOSITE[direction] &&
    boxes.some((b) => b.id === last.from)
  )
    return last.from;
  if (!from) {
    const first = [...boxes].sort((a, b) => a.y + a.x / 4 - (b.y + b.x / 4))[0];
    return first?.id ?? null;
  }
  const unit = UNIT[direction];
  let best: string | null = null;
  let bestCost = Infinity;
  for (const b of boxes) {
    if (b.id === from.id) continue;
    const dx = b.x - from.x;
    const dy = b.y - from.y;
    const ahead = dx * unit.x + dy * unit.y;
    const aside = Math.abs(dx * unit.y - dy * unit.x);
    // Within 60° of the arrow: ahead by more than half the distance.
    if (ahead <= 0 || ahead < Math.hypot(dx, dy) / 2) continue;
    const cost = ahead + 2 * aside;
    if (cost < bestCost) {
      bestCost = cost;
      best = b.id;
    }
  }
  return best;
}
