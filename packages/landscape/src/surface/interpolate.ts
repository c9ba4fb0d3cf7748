import {
  DescentError,
  OptionReader,
  type Params,
  checkSameStructure,
  describeValue,
  disposeParams,
} from '@descent/core';
import { type LossFn, checkFloatParams } from '../loss/loss-fn';
import { evaluateLossAt } from './evaluate-at';
import type { OnPoint } from './loss-reader';
import { type StepRange, evenlySpaced, readPoints, readRange } from './grid';
import { ownedLinearCombination } from './linear-combination';
import { type Evaluation, probeEvaluation, settledEvaluation } from './probe-evaluation';

export type { Evaluation } from './probe-evaluation';

/**
 * An evaluation of a point in parameter space: named numbers such as `{ loss, accuracy }`, or a
 * promise of them. It must not dispose or keep the params it is given, and frees what it allocates.
 */
export type EvaluateFn = (params: Params) => Promise<Evaluation> | Evaluation;

/** Options of {@link interpolate}. */
export interface InterpolateOptions {
  /** How many evenly spaced α, at least 2. Default 25. */
  points?: number;
  /** The α range `[lo, hi]`, `lo < hi`; may extend past `[0, 1]`, e.g. `[-0.5, 1.5]`. Default `[0, 1]`. */
  range?: StepRange;
  /** Called as `onPoint(done, total)` as points are evaluated. */
  onPoint?: OnPoint;
}

/** {@link interpolate} of a loss. */
export interface LossInterpolation {
  /** The α, ascending. */
  alphas: number[];
  /** `values[i] = L((1 − alphas[i])·a + alphas[i]·b)`. */
  values: number[];
  /** `[L(a), L(b)]`. */
  endpoints: [number, number];
  /** `max_{α ∈ [0, 1]} L(α) − (L(a) + L(b))/2` over the evaluated α (endpoints included); ≥ 0. */
  barrier: number;
}

/** {@link interpolate} of an evaluation. */
export interface EvaluationInterpolation {
  /** The α, ascending. */
  alphas: number[];
  /** Per metric, its value at each α: `values.accuracy[i]` at `alphas[i]`. */
  values: Record<string, number[]>;
  /** The evaluations of `a` and `b`. */
  endpoints: [Evaluation, Evaluation];
  /** The barrier (as {@link LossInterpolation.barrier}) of the `loss` metric; `undefined` without one. */
  barrier: number | undefined;
}

/** What {@link interpolate} returns for a loss (`LossFn`) or an evaluation (`EvaluateFn`). */
export type Interpolation<F> = F extends LossFn ? LossInterpolation : EvaluationInterpolation;

/**
 * The loss (or any metrics) on the straight line between two solutions (Goodfellow, Vinyals &
 * Saxe, 2015): `θ(α) = (1 − α)·a + α·b` at `points` evenly spaced α in `range`, each formed
 * directly from `a` and `b` (α = 0 is `a` and α = 1 is `b`, bit for bit). A range past `[0, 1]`
 * shows the loss beyond both ends.
 *
 * `lossOrEvaluate` is told apart by what its first call returns:
 * - a float32 scalar tensor: a **loss** `(params) => L` (a `LossFn`), run inside `tf.tidy` and read
 *   back in batches (one device read per 16 points); `values` is `number[]`;
 * - a promise or a plain object of numbers: an **evaluation** `(params) => Promise<{ loss,
 *   accuracy, … }>`, called once per point in turn on params it must not dispose; `values` is one
 *   array per metric.
 *
 * `barrier` is the height of the loss barrier as defined for linear mode connectivity (Frankle et
 * al., 2020): `max_{α ∈ [0, 1]} L(θ(α)) − (L(a) + L(b))/2`, the maximum over the evaluated α in
 * `[0, 1]` — endpoints included, so it is ≥ 0 (0 for a convex path; `a` and `b` are linearly
 * connected when it is about 0). For an evaluation it is the `loss` metric's; for an error or
 * accuracy barrier apply the formula to `values` (the error `1 − accuracy` in place of `L`). The
 * endpoints are always evaluated, also when the grid misses α = 0 or 1.
 *
 * @param lossOrEvaluate - a `LossFn` or an {@link EvaluateFn}.
 * @param a - the first solution (α = 0): a non-empty map of float32 tensors (not modified).
 * @param b - the second solution (α = 1): the names and shapes of `a`.
 * @param options - `points` (25), `range` (`[0, 1]`), `onPoint`.
 * @returns `{ alphas, values, endpoints, barrier }` ({@link LossInterpolation} or
 *   {@link EvaluationInterpolation}).
 * @throws DescentError `BAD_ARGUMENT` (`lossOrEvaluate` not a function, or it returned neither a
 *   scalar tensor nor a record of numbers, or another set of metrics than at first; maps not of
 *   tensors; `onPoint` not a function), `SHAPE_MISMATCH` (a loss that is no scalar; `b` shaped
 *   unlike `a`), `UNKNOWN_PARAM` (names of `b` differ; an unknown option), `DTYPE_MISMATCH`,
 *   `DISPOSED`, `BAD_HYPERPARAM` (`points` below 2 or fractional, a range not `[lo, hi]` with
 *   `lo < hi`), `NON_FINITE` (a non-finite bound) — all but the failures of `lossOrEvaluate`
 *   itself before anything is evaluated; what `lossOrEvaluate` throws or rejects with passes
 *   through unchanged, after every tensor made for it is freed.
 * @example
 * ```ts
 * const { values, barrier } = await interpolate(loss, trained1, trained2, { range: [-0.5, 1.5] });
 * const { values: metrics } = await interpolate(
 *   async (p) => ({ loss: await lossOn(p, test), accuracy: await accuracyOn(p, test) }),
 *   rewound, trained,
 * );
 * ```
 * @see I. J. Goodfellow, O. Vinyals, A. M. Saxe, Qualitatively characterizing neural network
 *   optimization problems, ICLR 2015; J. Frankle, G. K. Dziugaite, D. M. Roy, M. Carbin, Linear
 *   Mode Connectivity and the Lottery Ticket Hypothesis, ICML 2020, §2 (the barrier).
 */
export async function interpolate<F extends LossFn | EvaluateFn>(
  lossOrEvaluate: F,
  a: Params,
  b: Params,
  options: InterpolateOptions = {},
): Promise<Interpolation<F>> {
  const fn = 'interpolate';
  const read = new OptionReader(fn, options, ['points', 'range', 'onPoint']);
  const points = readPoints(read, 'points', 25, { min: 2, odd: false });
  const [lo, hi] = readRange(read, 'range', [0, 1]);
  const onPoint = read.raw('onPoint') === undefined ? undefined : read.func<OnPoint>('onPoint');
  if (typeof lossOrEvaluate !== 'function') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: lossOrEvaluate must be a function (params) => scalar tensor or (params) => Promise<{ loss, … }>, got ${describeValue(lossOrEvaluate)}.`,
    );
  }
  checkFloatParams(`${fn}: a`, a);
  checkFloatParams(`${fn}: b`, b);
  checkSameStructure(`${fn}: a`, a, `${fn}: b`, b);
  const alphas = evenlySpaced(lo, hi, points, [0, 1]);
  const evaluated = [...alphas, ...[0, 1].filter((e) => !alphas.includes(e))];
  const result = await evaluatePath(fn, lossOrEvaluate, a, b, evaluated, onPoint);
  return summarize(alphas, evaluated, result) as Interpolation<F>;
}

type PathValues = { kind: 'loss'; values: number[] } | { kind: 'evaluation'; values: Evaluation[] };

/** The loss or evaluation at every α of `evaluated`, the first call telling which it is. */
async function evaluatePath(
  fn: string,
  f: LossFn | EvaluateFn,
  a: Params,
  b: Params,
  evaluated: readonly number[],
  onPoint: OnPoint | undefined,
): Promise<PathValues> {
  const keys = Object.keys(a);
  const total = evaluated.length;
  const first = ownedLinearCombination(keys, [a, b], weights(evaluated[0] as number));
  let probe: Awaited<ReturnType<typeof probeEvaluation>>;
  try {
    probe = await probeEvaluation(fn, f, first);
  } finally {
    disposeParams(first);
  }
  onPoint?.(1, total);
  const rest = evaluated.slice(1);
  if (probe.kind === 'loss') {
    const values = await evaluateLossAt(
      fn,
      f as LossFn,
      [a, b],
      rest.map(weights),
      onPoint && ((done) => onPoint(done + 1, total)),
    );
    return { kind: 'loss', values: [probe.value, ...values] };
  }
  const evaluations = [probe.value];
  const metrics = Object.keys(probe.value);
  for (const alpha of rest) {
    evaluations.push(await evaluateAt(fn, f as EvaluateFn, keys, [a, b], alpha, metrics));
    onPoint?.(evaluations.length, total);
  }
  return { kind: 'evaluation', values: evaluations };
}

/** `[1 − α, α]`, the weights of `a` and `b` at α. */
function weights(alpha: number): [number, number] {
  return [1 - alpha, alpha];
}

async function evaluateAt(
  fn: string,
  evaluate: EvaluateFn,
  keys: readonly string[],
  bases: readonly Params[],
  alpha: number,
  metrics: readonly string[],
): Promise<Evaluation> {
  const theta = ownedLinearCombination(keys, bases, weights(alpha));
  try {
    return await settledEvaluation(fn, evaluate(theta), metrics);
  } finally {
    disposeParams(theta);
  }
}

/** The grid's values, the endpoints' and the barrier, from the values at `evaluated`. */
function summarize(
  alphas: readonly number[],
  evaluated: readonly number[],
  path: PathValues,
): LossInterpolation | EvaluationInterpolation {
  const onGrid = alphas.length;
  const atA = evaluated.indexOf(0);
  const atB = evaluated.indexOf(1);
  const inside = evaluated.flatMap((alpha, i) => (alpha >= 0 && alpha <= 1 ? [i] : []));
  if (path.kind === 'loss') {
    const values = path.values;
    return {
      alphas: [...alphas],
      values: values.slice(0, onGrid),
      endpoints: [values[atA] as number, values[atB] as number],
      barrier: barrier(
        inside.map((i) => values[i] as number),
        values[atA],
        values[atB],
      ),
    };
  }
  const evaluations = path.values;
  const metrics = Object.keys(evaluations[0] as Evaluation);
  const values = Object.fromEntries(
    metrics.map((m) => [m, evaluations.slice(0, onGrid).map((e) => e[m] as number)]),
  );
  const endA = evaluations[atA] as Evaluation;
  const endB = evaluations[atB] as Evaluation;
  return {
    alphas: [...alphas],
    values,
    endpoints: [endA, endB],
    barrier: metrics.includes('loss')
      ? barrier(
          inside.map((i) => (evaluations[i] as Evaluation).loss as number),
          endA.loss,
          endB.loss,
        )
      : undefined,
  };
}

/** `max(path) − (atA + atB)/2` (Frankle et al., 2020); NaN when a value is NaN. */
function barrier(
  path: readonly number[],
  atA: number | undefined,
  atB: number | undefined,
): number {
  return Math.max(...path) - ((atA as number) + (atB as number)) / 2;
}
