import { expect } from "vitest";

let asserted = 0;

/**
 * One fact netdive reports, checked against a value read independently of netdive. Counted, so
 * the run can say how many facts it held netdive to.
 */
export function fact<T>(actual: T, expected: T, label: string): void {
  expect(actual, label).toEqual(expected);
  asserted += 1;
}

/** The same, for lists whose order carries no meaning. */
export function factSet(actual: readonly string[], expected: readonly string[], label: string): void {
  fact([...actual].sort(), [...expected].sort(), label);
}

export function factsAsserted(): number {
  return asserted;
}
