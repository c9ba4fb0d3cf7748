import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, isTensor } from '@descent/core';
import { MAX_CHANNELS, checkRecord } from './checks';

/**
 * Running statistics of {@link batchNorm}, {@link batchRenorm} and {@link switchableNorm}: one
 * mean and one variance per channel (shape `[C]`), Keras' `moving_mean` / `moving_variance`.
 */
export type BatchNormState = {
  /** Running mean μ̂, shape `[C]`. */
  mean: tf.Tensor;
  /** Running variance σ̂², shape `[C]`. */
  variance: tf.Tensor;
};

/**
 * The initial running statistics for `channels` channels: mean 0, variance 1 (Keras' and
 * torch's `moving_mean`/`running_mean` zeros and `moving_variance`/`running_var` ones).
 *
 * @throws DescentError `BAD_HYPERPARAM` unless `channels` is an integer in [1, 2²⁴], `NON_FINITE`
 * for NaN or ±∞.
 *
 * @example
 * ```ts
 * let state = batchNormState(64);
 * ```
 */
export function batchNormState(channels: number): BatchNormState {
  checkNumber('batchNormState: channels', channels, { integer: true, min: 1, max: MAX_CHANNELS });
  return { mean: tf.zeros([channels]), variance: tf.ones([channels]) };
}

/**
 * Disposes every tensor of a state object (e.g. the previous {@link BatchNormState} or
 * {@link SpectralNormState} once the op has returned the next one). Non-tensor entries are
 * ignored; already disposed tensors are fine.
 *
 * @throws DescentError `BAD_ARGUMENT` unless `state` is an object of named entries (not null, an
 * array, a tensor or a function).
 *
 * **Ownership rule of this package:** every stateful op returns a state of *new* tensors (even
 * in inference mode, where they are clones that share memory with the old ones); the old state
 * still belongs to the caller, who disposes it when done.
 *
 * @example
 * ```ts
 * const out = batchNorm(x, params, state, { training: true });
 * disposeState(state);
 * state = out.state;
 * ```
 */
export function disposeState(state: object): void {
  checkRecord('disposeState: state', state, 'of tensors such as { mean, variance } or { u }');
  for (const value of Object.values(state)) {
    if (isTensor(value) && !value.isDisposed) value.dispose();
  }
}

/**
 * Marks every tensor of a state object with `tf.keep`, so it survives the `tf.tidy` it was made
 * in — in particular the forward pass of `tf.grads` / `tf.variableGrads`, which disposes every
 * tensor the loss function made except the loss. Returns the same object.
 *
 * @throws DescentError `BAD_ARGUMENT` unless `state` is an object of named entries.
 *
 * @example
 * ```ts
 * let next!: BatchNormState;
 * const { grads } = tf.variableGrads(() => {
 *   const out = batchNorm(tf.matMul(x, w), params, state, { training: true });
 *   next = keepState(out.state);
 *   return loss(out.y);
 * });
 * disposeState(state);
 * state = next;
 * ```
 */
export function keepState<S extends object>(state: S): S {
  checkRecord('keepState: state', state, 'of tensors such as { mean, variance } or { u }');
  for (const value of Object.values(state)) {
    if (isTensor(value)) tf.keep(value);
  }
  return state;
}
