import { DescentError } from '@descent/core';
import { decimalExponent, powerOfTen } from './compact-number';

/**
 * An axis: its ends `lo ≤ hi` (in data units) and the tick values from `lo` to `hi`, with the
 * step each label must resolve.
 */
export interface TickAxis {
  lo: number;
  hi: number;
  ticks: TickValue[];
}

/** One tick: its value and the resolution its label needs (see `formatCompact`). */
export interface TickValue {
  value: number;
  resolution: number;
}

/** Tick mantissas of a linear axis, and of a log axis spanning under two decades. */
const ONE_TWO_FIVE = [1, 2, 5];
/** Decades between ticks on a log axis with many decades. */
const DECADE_STEPS = [1, 2, 3, 5, 10, 20, 50, 100];
/** A log axis gets 1-2-5 ticks when its data spans fewer decades than this. */
const FINE_LOG_DECADES = 2;

/**
 * Linear ticks every `m × 10^k` (`m` in 1, 2, 5): the smallest such step whose ticks cover
 * `[min, max]` in at most `maxIntervals` intervals. The axis runs from the last tick at or below
 * `min` to the first at or above `max`. A single value (`min = max`) is widened by 10 % of its
 * size on either side (by 1 around 0). Tick values are the nearest doubles to the decimals
 * (`0.3`, not `0.30000000000000004`).
 *
 * @param min - The smallest data value (finite).
 * @param max - The largest data value (finite, ≥ `min`).
 * @param maxIntervals - At most this many steps between the first and last tick (default 8).
 * @throws DescentError `BAD_ARGUMENT` (non-finite ends, `max < min`).
 * @example
 * ```ts
 * linearTicks(0, 0.93).ticks.map((t) => t.value); // [0, 0.2, 0.4, 0.6, 0.8, 1]
 * ```
 */
export function linearTicks(min: number, max: number, maxIntervals = 8): TickAxis {
  checkRange('linearTicks', min, max);
  const [from, to] = min === max ? widen(min) : [min, max];
  for (let k = decimalExponent((to - from) / maxIntervals); ; k++) {
    for (const m of ONE_TWO_FIVE) {
      const step = decimal(m, k);
      const first = Math.floor(from / step + 1e-9);
      const last = Math.ceil(to / step - 1e-9);
      if (last - first > maxIntervals) continue;
      const ticks = range(first, last).map((n) => ({ value: decimal(n * m, k), resolution: step }));
      return axisOf(ticks);
    }
  }
}

/**
 * Log ticks for positive data in `[min, max]`:
 *
 * - data spanning two decades or more: powers of ten, every 1, 2, 3, 5, 10, … decades (the
 *   fewest that need at most `maxIntervals` intervals), from the last at or below `min` to the
 *   first at or above `max`;
 * - under two decades: the `1, 2, 5 × 10^k` from the last at or below `min` to the first at or
 *   above `max` (`0.5, 1, 2, 5, 10, 20`);
 * - data so narrow that they would fill less than half of that axis (97.5 to 98.7 between 50
 *   and 100, a single value): the {@link linearTicks} of the data instead, when those stay
 *   above 0 (the axis is still drawn on a log scale).
 *
 * @param min - The smallest data value, > 0.
 * @param max - The largest data value, ≥ `min`.
 * @param maxIntervals - At most this many steps between powers of ten (default 8).
 * @throws DescentError `BAD_ARGUMENT` (`min ≤ 0`, `max < min`, non-finite ends).
 * @example
 * ```ts
 * logTicks(0.6, 20).ticks.map((t) => t.value); // [0.5, 1, 2, 5, 10, 20]
 * logTicks(3e-5, 0.9).ticks.map((t) => t.value); // [1e-5, 1e-4, 0.001, 0.01, 0.1, 1]
 * logTicks(97.5, 98.7).ticks.map((t) => t.value); // [97.4, 97.6, …, 98.8]
 * ```
 */
export function logTicks(min: number, max: number, maxIntervals = 8): TickAxis {
  checkRange('logTicks', min, max);
  if (min <= 0) {
    throw new DescentError('BAD_ARGUMENT', `logTicks: min must be > 0, got ${min}.`);
  }
  if (Math.log10(max / min) >= FINE_LOG_DECADES) return axisOf(decadeTicks(min, max, maxIntervals));
  const fine = oneTwoFiveTicks(min, max);
  const linear = linearTicks(min, max, maxIntervals);
  const lost = Math.log10(max / min) < Math.log10(fine.at(-1)!.value / fine[0]!.value) / 2;
  return lost && linear.lo > 0 ? linear : axisOf(fine);
}

function axisOf(ticks: TickValue[]): TickAxis {
  return { lo: ticks[0]!.value, hi: ticks[ticks.length - 1]!.value, ticks };
}

function oneTwoFiveTicks(min: number, max: number): TickValue[] {
  const candidates = range(decimalExponent(min) - 1, decimalExponent(max) + 1).flatMap((k) =>
    ONE_TWO_FIVE.map((m) => decimal(m, k)),
  );
  let first = candidates.findLastIndex((c) => c <= min);
  let last = candidates.findIndex((c) => c >= max);
  if (first === last) {
    first--;
    last++;
  }
  return candidates.slice(first, last + 1).map((value) => ({ value, resolution: value }));
}

function decadeTicks(min: number, max: number, maxIntervals: number): TickValue[] {
  const lowest = decimalExponent(min);
  const highest = decimalExponent(max) + (powerOfTen(decimalExponent(max)) < max ? 1 : 0);
  const every =
    DECADE_STEPS.find((s) => Math.ceil(highest / s) - Math.floor(lowest / s) <= maxIntervals) ??
    Math.ceil((highest - lowest) / maxIntervals);
  return range(Math.floor(lowest / every), Math.ceil(highest / every)).map((n) => {
    const value = powerOfTen(n * every);
    return { value, resolution: value };
  });
}

function checkRange(what: string, min: number, max: number): void {
  if (!Number.isFinite(min) || !Number.isFinite(max) || max < min) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${what}: min and max must be finite with min ≤ max, got min ${min} and max ${max}.`,
    );
  }
}

/** `[v − d, v + d]` with `d` 10 % of `|v|`, or 1 when `v = 0`. */
function widen(value: number): [number, number] {
  const d = value === 0 ? 1 : Math.abs(value) / 10;
  return [value - d, value + d];
}

/** `m × 10^k` as the double nearest the decimal, for integers `m` and `k` (parsed, as in `powerOfTen`). */
function decimal(m: number, k: number): number {
  return Number(`${m}e${k}`);
}

/** The integers from `first` to `last`, both included. */
function range(first: number, last: number): number[] {
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}
