import type { HyperParameter, Schedule } from '@descent/core';

const BOUNDS = new WeakMap<Schedule, number>();

/**
 * The largest magnitude a product of a schedule's bound and a factor may reach: half the largest
 * double, leaving room for the rounding of the values under their bound.
 */
export const LARGEST_PRODUCT = Number.MAX_VALUE / 2;

/**
 * Records `bound ≥ |s(t)|` for every step `t` (from the kind's closed form), so that combinators
 * that multiply a schedule (`linearScaling`, a plateau's `schedule(base)`) can refuse a factor
 * that would overflow at construction. Internal to the package.
 */
export function withBound<S extends Schedule>(schedule: S, bound: number): S {
  BOUNDS.set(schedule, bound);
  return schedule;
}

/**
 * `max |h(t)|` over all steps: `|h|` for a number, the recorded bound for a schedule of this
 * package, `undefined` for a schedule of another kind (a custom one), whose values are unknown.
 */
export function boundOf(value: HyperParameter): number | undefined {
  return typeof value === 'number' ? Math.abs(value) : BOUNDS.get(value);
}

/** The largest of the magnitudes (`undefined` if any is unknown). */
export function maxBound(...bounds: readonly (number | undefined)[]): number | undefined {
  let largest = 0;
  for (const b of bounds) {
    if (b === undefined) return undefined;
    largest = Math.max(largest, Math.abs(b));
  }
  return largest;
}
