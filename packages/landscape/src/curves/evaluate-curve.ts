import {
  DescentError,
  OptionReader,
  type Params,
  checkSameStructure,
  describeValue,
  disposeParams,
  isPlainObject,
} from '@descent/core';
import { type LossFn, checkLossFn, lossValue } from '../loss/loss-fn';
import { type Curve, checkCurve } from './curve';
import { type RecomputeStatsOptions, readRecomputeOptions, statsOf } from './recompute-stats';

/**
 * Metrics of one parameter point, e.g. `async (p) => ({ loss, accuracy })` over a test set. It
 * must not dispose or keep the tensors of `p` (they are freed after its promise settles).
 */
export type CurveMetrics = (
  params: Params,
) => Record<string, number> | Promise<Record<string, number>>;

/** Options of {@link evaluateCurve}. */
export interface EvaluateCurveOptions {
  /** How many evenly spaced `t` to evaluate, endpoints included: an integer ≥ 2. Default 21. */
  points?: number;
  /**
   * Recompute the running statistics (role `'stat'`) of `φ(t)` on these batches before each
   * evaluation, with {@link recomputeStats}: needed for batch-norm networks, whose interpolated
   * statistics do not fit the network in between. Default: evaluate `φ(t)` as it is.
   */
  recomputeStats?: RecomputeStatsOptions;
}

/** What {@link evaluateCurve} measured. */
export interface CurveEvaluation {
  /** The positions, `tₖ = k/(points − 1)`. */
  ts: number[];
  /** Each metric at each position, in `ts` order. */
  values: Record<string, number[]>;
  /**
   * The loss barrier `max_k L(tₖ) − (L(0) + L(1))/2` of the metric `loss` (Frankle et al.'s
   * definition; ≥ 0), or `undefined` when there is no `loss` metric.
   */
  barrier: number | undefined;
}

const KNOWN = ['points', 'recomputeStats'] as const;

/**
 * Measures metrics along a curve: `evaluate(φ(tₖ))` at `tₖ = k/(points − 1)`, `k = 0, …,
 * points − 1` (endpoints included, in order, one at a time), and the loss barrier
 * `B = max_k L(tₖ) − (L(0) + L(1))/2` (Frankle et al., 2020; 0 when the loss never rises above
 * the endpoints' mean — for a linear path, linear mode connectivity).
 *
 * `evaluate` is either a {@link CurveMetrics} function returning numbers (its tensors are its
 * own), or `{ loss }` with a `LossFn` `(params) => scalar tensor`, evaluated inside `tf.tidy` and
 * reported as the metric `loss`. With `recomputeStats: { model, batches }` the running statistics
 * of `φ(tₖ)` are recomputed first, at every `tₖ`, endpoints included (see {@link recomputeStats}).
 *
 * @param curve - a live {@link Curve} (from `modeConnect` or `linearPath`), not modified.
 * @param evaluate - a metrics function, or `{ loss }`.
 * @param options - `points` (21), `recomputeStats` (none).
 * @returns `ts`, `values` (every metric the first call returned; every call must return the same
 *   names) and `barrier`.
 * @throws DescentError before anything is computed: `BAD_ARGUMENT` (not a curve, `evaluate`
 *   neither a function nor `{ loss }`, options no plain object, a bad `recomputeStats`),
 *   `DISPOSED`, `UNKNOWN_PARAM` (an unknown option, a model named unlike the curve),
 *   `SHAPE_MISMATCH`, `BAD_HYPERPARAM` / `NON_FINITE` (`points` not an integer ≥ 2); while
 *   evaluating: `BAD_ARGUMENT` (a result that is no object of numbers, or names other metrics
 *   than the first), what the loss or `recomputeStats` throws; what `evaluate` throws, unchanged.
 * @example
 * ```ts
 * const metrics = async (p: Params) => ({ loss: await testLoss(p), error: await testError(p) });
 * const { ts, values, barrier } = await evaluateCurve(curve, metrics, {
 *   recomputeStats: { model: net, batches: () => trainLoader },
 * });
 * ```
 * @see J. Frankle, G. K. Dziugaite, D. M. Roy, M. Carbin, Linear Mode Connectivity and the
 *   Lottery Ticket Hypothesis, ICML 2020 (the barrier); T. Garipov et al., Loss Surfaces, Mode
 *   Connectivity, and Fast Ensembling of DNNs, NeurIPS 2018.
 */
export async function evaluateCurve(
  curve: Curve,
  evaluate: CurveMetrics | { loss: LossFn },
  options: EvaluateCurveOptions = {},
): Promise<CurveEvaluation> {
  checkCurve('evaluateCurve: curve', curve);
  const measure = readEvaluate(evaluate);
  const read = new OptionReader('evaluateCurve', options, KNOWN);
  const points = read.integer('points', 21, { min: 2 });
  const recompute = readRecompute(read, curve);
  const ts = Array.from({ length: points }, (_, k) => k / (points - 1));
  const values: Record<string, number[]> = {};
  for (const t of ts) {
    const metrics = await measureAt(curve, t, measure, recompute);
    record(values, metrics, t);
  }
  return { ts, values, barrier: barrierOf(values.loss) };
}

type Measure = (params: Params) => Promise<unknown>;

function readEvaluate(evaluate: unknown): Measure {
  if (typeof evaluate === 'function') {
    return async (params) => (evaluate as CurveMetrics)(params);
  }
  if (isPlainObject(evaluate) && Object.keys(evaluate).length === 1 && 'loss' in evaluate) {
    const loss = evaluate.loss;
    checkLossFn('evaluateCurve: evaluate', loss);
    return async (params) => ({ loss: await lossValue('evaluateCurve', loss, params) });
  }
  throw new DescentError(
    'BAD_ARGUMENT',
    `evaluateCurve: evaluate must be a function (params) => metrics or { loss: (params) => scalar tensor }, got ${describeValue(evaluate)}.`,
  );
}

function readRecompute(read: OptionReader, curve: Curve): RecomputeStatsOptions | undefined {
  const value = read.raw('recomputeStats');
  if (value === undefined) return undefined;
  const recompute = readRecomputeOptions(read.name('recomputeStats'), value);
  checkSameStructure(
    `${read.name('recomputeStats')}.model.params`,
    recompute.model.params,
    'evaluateCurve: curve.points[0]',
    curve.points[0],
  );
  return recompute;
}

async function measureAt(
  curve: Curve,
  t: number,
  measure: Measure,
  recompute: RecomputeStatsOptions | undefined,
): Promise<unknown> {
  const theta = curve.at(t);
  let stats: Params = {};
  try {
    if (recompute !== undefined) {
      stats = await statsOf('evaluateCurve', recompute.model, recompute.batches, theta);
    }
    return await measure({ ...theta, ...stats });
  } finally {
    disposeParams(theta);
    disposeParams(stats);
  }
}

function record(values: Record<string, number[]>, metrics: unknown, t: number): void {
  const first = Object.keys(values).length === 0;
  if (!isPlainObject(metrics) || Object.keys(metrics).length === 0) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `evaluateCurve: evaluate must return an object of numbers (e.g. { loss, accuracy }), got ${describeValue(metrics)} at t = ${t}.`,
    );
  }
  const names = Object.keys(metrics);
  const expected = Object.keys(values);
  const sameNames =
    first ||
    (names.length === expected.length && names.every((name) => Object.hasOwn(values, name)));
  if (!sameNames) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `evaluateCurve: evaluate returned the metrics ${names.join(', ')} at t = ${t}, but ${expected.join(', ')} at t = 0; every call must return the same names.`,
    );
  }
  for (const name of names) {
    const value = metrics[name];
    if (typeof value !== 'number') {
      throw new DescentError(
        'BAD_ARGUMENT',
        `evaluateCurve: the metric ${JSON.stringify(name)} must be a number, got ${describeValue(value)} at t = ${t}.`,
      );
    }
    values[name] = [...(values[name] ?? []), value];
  }
}

function barrierOf(losses: readonly number[] | undefined): number | undefined {
  if (losses === undefined) return undefined;
  const ends = ((losses[0] as number) + (losses[losses.length - 1] as number)) / 2;
  return Math.max(...losses) - ends;
}
