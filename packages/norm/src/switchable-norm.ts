import * as tf from '@tensorflow/tfjs-core';
import { DescentError, formatShape } from '@descent/core';
import { sizeOver } from './axes';
import { cloneState, updateRunning, type NormResult } from './batch-norm';
import {
  checkAffine,
  checkInput,
  checkMomentsState,
  checkParamShape,
  epsilonOption,
  momentumOption,
  readOptions,
  trainingOption,
} from './checks';
import { emptyOutput } from './empty-input';
import type { BatchNormState } from './norm-state';
import { affine } from './normalize';

/** Parameters of {@link switchableNorm}: the affine pair and the two mixture logit vectors. */
export interface SwitchableNormParams {
  /** Scale γ, shape `[C]`; omitted = 1. */
  gamma?: tf.Tensor;
  /** Shift β, shape `[C]`; omitted = 0. */
  beta?: tf.Tensor;
  /** Logits `λ` of the mean mixture over (IN, LN, BN), shape `[3]`; zeros start at equal weights. */
  meanLogits: tf.Tensor;
  /** Logits `λ'` of the variance mixture over (IN, LN, BN), shape `[3]`. */
  varLogits: tf.Tensor;
}

/** Options of {@link switchableNorm}. */
export interface SwitchableNormOptions {
  /** Required: `true` uses the batch statistics for the BN term and updates the running ones. */
  training: boolean;
  /** Weight of the old running value of the BN statistics. Default `0.99`. */
  momentum?: number;
  /** Added to the mixed variance inside the square root. Default `1e-3`. */
  epsilon?: number;
}

const KNOWN = ['training', 'momentum', 'epsilon'] as const;

/**
 * Switchable normalization (Luo, Ren, Peng, Zhang & Li, 2018/2019): a learned mixture of the
 * statistics of instance, layer and batch normalization, for `x` of shape `[N, …spatial, C]`:
 * `μ = Σ_k softmax(λ)_k μ_k`, `σ² = Σ_k softmax(λ')_k σ²_k` over `k ∈ (IN, LN, BN)`, and
 * `y = γ·(x − μ)/√(σ² + ε) + β`, where (all biased) IN statistics are per sample and channel
 * over the spatial axes, LN per sample over spatial axes and channels, BN per channel over the
 * batch and spatial axes. In inference the BN term uses the running statistics in `state`
 * (`[C]`, updated as in {@link batchNorm} with the biased batch variance), IN and LN still use
 * the sample's own. Gradients reach `x`, `γ`, `β` and both logit vectors.
 *
 * An empty `x` and the running statistics' values are treated as in {@link batchNorm}.
 *
 * @throws DescentError `SHAPE_MISMATCH` (rank < 3, γ, β or state not `[C]`, logits not `[3]`,
 * fewer than 2 values per channel in training), `BAD_HYPERPARAM`, `NON_FINITE` (a NaN or ±∞
 * option), `BAD_ARGUMENT` (a missing logit vector, a non-tensor, params, state or options not a
 * plain object), `DTYPE_MISMATCH`, `DISPOSED`, `UNKNOWN_PARAM`.
 *
 * @example
 * ```ts
 * const params = { gamma: tf.ones([C]), beta: tf.zeros([C]), meanLogits: tf.zeros([3]), varLogits: tf.zeros([3]) };
 * const { y, state: next } = switchableNorm(x, params, state, { training: true });
 * ```
 */
export function switchableNorm(
  x: tf.Tensor,
  params: SwitchableNormParams,
  state: BatchNormState,
  options: SwitchableNormOptions,
): NormResult {
  const read = readOptions('switchableNorm', options, KNOWN);
  checkInput('switchableNorm: x', x, 3, '[N, …spatial, C] (e.g. NHWC)');
  const training = trainingOption(read);
  const momentum = momentumOption(read);
  const epsilon = epsilonOption(read);
  const channels = x.shape[x.rank - 1] as number;
  const what = `one per channel of x ${formatShape(x.shape)}`;
  checkAffine('switchableNorm: params', params, [channels], what, [
    'gamma',
    'beta',
    'meanLogits',
    'varLogits',
  ]);
  checkParamShape('switchableNorm: params.meanLogits', params.meanLogits, [3], 'IN, LN, BN');
  checkParamShape('switchableNorm: params.varLogits', params.varLogits, [3], 'IN, LN, BN');
  checkMomentsState('switchableNorm: state', state, [channels], what);
  const spatial = Array.from({ length: x.rank - 2 }, (_, i) => i + 1);
  const batchAxes = [0, ...spatial];
  const count = sizeOver(x.shape, batchAxes);
  if (training && count < 2) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `switchableNorm: x ${formatShape(x.shape)} has ${count} value per channel; training needs at least 2.`,
    );
  }
  if (x.size === 0) {
    const given = [params.gamma, params.beta, params.meanLogits, params.varLogits];
    return { y: emptyOutput(x, given), state: cloneState(state) };
  }
  return tf.tidy(() => {
    const paramShape = x.shape.map((d, i) => (i === x.rank - 1 ? d : 1));
    // Two-pass statistics (no E[x²] − μ² cancellation); groups have equal sizes, so the LN and
    // BN means are means of the IN means.
    const meanIn = tf.mean(x, spatial, true);
    const varIn = tf.mean(tf.square(tf.sub(x, meanIn)), spatial, true);
    const meanLn = tf.mean(meanIn, [x.rank - 1], true);
    const varLn = tf.mean(tf.square(tf.sub(x, meanLn)), [...spatial, x.rank - 1], true);
    let meanBn: tf.Tensor;
    let varBn: tf.Tensor;
    let next: BatchNormState;
    if (training) {
      meanBn = tf.mean(meanIn, [0], true);
      varBn = tf.mean(tf.square(tf.sub(x, meanBn)), batchAxes, true);
      next = updateRunning(state, meanBn, varBn, channels, momentum, 0);
    } else {
      meanBn = tf.reshape(state.mean, paramShape);
      varBn = tf.reshape(state.variance, paramShape);
      next = cloneState(state);
    }
    const wm = tf.softmax(params.meanLogits);
    const wv = tf.softmax(params.varLogits);
    const pick = (w: tf.Tensor, k: number) => tf.reshape(tf.slice(w, [k], [1]), []);
    const mix = (w: tf.Tensor, terms: tf.Tensor[]) =>
      terms.map((t, k) => tf.mul(pick(w, k), t)).reduce((a, b) => tf.add(a, b));
    const mean = mix(wm, [meanIn, meanLn, meanBn]);
    const variance = mix(wv, [varIn, varLn, varBn]);
    const xHat = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, epsilon)));
    return { y: affine(xHat, params, paramShape), state: next };
  });
}
