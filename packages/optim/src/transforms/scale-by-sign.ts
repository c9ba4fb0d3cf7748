import * as tf from '@tensorflow/tfjs-core';
import type { Params } from '@descent/core';
import { checkedTransformation } from '../transform/check-update';
import type { GradientTransformation } from '../transform/gradient-transformation';
import { EMPTY_STATE, type TransformState } from '../transform/transform-state';

/**
 * Replaces every update by its sign: `u ← sign(u)` ∈ {−1, 0, 1} (optax's `scale_by_sign`;
 * signSGD, Bernstein et al., 2018). Stateless.
 *
 * NaN stays NaN (as torch and jax; `tf.sign` would map it to 0 and hide it): a NaN update
 * element stays in its own element, as the README's "Non-finite gradients" section describes.
 * The sign is exact on every backend (see `signOf`).
 *
 * @throws DescentError its `update` refuses bad updates, state and params as every
 *   transformation of this package does (`BAD_ARGUMENT`, `DISPOSED`, `DTYPE_MISMATCH`,
 *   `UNKNOWN_PARAM`, `SHAPE_MISMATCH`).
 *
 * @example
 * ```ts
 * const signSgd = chain(scaleBySign(), scaleByLearningRate(1e-3));
 * const signOfMomentum = chain(scaleByMomentum({ momentum: 0.9 }), scaleBySign(), scaleByLearningRate(1e-3));
 * ```
 */
export function scaleBySign(): GradientTransformation {
  return checkedTransformation('scaleBySign', {
    init: () => EMPTY_STATE,
    update(updates: Params, state: TransformState) {
      const next: Params = {};
      for (const [name, u] of Object.entries(updates)) next[name] = signOf(u);
      return { updates: next, state };
    },
  });
}

/**
 * `sign(x)` on every backend: 1 for x > 0, −1 for x < 0, 0 for ±0 and NaN for NaN (`tf.sign`
 * gives 0 for NaN, which would freeze a Lion parameter silently instead of showing the NaN). tfjs-backend-wasm 4.22's `Sign` kernel returns 0 for every
 * |x| < 2⁻²³ ≈ 1.19e-7 (float32 epsilon), which would silently zero small Lion/signSGD updates;
 * there this is computed from two comparisons instead.
 */
export function signOf(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const nan = tf.isNaN(x);
    if (tf.getBackend() !== 'wasm') return tf.where(nan, x, tf.sign(x));
    const one = tf.onesLike(x);
    const zeroOrNaN = tf.where(nan, x, tf.zerosLike(x));
    return tf.where(tf.greater(x, 0), one, tf.where(tf.less(x, 0), tf.neg(one), zeroOrNaN));
  });
}
