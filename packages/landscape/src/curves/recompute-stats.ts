import * as tf from '@tensorflow/tfjs-core';
import {
  DescentError,
  type Model,
  OptionReader,
  type Params,
  checkModel,
  checkSameStructure,
  disposeParams,
} from '@descent/core';
import { checkFloatParams } from '../loss/loss-fn';
import { type BatchSource, type CurveBatch, forEachBatch } from './batch-source';

/** Options of {@link recomputeStats}: the network and the data to measure it on. */
export interface RecomputeStatsOptions {
  /**
   * The network. Its parameters of role `'stat'` are the running statistics; its `apply` must
   * report their updates in training mode through `options.stats`, as `@descent/nets` models do.
   */
  model: Model;
  /** The data, one pass (see {@link BatchSource}); usually training data. */
  batches: BatchSource;
}

/** Below this weight of the batch in the running update, the statistics are not recoverable. */
const MIN_BATCH_WEIGHT = 1e-4;

/** The old value of the second pass that measures each statistic's momentum: 2¹⁶. */
const PROBE = 65536;

const KNOWN = ['model', 'batches'] as const;

/**
 * The running statistics (parameters of role `'stat'`, e.g. batch norm's `moving_mean` and
 * `moving_variance`) that fit `params`, measured on `batches`: each is the plain average over the
 * batches of that batch's statistic, `μ̂ = (1/K)·Σ_k μ_k`, `σ̂² = (1/K)·Σ_k σ²_k` — the
 * cumulative average Garipov et al. recompute at every point of a curve (PyTorch's
 * `momentum=None`), since the interpolated statistics of two networks do not fit the network in
 * between.
 *
 * The model's own statistics mechanism is used: `apply(θ, x, { training: true, stats })`, whose
 * update is `running ← m·running + (1 − m)·batch` (nets, Keras, PyTorch). With the old value set
 * to 0 it reports `(1 − m)·batch`; the weight `1 − m` is measured per entry once, on the first
 * batch, from a second pass with the old value 2¹⁶. So the model's momentum does not matter (up
 * to `1 − m ≥ 1e-4`), and the result is what the model reports as a batch's variance (biased for
 * nets, as Keras). Relative float32 error about `6e-8/(1 − m)` (6e-6 for `m = 0.99`). Models
 * run in training mode, so dropout is active, as in Garipov et al.'s pass.
 *
 * @param params - `θ`: the model's structure, float32 (not modified; its `'stat'` entries are
 *   ignored).
 * @param options - `model`, `batches` (both required).
 * @returns the recomputed statistics, new tensors keyed like the model's `'stat'` parameters
 *   (`{}`, without a pass over the data, for a model without them); use `{ ...params, ...stats }`.
 * @throws DescentError before anything is computed: `BAD_ARGUMENT` (options no plain object, a
 *   bad model, `batches` no function), `UNKNOWN_PARAM` (an unknown option, `params` named unlike
 *   the model), `SHAPE_MISMATCH`, `DTYPE_MISMATCH`, `DISPOSED`; during the pass: `BAD_ARGUMENT`
 *   (a bad batch, no batch at all, a model that reports no statistics for some `'stat'`
 *   parameter, or whose statistics do not follow the batches, `1 − m < 1e-4`), and what the
 *   model throws.
 * @example
 * ```ts
 * const stats = await recomputeStats(theta, { model: net, batches: () => trainLoader });
 * const logits = net.apply({ ...theta, ...stats }, xTest);
 * disposeParams(stats);
 * ```
 * @see T. Garipov et al., Loss Surfaces, Mode Connectivity, and Fast Ensembling of DNNs,
 *   NeurIPS 2018, §A.1 (batch normalization along the curve); S. Ioffe, C. Szegedy, Batch
 *   Normalization, ICML 2015.
 */
export async function recomputeStats(
  params: Params,
  options: RecomputeStatsOptions,
): Promise<Params> {
  const { model, batches } = readRecomputeOptions('recomputeStats', options);
  checkFloatParams('recomputeStats: params', params);
  checkSameStructure('recomputeStats.model.params', model.params, 'recomputeStats: params', params);
  return statsOf('recomputeStats', model, batches, params);
}

/**
 * Validates `{ model, batches }`. Internal (also for `evaluateCurve`'s `recomputeStats`).
 *
 * @throws DescentError as {@link recomputeStats} does for its options.
 */
export function readRecomputeOptions(what: string, options: unknown): RecomputeStatsOptions {
  const read = new OptionReader(what, options, KNOWN);
  const model = read.raw('model');
  checkModel(read.name('model'), model);
  return { model, batches: read.func<BatchSource>('batches') };
}

/** {@link recomputeStats} after its checks. Internal. */
export async function statsOf(
  fn: string,
  model: Model,
  batches: BatchSource,
  params: Params,
): Promise<Params> {
  const keys = Object.keys(model.params).filter((key) => model.info[key]?.role === 'stat');
  if (keys.length === 0) return {};
  const zeros = filled(params, keys, 0);
  const probes = filled(params, keys, PROBE);
  let weights: Params | undefined;
  let sums: Params | undefined;
  try {
    const count = await forEachBatch(fn, batches, async (batch) => {
      const reported = reportedStats(fn, model, { ...params, ...zeros }, batch, keys);
      try {
        weights ??= await batchWeights(fn, model, { ...params, ...probes }, batch, keys, reported);
        sums = accumulate(sums, reported, weights, keys);
      } finally {
        disposeParams(reported);
      }
    });
    if (count === 0) {
      throw new DescentError('BAD_ARGUMENT', `${fn}: batches() yielded no batch.`);
    }
    const total = sums as Params;
    return tf.tidy(() => {
      const out: Params = {};
      for (const key of keys) out[key] = tf.div(total[key] as tf.Tensor, count);
      return out;
    });
  } finally {
    for (const p of [zeros, probes, weights, sums]) if (p !== undefined) disposeParams(p);
  }
}

function filled(params: Params, keys: readonly string[], value: number): Params {
  const out: Params = {};
  for (const key of keys) out[key] = tf.fill((params[key] as tf.Tensor).shape, value);
  return out;
}

/** What `apply` reports for the `'stat'` entries in training mode; new tensors. */
function reportedStats(
  fn: string,
  model: Model,
  theta: Params,
  batch: CurveBatch,
  keys: readonly string[],
): Params {
  const stats: Params = {};
  const apply = model.apply as (
    p: Params,
    x: tf.Tensor,
    o: { training: boolean; stats: Params },
  ) => tf.Tensor;
  try {
    tf.tidy(() => apply(theta, batch.x, { training: true, stats })).dispose();
    const missing = keys.filter((key) => stats[key] === undefined || stats[key].isDisposed);
    if (missing.length > 0) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${fn}: model.apply(params, x, { training: true, stats }) reported no live running statistics for ${missing.map((k) => JSON.stringify(k)).join(', ')}; ` +
          "it must write the updated 'stat' parameters into options.stats (kept with tf.keep), as @descent/nets models do.",
      );
    }
  } catch (error) {
    tf.dispose(Object.values(stats));
    throw error;
  }
  const out: Params = {};
  for (const [key, t] of Object.entries(stats)) {
    if (keys.includes(key)) out[key] = t;
    else t.dispose();
  }
  return out;
}

/**
 * The weight `1 − m` of the batch in each running update: with the old value 0 the model reports
 * `(1 − m)·s`, with `C` it reports `C·m + (1 − m)·s`. A large power of two keeps `C·m` exact and
 * above `(1 − m)·s`, so the difference divided by `C` is `m` to float32 rounding.
 */
async function batchWeights(
  fn: string,
  model: Model,
  theta: Params,
  batch: CurveBatch,
  keys: readonly string[],
  fromZero: Params,
): Promise<Params> {
  const fromProbe = reportedStats(fn, model, theta, batch, keys);
  const weights = tf.tidy(() => {
    const out: Params = {};
    for (const key of keys) {
      const retained = tf.div(
        tf.sub(fromProbe[key] as tf.Tensor, fromZero[key] as tf.Tensor),
        PROBE,
      );
      out[key] = tf.sub(1, retained);
    }
    return out;
  });
  disposeParams(fromProbe);
  try {
    for (const key of keys) {
      const smallest = minimum(await (weights[key] as tf.Tensor).data());
      if (!(smallest >= MIN_BATCH_WEIGHT)) {
        throw new DescentError(
          'BAD_ARGUMENT',
          `${fn}: the running statistic ${JSON.stringify(key)} barely follows the batches (weight of a batch ${smallest}, below ${MIN_BATCH_WEIGHT}: momentum 1?); it cannot be recomputed.`,
        );
      }
    }
  } catch (error) {
    disposeParams(weights);
    throw error;
  }
  return weights;
}

function minimum(values: ArrayLike<number>): number {
  let smallest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < values.length; i++) smallest = Math.min(smallest, values[i] as number);
  return smallest;
}

function accumulate(
  sums: Params | undefined,
  reported: Params,
  weights: Params,
  keys: readonly string[],
): Params {
  const next = tf.tidy(() => {
    const out: Params = {};
    for (const key of keys) {
      const batchValue = tf.div(reported[key] as tf.Tensor, weights[key] as tf.Tensor);
      out[key] = sums === undefined ? batchValue : tf.add(sums[key] as tf.Tensor, batchValue);
    }
    return out;
  });
  if (sums !== undefined) disposeParams(sums);
  return next;
}
