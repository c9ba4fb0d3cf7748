import { OptionReader, type Params } from '@descent/core';
import { type LossFn, checkFloatParams, checkLossFn } from '../loss/loss-fn';
import { checkDirectionShape, checkDirectionValues } from './direction-checks';
import { evaluateLossAt } from './evaluate-at';
import type { OnPoint } from './loss-reader';
import { type StepRange, evenlySpaced, readPoints, readRange } from './grid';

/** Options of {@link surface1d}. */
export interface Surface1dOptions {
  /** The step sizes `[lo, hi]` along `d`, `lo < hi`. Default `[-1, 1]`. */
  range?: StepRange;
  /** How many evenly spaced step sizes, odd and at least 3. Default 51. */
  points?: number;
  /** Called as `onPoint(done, total)` after each batch of points is read back. */
  onPoint?: OnPoint;
}

/** A loss curve along one direction: `values[i] = L(θ₀ + alphas[i]·d)`. */
export interface Surface1d {
  /** The step sizes, ascending. */
  alphas: number[];
  /** The loss at each step size. */
  values: number[];
}

/**
 * The loss along a line through `θ₀`: `L(θ₀ + α·d)` at `points` evenly spaced step sizes
 * `αᵢ = lo + (hi − lo)·i/(points − 1)`. Every point is formed directly from `θ₀` and `d` — never
 * by accumulating steps, whose float32 drift would bend the curve — and `points` is odd so that a
 * symmetric range has `α = 0` exactly at its centre, where the value is `L(θ₀)` bit for bit.
 * Losses are read back in batches (one device read per 16 points); nothing is kept.
 *
 * Usually `d` is a filter-normalized {@link randomDirection} (Li et al., 2018), or the difference
 * of two solutions (then {@link interpolate} is the dedicated tool).
 *
 * @param loss - `(params) => L`, a float32 scalar tensor made from `params` with tfjs ops.
 * @param params - `θ₀`: a non-empty map of float32 tensors (not modified).
 * @param d - the direction: float32 tensors with the names and shapes of `params`, finite.
 * @param options - `range` (`[-1, 1]`), `points` (51), `onPoint`.
 * @returns `{ alphas, values }`, `values[i] = L(θ₀ + alphas[i]·d)` (NaN or ±∞ where the loss is).
 * @throws DescentError `BAD_ARGUMENT` (loss not a function or it returned no tensor;
 *   params or `d` not maps of tensors; `onPoint` not a function), `SHAPE_MISMATCH` (the loss is
 *   not a scalar; `d` shaped unlike `params`), `UNKNOWN_PARAM` (names of `d` differ; an unknown
 *   option), `DTYPE_MISMATCH`, `DISPOSED`, `NON_FINITE` (`d` holds NaN or ±∞; a non-finite range
 *   bound), `BAD_HYPERPARAM` (`points` even, below 3 or fractional; `range` not `[lo, hi]` with
 *   `lo < hi`) — all but the loss's own failures before any point is evaluated; the loss's own
 *   exception passes through unchanged, after every tensor made for it is freed.
 * @example
 * ```ts
 * const d = await randomDirection(model.params, model.info, { rng: new Rng(1) });
 * const { alphas, values } = await surface1d(loss, model.params, d, { range: [-1, 1], points: 51 });
 * ```
 * @see H. Li, Z. Xu, G. Taylor, C. Studer, T. Goldstein, Visualizing the Loss Landscape of Neural
 *   Nets, NeurIPS 2018, §3 (1-D linear interpolation and plots along random directions).
 */
export async function surface1d(
  loss: LossFn,
  params: Params,
  d: Params,
  options: Surface1dOptions = {},
): Promise<Surface1d> {
  const fn = 'surface1d';
  const read = new OptionReader(fn, options, ['range', 'points', 'onPoint']);
  const [lo, hi] = readRange(read, 'range', [-1, 1]);
  const points = readPoints(read, 'points', 51, { min: 3, odd: true });
  const onPoint = read.raw('onPoint') === undefined ? undefined : read.func<OnPoint>('onPoint');
  checkLossFn(fn, loss);
  checkFloatParams(`${fn}: params`, params);
  checkDirectionShape(fn, params, 'd', d);
  await checkDirectionValues(fn, [['d', d]]);
  const alphas = evenlySpaced(lo, hi, points, [0]);
  const values = await evaluateLossAt(
    fn,
    loss,
    [params, d],
    alphas.map((alpha) => [1, alpha]),
    onPoint,
  );
  return { alphas, values };
}
