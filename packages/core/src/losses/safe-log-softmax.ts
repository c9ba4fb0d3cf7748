import * as tf from '@tensorflow/tfjs-core';
import { DescentError } from '../errors/descent-error';
import { formatShape } from '../validate/format-shape';
import { checkDtype } from '../validate/tensor-checks';
import { expAnyOrder } from './safe-exp';
import { maxLastAxisNoGradient } from './max-no-gradient';

/**
 * `log Σ_c exp(x_c)` over the last axis, stable and differentiable to any order (see
 * {@link safeExp}): `m + log Σ_c exp(x_c − m)` with `m = max_c x_c` held constant in the backward
 * pass (the result does not depend on `m`, so the derivatives are exact). Internal; `keepDims`
 * keeps the last axis as size 1.
 */
export function logSumExpLastAxis(x: tf.Tensor, keepDims: boolean): tf.Tensor {
  return tf.tidy(() => {
    const m = maxLastAxisNoGradient(x);
    const lse = tf.add(m, tf.log(tf.sum(expAnyOrder(tf.sub(x, m)), -1, true)));
    return keepDims ? lse : tf.squeeze(lse, [x.rank - 1]);
  });
}

/**
 * Log-softmax over the last axis, differentiable to **any order** (tfjs 4.22's `tf.logSoftmax`
 * throws on a gradient of a gradient): `log softmax(x)_c = x_c − log Σ_k exp(x_k)`, the
 * log-sum-exp computed stably as `m + log Σ_k exp(x_k − m)`, `m = max_k x_k` (held constant in
 * the backward pass, which leaves every derivative exact), with {@link safeExp}.
 *
 * @param x - float32 logits of rank ≥ 1, classes on the last axis (not disposed).
 * @returns a new float32 tensor of `x`'s shape; the caller disposes it.
 * @throws DescentError `DTYPE_MISMATCH` unless `x` is float32; `SHAPE_MISMATCH` for a scalar or
 *   an empty last axis; `BAD_ARGUMENT` / `DISPOSED`.
 * @example
 * ```ts
 * safeLogSoftmax(tf.tensor([[0, Math.log(3)]])); // [[log 1/4, log 3/4]]
 * ```
 * @see J. S. Bridle, Probabilistic interpretation of feedforward classification network
 *   outputs, 1990 (the softmax).
 */
export function safeLogSoftmax(x: tf.Tensor): tf.Tensor {
  checkDtype('safeLogSoftmax: x', x, 'float32');
  if (x.rank === 0 || x.shape[x.rank - 1] === 0) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `safeLogSoftmax: x must have rank ≥ 1 and a non-empty last (class) axis, got shape ${formatShape(x.shape)}.`,
    );
  }
  return tf.tidy(() => tf.sub(x, logSumExpLastAxis(x, true)));
}
