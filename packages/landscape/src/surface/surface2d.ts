import {
  DescentError,
  OptionReader,
  type Params,
  describeValue,
  disposeParams,
  isPlainObject,
} from '@descent/core';
import { type LossFn, checkFloatParams, checkLossFn } from '../loss/loss-fn';
import { checkDirectionShape, checkDirectionValues } from './direction-checks';
import { lossAt } from './evaluate-at';
import { type StepRange, checkPoints, checkRange, evenlySpaced } from './grid';
import { ownedLinearCombination } from './linear-combination';
import { LossReader, type OnPoint } from './loss-reader';

/** Options of {@link surface2d}. */
export interface Surface2dOptions {
  /**
   * The step sizes along both directions, `[lo, hi]` with `lo < hi`, or one range per axis as
   * `{ alpha: [lo, hi], beta: [lo, hi] }` (an axis left out keeps the default). Default `[-1, 1]`.
   */
  range?: StepRange | { alpha?: StepRange; beta?: StepRange };
  /** Grid points per axis, odd and at least 3: one number for both or `[nα, nβ]`. Default 21. */
  points?: number | readonly [number, number];
  /** Called as `onPoint(done, total)` after each batch of points is read back. */
  onPoint?: OnPoint;
}

/** A loss surface on a plane: `values[i][j] = L(θ₀ + alphas[i]·d1 + betas[j]·d2)`. */
export interface Surface2d {
  /** The step sizes along `d1`, ascending: the first index of `values`. */
  alphas: number[];
  /** The step sizes along `d2`, ascending: the second index of `values`. */
  betas: number[];
  /** `values[i][j]`, one row per α. */
  values: number[][];
}

const DEFAULT_RANGE: StepRange = [-1, 1];

/**
 * The loss on a plane through `θ₀`: `L(θ₀ + α·d1 + β·d2)` on a grid of `nα × nβ` evenly spaced
 * step sizes (Li et al., 2018, whose contour plots use filter-normalized random `d1`, `d2`). Each
 * point is formed directly from `θ₀`, `d1` and `d2`, never by accumulating steps; the point counts
 * are odd so that a symmetric range has `(0, 0)` at the centre of the grid, where the value is
 * `L(θ₀)` bit for bit. Points are evaluated row by row (α outer, β inner) and read back in batches
 * (one device read per 16 points); nothing is kept.
 *
 * @param loss - `(params) => L`, a float32 scalar tensor made from `params` with tfjs ops.
 * @param params - `θ₀`: a non-empty map of float32 tensors (not modified).
 * @param d1 - the first direction (the α axis): float32, named and shaped like `params`, finite.
 * @param d2 - the second direction (the β axis), likewise; not parallel to `d1`.
 * @param options - `range` (`[-1, 1]`), `points` (21), `onPoint`.
 * @returns `{ alphas, betas, values }` with `values[i][j] = L(θ₀ + alphas[i]·d1 + betas[j]·d2)`.
 * @throws DescentError `BAD_ARGUMENT` (loss not a function or it returned no tensor;
 *   maps not of tensors; `onPoint` not a function; `d1` and `d2` parallel, |cos| ≥ 1 − 10⁻⁴),
 *   `SHAPE_MISMATCH` (the loss is not a scalar; a direction shaped unlike `params`),
 *   `UNKNOWN_PARAM` (names differ; an unknown option), `DTYPE_MISMATCH`, `DISPOSED`, `NON_FINITE`
 *   (a direction holds NaN or ±∞; a non-finite bound), `BAD_HYPERPARAM` (even, fractional or
 *   fewer than 3 points; a range that is not `[lo, hi]` with `lo < hi`) — all but the loss's own
 *   failures before any point is evaluated; the loss's own exception passes through unchanged,
 *   after every tensor made for it is freed.
 * @example
 * ```ts
 * const rng = new Rng(1);
 * const d1 = await randomDirection(model.params, model.info, { rng });
 * const d2 = await randomDirection(model.params, model.info, { rng });
 * const { alphas, betas, values } = await surface2d(loss, model.params, d1, d2, { points: 21 });
 * ```
 * @see H. Li, Z. Xu, G. Taylor, C. Studer, T. Goldstein, Visualizing the Loss Landscape of Neural
 *   Nets, NeurIPS 2018, §3–4 (2-D contour plots along filter-normalized directions).
 */
export async function surface2d(
  loss: LossFn,
  params: Params,
  d1: Params,
  d2: Params,
  options: Surface2dOptions = {},
): Promise<Surface2d> {
  const fn = 'surface2d';
  const read = new OptionReader(fn, options, ['range', 'points', 'onPoint']);
  const [alphaRange, betaRange] = readRanges(read);
  const [nAlpha, nBeta] = readGridPoints(read);
  const onPoint = read.raw('onPoint') === undefined ? undefined : read.func<OnPoint>('onPoint');
  checkLossFn(fn, loss);
  checkFloatParams(`${fn}: params`, params);
  checkDirectionShape(fn, params, 'd1', d1);
  checkDirectionShape(fn, params, 'd2', d2);
  await checkDirectionValues(fn, [
    ['d1', d1],
    ['d2', d2],
  ]);
  const alphas = evenlySpaced(alphaRange[0], alphaRange[1], nAlpha, [0]);
  const betas = evenlySpaced(betaRange[0], betaRange[1], nBeta, [0]);
  const flat = await evaluateGrid(fn, loss, [params, d1, d2], alphas, betas, onPoint);
  const values = alphas.map((_, i) => flat.slice(i * nBeta, (i + 1) * nBeta));
  return { alphas, betas, values };
}

/**
 * The losses of the grid, row by row. Each row's `θ₀ + α·d1` is formed once and every point of the
 * row adds `β·d2` to it — the same float32 operations, in the same order, as forming
 * `θ₀ + α·d1 + β·d2` per point, at half the element-wise work.
 */
async function evaluateGrid(
  fn: string,
  loss: LossFn,
  [params, d1, d2]: readonly [Params, Params, Params],
  alphas: readonly number[],
  betas: readonly number[],
  onPoint: OnPoint | undefined,
): Promise<number[]> {
  const keys = Object.keys(params);
  const reader = new LossReader(alphas.length * betas.length, onPoint);
  try {
    for (const alpha of alphas) {
      const row = ownedLinearCombination(keys, [params, d1], [1, alpha]);
      try {
        for (const beta of betas) await reader.add(lossAt(fn, loss, keys, [row, d2], [1, beta]));
      } finally {
        disposeParams(row);
      }
    }
    return await reader.values();
  } finally {
    reader.dispose();
  }
}

/** The α and β ranges from `range`: one pair for both, or `{ alpha, beta }`. */
function readRanges(read: OptionReader): [StepRange, StepRange] {
  const range = read.raw('range') ?? DEFAULT_RANGE;
  if (!isPlainObject(range)) {
    const both = checkRange(read.name('range'), range);
    return [both, both];
  }
  const axes = new OptionReader(read.name('range'), range, ['alpha', 'beta']);
  return [
    checkRange(axes.name('alpha'), axes.raw('alpha') ?? DEFAULT_RANGE),
    checkRange(axes.name('beta'), axes.raw('beta') ?? DEFAULT_RANGE),
  ];
}

/** `[nα, nβ]` from `points`: one odd count for both axes, or a pair. */
function readGridPoints(read: OptionReader): [number, number] {
  const points = read.raw('points') ?? 21;
  const odd = { min: 3, odd: true };
  if (!Array.isArray(points)) {
    const both = checkPoints(read.name('points'), points, odd);
    return [both, both];
  }
  if (points.length !== 2) {
    throw new DescentError(
      'BAD_HYPERPARAM',
      `${read.name('points')} must be an odd integer ≥ 3 or a pair [nα, nβ] of them, got ${describeValue(points)}.`,
    );
  }
  return [
    checkPoints(`${read.name('points')}[0]`, points[0], odd),
    checkPoints(`${read.name('points')}[1]`, points[1], odd),
  ];
}
