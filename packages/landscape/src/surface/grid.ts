import { DescentError, type OptionReader, checkNumber, describeValue } from '@descent/core';

/** A closed interval `[lo, hi]` of step sizes along a direction, `lo < hi`. */
export type StepRange = readonly [number, number];

/**
 * `n ≥ 2` evenly spaced numbers from `lo` to `hi`, both included: `αᵢ = lo + (hi − lo)·i/(n − 1)`,
 * each computed from `lo` (never by adding steps up), the last one `hi` exactly. A value that
 * rounding put within a billionth of a step of one of `snap` (e.g. 0, the point the direction
 * starts from) is set to it exactly, so a symmetric range with odd `n` has exactly 0 at its centre.
 */
export function evenlySpaced(lo: number, hi: number, n: number, snap: readonly number[]): number[] {
  const tolerance = ((hi - lo) / (n - 1)) * 1e-9;
  return Array.from({ length: n }, (_, i) => {
    const alpha = i === n - 1 ? hi : lo + ((hi - lo) * i) / (n - 1);
    const target = snap.find((s) => Math.abs(alpha - s) <= tolerance);
    return target ?? alpha;
  });
}

/**
 * Reads a range option `[lo, hi]`: two finite numbers with `lo < hi`; `fallback` when absent.
 *
 * @throws DescentError `BAD_HYPERPARAM` (not a pair of numbers, `lo ≥ hi`), `NON_FINITE`.
 */
export function readRange(read: OptionReader, field: string, fallback: StepRange): StepRange {
  return checkRange(read.name(field), read.raw(field) ?? fallback);
}

/** Asserts `value` is a pair `[lo, hi]` of finite numbers with `lo < hi`. */
export function checkRange(name: string, value: unknown): StepRange {
  if (!Array.isArray(value) || value.length !== 2) {
    throw new DescentError(
      'BAD_HYPERPARAM',
      `${name} must be a pair [lo, hi] of finite numbers with lo < hi, got ${describeValue(value)}.`,
    );
  }
  const [lo, hi] = value as unknown[];
  checkNumber(`${name}[0]`, lo);
  checkNumber(`${name}[1]`, hi);
  if (!(lo < hi)) {
    throw new DescentError(
      'BAD_HYPERPARAM',
      `${name} must be [lo, hi] with lo < hi, got [${lo}, ${hi}].`,
    );
  }
  return [lo === 0 ? 0 : lo, hi === 0 ? 0 : hi];
}

/**
 * Reads a number of grid points: an integer of at least `min`; odd when `odd` (so that a
 * symmetric range has its centre on the grid); `fallback` when absent.
 *
 * @throws DescentError `BAD_HYPERPARAM` (not an integer, too small, even), `NON_FINITE`.
 */
export function readPoints(
  read: OptionReader,
  field: string,
  fallback: number,
  { min, odd }: { min: number; odd: boolean },
): number {
  return checkPoints(read.name(field), read.raw(field) ?? fallback, { min, odd });
}

/** Asserts `value` is an integer of at least `min`, odd when `odd`. */
export function checkPoints(
  name: string,
  value: unknown,
  { min, odd }: { min: number; odd: boolean },
): number {
  checkNumber(name, value, { integer: true, min });
  if (odd && value % 2 === 0) {
    throw new DescentError(
      'BAD_HYPERPARAM',
      `${name} must be odd (so that α = 0, the starting point, is the centre of the grid), got ${value}.`,
    );
  }
  return value;
}
