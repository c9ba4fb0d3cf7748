import * as tf from '@tensorflow/tfjs-core';
import type { Params } from '@descent/core';
import type { GradientTransformation } from '../transform/gradient-transformation';
import { EMPTY_STATE, type TransformState } from '../transform/transform-state';

/**
 * Replaces every update by its sign: `u ← sign(u)` ∈ {−1, 0, 1} (optax's `scale_by_sign`;
 * signSGD, Bernstein et al., 2018). Stateless.
 *
 * As `tf.sign`, NaN maps to 0 (torch and jax propagate NaN): guard with `applyIfFinite` if
 * gradients may be non-finite. The sign is exact on every backend (see `signOf`).
 *
 * @example
 * ```ts
 * const signSgd = chain(scaleBySign(), scaleByLearningRate(1e-3));
 * const signOfMomentum = chain(scaleByMomentum({ momentum: 0.9 }), scaleBySign(), scaleByLearningRate(1e-3));
 * ```
 */
export function scaleBySign(): GradientTransformation {
  return {
    init: () => EMPTY_STATE,
    update(updates: Params, state: TransformState) {
      const next: Params = {};
      for (const [name, u] of Object.entries(updates)) next[name] = signOf(u);
      return { updates: next, state };
    },
  };
}

/**
 * `sign(x)` with the cpu and webgpu backends' semantics on every backend: 1 for x > 0, −1 for
 * x < 0, 0 for ±0 and NaN. tfjs-backend-wasm 4.22's `Sign` kernel returns 0 for every
 * |x| < 2⁻²³ ≈ 1.19e-7 (float32 epsilon), which would silently zero small Lion/signSGD updates;
 * there this is computed from two comparisons instead.
 */
export function signOf(x: tf.Tensor): tf.Tensor {
  if (tf.getBackend() !== 'wasm') return tf.sign(x);
  return tf.tidy(() => {
    const one = tf.onesLike(x);
    return tf.where(tf.greater(x, 0), one, tf.where(tf.less(x, 0), tf.neg(one), tf.zerosLike(x)));
  });
}
