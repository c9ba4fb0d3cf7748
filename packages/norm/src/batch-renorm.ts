import * as tf from '@tensorflow/tfjs-core';
import { DescentError, formatShape } from '@descent/core';
import { otherAxes, sizeOver } from './axes';
import type { NormResult } from './batch-norm';
import { cloneState, updateRunning } from './batch-norm';
import {
  type AffineParams,
  axisOption,
  checkAffine,
  checkInput,
  checkMomentsState,
  epsilonOption,
  momentumOption,
  readOptions,
  trainingOption,
} from './checks';
import { emptyOutput } from './empty-input';
import type { BatchNormState } from './norm-state';
import { affine, moments, normalizeAffine } from './normalize';
import { stopGradient } from './stop-gradient';

/** Options of {@link batchRenorm}. */
export interface BatchRenormOptions {
  /** Required: `true` uses the corrected batch statistics and updates the running ones; `false` uses the running ones. */
  training: boolean;
  /** Clip of `r` to `[1/rMax, rMax]`; `rMax ≥ 1`, `1` gives plain batch norm. Default `3` (the paper's final value). */
  rMax?: number;
  /** Clip of `d` to `[−dMax, dMax]`; `dMax ≥ 0`, `0` gives plain batch norm. Default `5` (the paper's final value). */
  dMax?: number;
  /** Weight of the old running value, as in {@link batchNorm}. Default `0.99`. */
  momentum?: number;
  /** Added to both variances inside the square roots. Default `1e-3`. */
  epsilon?: number;
  /** The channel axis. Default `-1`. */
  axis?: number;
  /** As in {@link batchNorm}: `true` feeds the unbiased batch variance to the running variance. Default `false`. */
  unbiasedRunningVariance?: boolean;
}

const KNOWN = [
  'training',
  'rMax',
  'dMax',
  'momentum',
  'epsilon',
  'axis',
  'unbiasedRunningVariance',
] as const;

/**
 * Batch renormalization (Ioffe, 2017): batch norm whose training output is corrected towards the
 * running statistics, so that training and inference compute the same function of the input.
 *
 * With `σ_B = √(σ²_B + ε)` the batch and `σ = √(σ̂² + ε)` the running standard deviation per
 * channel, in training
 * `r = clip(σ_B/σ, 1/rMax, rMax)`, `d = clip((μ_B − μ̂)/σ, −dMax, dMax)`,
 * `y = γ·((x − μ_B)/σ_B·r + d) + β`, where `r` and `d` are **constants in the backward pass**
 * (gradients flow through `μ_B` and `σ_B` only, as in the paper). The running statistics are
 * updated exactly as in {@link batchNorm} (same state, so the two are interchangeable; the paper
 * averages σ rather than σ², and Keras keeps a separate renorm state — a documented difference).
 * Inference: `y = γ·(x − μ̂)/σ + β`. The paper starts with `rMax = 1`, `dMax = 0` and relaxes them
 * to 3 and 5 during training; pass a schedule's value at each step for that.
 *
 * An empty `x` and the running statistics' values are treated as in {@link batchNorm}.
 *
 * @throws DescentError as {@link batchNorm}, plus `BAD_HYPERPARAM` for `rMax < 1` or `dMax < 0`
 * (`NON_FINITE` for NaN or ±∞).
 *
 * @example
 * ```ts
 * const { y, state: next } = batchRenorm(h, { gamma, beta }, state, { training: true, rMax: 3, dMax: 5 });
 * ```
 */
export function batchRenorm(
  x: tf.Tensor,
  params: AffineParams,
  state: BatchNormState,
  options: BatchRenormOptions,
): NormResult {
  const read = readOptions('batchRenorm', options, KNOWN);
  checkInput('batchRenorm: x', x, 2, '[N, …, C] with the channels on options.axis');
  const training = trainingOption(read);
  const axis = axisOption(read, x.shape);
  const rMax = read.number('rMax', 3, { min: 1 });
  const dMax = read.number('dMax', 5, { min: 0 });
  const momentum = momentumOption(read);
  const epsilon = epsilonOption(read);
  const unbiased = read.boolean('unbiasedRunningVariance', false);
  const channels = x.shape[axis] as number;
  const what = `one per channel of x ${formatShape(x.shape)} on axis ${axis}`;
  checkAffine('batchRenorm: params', params, [channels], what);
  checkMomentsState('batchRenorm: state', state, [channels], what);
  const reduce = otherAxes(x.rank, [axis]);
  const count = sizeOver(x.shape, reduce);
  if (training && count < 2) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `batchRenorm: x ${formatShape(x.shape)} has ${count} value per channel; training needs at least 2.`,
    );
  }
  if (x.size === 0)
    return { y: emptyOutput(x, [params.gamma, params.beta]), state: cloneState(state) };
  return tf.tidy(() => {
    const paramShape = x.shape.map((d, i) => (i === axis ? d : 1));
    const runMean = tf.reshape(state.mean, paramShape);
    const runStd = tf.sqrt(tf.add(tf.reshape(state.variance, paramShape), epsilon));
    if (!training) {
      const y = normalizeAffine(
        x,
        runMean,
        tf.reshape(state.variance, paramShape),
        epsilon,
        params,
        paramShape,
      );
      return { y, state: cloneState(state) };
    }
    const { mean, variance } = moments(x, reduce);
    const batchStd = tf.sqrt(tf.add(variance, epsilon));
    const r = stopGradient(tf.clipByValue(tf.div(batchStd, runStd), 1 / rMax, rMax));
    const d = stopGradient(tf.clipByValue(tf.div(tf.sub(mean, runMean), runStd), -dMax, dMax));
    const xHat = tf.add(tf.mul(tf.div(tf.sub(x, mean), batchStd), r), d);
    const y = affine(xHat, params, paramShape);
    const next = updateRunning(state, mean, variance, channels, momentum, unbiased ? count : 0);
    return { y, state: next };
  });
}
