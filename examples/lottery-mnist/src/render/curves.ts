import { DescentError, describeValue, isPlainObject } from '@descent/core';

/**
 * One round of one curve: the fraction of weights kept and the test accuracy of every seed.
 *
 * @example
 * ```ts
 * const point: CurvePoint = { density: 0.641, accuracies: [0.981, 0.979, 0.982] };
 * ```
 */
export interface CurvePoint {
  /** Fraction of the prunable weights kept, in (0, 1]: 1 for the dense network. */
  density: number;
  /** Test accuracy of each seed, in [0, 1]; at least one. */
  accuracies: number[];
}

/**
 * A named series of points in round order, e.g. `winning ticket`, `random reinit` or
 * `random pruning`.
 *
 * @example
 * ```ts
 * const curve: Curve = { name: 'winning ticket', points: [{ density: 1, accuracies: [0.978] }] };
 * ```
 */
export interface Curve {
  name: string;
  points: CurvePoint[];
}

/** What {@link summarize} returns: mean, extremes and sample standard deviation. */
export interface Summary {
  mean: number;
  min: number;
  max: number;
  /** Sample standard deviation `√(Σ (x − mean)² / (n − 1))`; 0 when `n = 1`. */
  std: number;
}

/**
 * Mean, min, max and sample standard deviation of some values (the accuracies of the seeds).
 *
 * `mean = Σ x / n`, `std = √(Σ (x − mean)² / (n − 1))`, and `std = 0` for a single value.
 *
 * @param values - At least one finite number.
 * @throws DescentError `BAD_ARGUMENT` (not an array, empty, an entry that is not a number),
 *   `NON_FINITE` (NaN or ±Infinity).
 * @example
 * ```ts
 * summarize([0.97, 0.98, 0.99]); // { mean: 0.98, min: 0.97, max: 0.99, std: 0.01 } (± rounding)
 * ```
 */
export function summarize(values: readonly number[]): Summary {
  checkNumbers('summarize: values', values);
  const n = values.length;
  const mean = values.reduce((sum, v) => sum + v, 0) / n;
  const squares = values.reduce((sum, v) => sum + (v - mean) ** 2, 0);
  return {
    mean,
    min: Math.min(...values),
    max: Math.max(...values),
    std: n === 1 ? 0 : Math.sqrt(squares / (n - 1)),
  };
}

/**
 * An accuracy summary as percent with two decimals: `"94.80 %"` for one seed, and
 * `"94.80 ± 0.21 %"` (mean ± sample std) for several.
 *
 * @param s - A summary of accuracies in [0, 1] (as {@link summarize} returns).
 * @param seeds - How many seeds it summarizes, an integer ≥ 1.
 * @throws DescentError `BAD_ARGUMENT` (`s` without finite `mean` and `std`, `seeds` not an
 *   integer ≥ 1).
 * @example
 * ```ts
 * formatSummary(summarize([0.948]), 1); // '94.80 %'
 * formatSummary({ mean: 0.948, min: 0.946, max: 0.95, std: 0.0021 }, 3); // '94.80 ± 0.21 %'
 * ```
 */
export function formatSummary(s: Summary, seeds: number): string {
  if (!isPlainObject(s) || !Number.isFinite(s.mean) || !Number.isFinite(s.std)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `formatSummary: s must be a summary with finite mean and std, got ${describeValue(s)}.`,
    );
  }
  if (!Number.isInteger(seeds) || seeds < 1) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `formatSummary: seeds must be an integer ≥ 1, got ${describeValue(seeds)}.`,
    );
  }
  const mean = percent(s.mean);
  return seeds === 1 ? `${mean} %` : `${mean} ± ${percent(s.std)} %`;
}

/**
 * Asserts `curves` is a non-empty array of curves, each with a string name and at least one
 * point whose density is in (0, 1] and whose accuracies are at least one number in [0, 1];
 * `label` names the argument in messages.
 *
 * @throws DescentError `BAD_ARGUMENT` naming the first bad entry (e.g. `curves[1].points[2].density`),
 *   `NON_FINITE` for NaN or ±Infinity.
 * @example
 * ```ts
 * checkCurves('renderTable: curves', curves);
 * ```
 */
export function checkCurves(label: string, curves: unknown): asserts curves is Curve[] {
  if (!Array.isArray(curves) || curves.length === 0) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${label} must be a non-empty array of curves, got ${describeValue(curves)}.`,
    );
  }
  for (const [i, curve] of curves.entries()) checkCurve(`${label}[${i}]`, curve);
}

function checkCurve(label: string, curve: unknown): void {
  if (!isPlainObject(curve)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${label} must be a curve { name, points }, got ${describeValue(curve)}.`,
    );
  }
  if (typeof curve.name !== 'string') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${label}.name must be a string, got ${describeValue(curve.name)}.`,
    );
  }
  const points = curve.points;
  if (!Array.isArray(points) || points.length === 0) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${label}.points must be a non-empty array of points, got ${describeValue(points)}.`,
    );
  }
  for (const [j, point] of points.entries()) checkPoint(`${label}.points[${j}]`, point);
}

function checkPoint(label: string, point: unknown): void {
  if (!isPlainObject(point)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${label} must be a point { density, accuracies }, got ${describeValue(point)}.`,
    );
  }
  checkInRange(`${label}.density`, point.density, 'a number in (0, 1]', (d) => d > 0 && d <= 1);
  checkNumbers(`${label}.accuracies`, point.accuracies);
  for (const [k, a] of point.accuracies.entries()) {
    checkInRange(`${label}.accuracies[${k}]`, a, 'a number in [0, 1]', (v) => v >= 0 && v <= 1);
  }
}

function checkNumbers(label: string, values: unknown): asserts values is readonly number[] {
  if (!Array.isArray(values) || values.length === 0) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${label} must be a non-empty array of finite numbers, got ${describeValue(values)}.`,
    );
  }
  for (const [i, v] of values.entries())
    checkInRange(`${label}[${i}]`, v, 'a finite number', () => true);
}

function checkInRange(
  label: string,
  value: unknown,
  expected: string,
  inRange: (v: number) => boolean,
): void {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new DescentError('NON_FINITE', `${label} must be ${expected}, got ${value}.`);
  }
  if (typeof value !== 'number' || !inRange(value)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${label} must be ${expected}, got ${describeValue(value)}.`,
    );
  }
}

function percent(fraction: number): string {
  return (100 * fraction).toFixed(2);
}
