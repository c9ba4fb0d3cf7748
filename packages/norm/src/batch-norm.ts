import * as tf from '@tensorflow/tfjs-core';
import { DescentError, formatShape } from '@descent/core';
import { otherAxes, sizeOver } from './axes';
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
import { moments, normalizeAffine } from './normalize';

/** Options of {@link batchNorm}. */
export interface BatchNormOptions {
  /**
   * Required. `true`: normalize with the batch statistics and return updated running statistics;
   * `false` (inference): normalize with the running statistics, which are returned unchanged.
   */
  training: boolean;
  /** Weight of the old running value: `running ← momentum·running + (1 − momentum)·batch`. Default `0.99` (Keras). */
  momentum?: number;
  /** Added to the variance inside the square root. Default `1e-3` (Keras; torch uses `1e-5`). */
  epsilon?: number;
  /** The channel (feature) axis; statistics are taken over all other axes. Default `-1` (channels-last). */
  axis?: number;
  /**
   * Which batch variance enters the running variance: `false` (default, Keras/tfjs-layers) the
   * biased one, `mean((x − μ_B)²)`; `true` (torch) the unbiased one, scaled by `m/(m − 1)` for
   * `m` values per channel. The output is always normalized with the biased one.
   */
  unbiasedRunningVariance?: boolean;
}

/** What a stateful normalization returns: the output and the next running statistics. */
export interface NormResult<S = BatchNormState> {
  /** The normalized output, same shape as `x`. */
  y: tf.Tensor;
  /** The next state: new tensors (clones in inference mode); the caller still owns and disposes the old one. */
  state: S;
}

const KNOWN = ['training', 'momentum', 'epsilon', 'axis', 'unbiasedRunningVariance'] as const;

/**
 * Batch normalization (Ioffe & Szegedy, 2015) as a functional op with explicit running statistics.
 *
 * With `C` channels on `axis` and `m` values per channel (all other axes):
 * - training: `μ_B = mean(x)`, `σ²_B = mean((x − μ_B)²)` (biased) per channel,
 *   `y = γ·(x − μ_B)/√(σ²_B + ε) + β`, and the running statistics become
 *   `μ̂ ← momentum·μ̂ + (1 − momentum)·μ_B`, `σ̂² ← momentum·σ̂² + (1 − momentum)·s²` where `s²`
 *   is `σ²_B` (default, Keras) or `σ²_B·m/(m − 1)` (`unbiasedRunningVariance`, torch);
 * - inference: `y = γ·(x − μ̂)/√(σ̂² + ε) + β`.
 *
 * `momentum` has the Keras/tfjs-layers meaning (weight of the *old* value; torch's `momentum` is
 * `1 −` ours). ε is inside the square root. Gradients flow through `μ_B` and `σ²_B` (the full
 * batch-norm backward pass), not through the running statistics. `gamma`, `beta`, `state.mean`
 * and `state.variance` have shape `[C]`; omit `gamma`/`beta` for no scale/shift.
 *
 * Ownership: the returned `state` holds new tensors; dispose the old one yourself
 * ({@link disposeState}). Inside `tf.grads`/`tf.variableGrads`, {@link keepState} the new state.
 *
 * An `x` without elements gives an empty `y` (zero gradients for `x`, γ and β) and the state
 * unchanged, on every backend. The running statistics' values are not read (that would cost a
 * device read per call): a negative or non-finite running variance gives NaN in inference —
 * check restored state with {@link checkBatchNormState}.
 *
 * @throws DescentError `SHAPE_MISMATCH` (x of rank < 2, parameters or state not `[C]`, fewer than
 * 2 values per channel in training), `BAD_HYPERPARAM` (momentum outside [0, 1], ε ≤ 0, bad axis,
 * `training` missing, a non-boolean flag), `NON_FINITE` (a NaN or ±∞ option), `BAD_ARGUMENT`
 * (x, a parameter or a state entry not a tensor; params, state or options not a plain object),
 * `DTYPE_MISMATCH`, `DISPOSED`, `UNKNOWN_PARAM` (an unknown option, parameter or state key).
 *
 * @example
 * ```ts
 * let state = batchNormState(16);
 * const gamma = tf.ones([16]), beta = tf.zeros([16]);
 * const { y, state: next } = batchNorm(h, { gamma, beta }, state, { training: true });
 * disposeState(state);
 * state = next;
 * ```
 */
export function batchNorm(
  x: tf.Tensor,
  params: AffineParams,
  state: BatchNormState,
  options: BatchNormOptions,
): NormResult {
  const read = readOptions('batchNorm', options, KNOWN);
  checkInput('batchNorm: x', x, 2, '[N, …, C] with the channels on options.axis');
  const training = trainingOption(read);
  const axis = axisOption(read, x.shape);
  const momentum = momentumOption(read);
  const epsilon = epsilonOption(read);
  const unbiased = read.boolean('unbiasedRunningVariance', false);
  const channels = x.shape[axis] as number;
  const what = `one per channel of x ${formatShape(x.shape)} on axis ${axis}`;
  checkAffine('batchNorm: params', params, [channels], what);
  checkMomentsState('batchNorm: state', state, [channels], what);
  const reduce = otherAxes(x.rank, [axis]);
  const count = sizeOver(x.shape, reduce);
  if (training && count < 2) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `batchNorm: x ${formatShape(x.shape)} has ${count} value per channel; training needs at least 2 ` +
        'to estimate a variance.',
    );
  }
  if (x.size === 0)
    return { y: emptyOutput(x, [params.gamma, params.beta]), state: cloneState(state) };
  return batchNormCore(x, params, state, {
    training,
    axis,
    momentum,
    epsilon,
    unbiased,
  });
}

/** {@link batchNorm} after validation. */
function batchNormCore(
  x: tf.Tensor,
  params: AffineParams,
  state: BatchNormState,
  o: { training: boolean; axis: number; momentum: number; epsilon: number; unbiased: boolean },
): NormResult {
  return tf.tidy(() => {
    const channels = x.shape[o.axis] as number;
    const paramShape = x.shape.map((d, i) => (i === o.axis ? d : 1));
    if (!o.training) {
      const y = normalizeAffine(
        x,
        tf.reshape(state.mean, paramShape),
        tf.reshape(state.variance, paramShape),
        o.epsilon,
        params,
        paramShape,
      );
      return { y, state: cloneState(state) };
    }
    const reduce = otherAxes(x.rank, [o.axis]);
    const { mean, variance } = moments(x, reduce);
    const y = normalizeAffine(x, mean, variance, o.epsilon, params, paramShape);
    const next = updateRunning(
      state,
      mean,
      variance,
      channels,
      o.momentum,
      o.unbiased ? sizeOver(x.shape, reduce) : 0,
    );
    return { y, state: next };
  });
}

/**
 * `running ← momentum·running + (1 − momentum)·batch` for mean and variance; `count > 0` applies
 * Bessel's correction `count/(count − 1)` to the batch variance first.
 */
export function updateRunning(
  state: BatchNormState,
  batchMean: tf.Tensor,
  batchVariance: tf.Tensor,
  channels: number,
  momentum: number,
  count: number,
): BatchNormState {
  const m = tf.reshape(batchMean, [channels]);
  let v = tf.reshape(batchVariance, [channels]);
  if (count > 0) v = tf.mul(v, count / (count - 1));
  const blend = (old: tf.Tensor, batch: tf.Tensor) =>
    tf.add(tf.mul(old, momentum), tf.mul(batch, 1 - momentum));
  return { mean: blend(state.mean, m), variance: blend(state.variance, v) };
}

/** New tensors holding the same running statistics (the inference result's state). */
export function cloneState(state: BatchNormState): BatchNormState {
  return { mean: tf.clone(state.mean), variance: tf.clone(state.variance) };
}
