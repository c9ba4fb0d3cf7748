import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, globalNorm, type Params } from '@descent/core';
import { checkedTransformation } from '../transform/check-update';
import type { GradientTransformation } from '../transform/gradient-transformation';
import { EMPTY_STATE } from '../transform/transform-state';

/**
 * Rescales all updates of a step together so that their global L2 norm is at most `maxNorm`
 * (optax's `clip_by_global_norm`, torch's `clip_grad_norm_`; Pascanu et al., 2013):
 *
 * ```
 * ‖u‖ = √(Σ_params Σ_i u_i²)             (over every update of this call)
 * u ← u                  if ‖u‖ < maxNorm
 * u ← u · maxNorm / ‖u‖  otherwise        (= u · min(1, maxNorm / ‖u‖))
 * ```
 *
 * The direction of the whole update is kept. Stateless; the norm stays on the device (no read).
 *
 * Non-finite updates: when the global norm is NaN or infinite (one NaN or ±∞ element anywhere),
 * the updates are left unclipped, so the non-finite value stays in its own element instead of
 * turning every parameter NaN through the clip factor (the finite elements of that step are not
 * clipped either). To skip such a step altogether, wrap the chain in {@link applyIfFinite}; the
 * README's "Non-finite gradients" section describes the policy of every transformation.
 *
 * Frameworks: torch divides by `‖u‖ + 1e-6` and always multiplies by `min(1, ·)`; optax (and
 * this) selects `u` unchanged below the threshold, so an update with norm exactly `maxNorm` or
 * below is returned bit-for-bit. Keras' `global_clipnorm` matches optax.
 *
 * @param maxNorm - the largest allowed global norm, > 0.
 * @throws DescentError `BAD_HYPERPARAM` / `NON_FINITE` for a bad `maxNorm`.
 *
 * @example
 * ```ts
 * const opt = fromTransform(chain(clipByGlobalNorm(1), scaleByAdam(), scaleByLearningRate(1e-3)));
 * ```
 */
export function clipByGlobalNorm(maxNorm: number): GradientTransformation {
  checkNumber('maxNorm', maxNorm, { min: 0, minExclusive: true });
  return checkedTransformation('clipByGlobalNorm', {
    init: () => EMPTY_STATE,
    update(updates: Params) {
      const scale = globalClipFactor(updates, maxNorm);
      const next: Params = {};
      for (const [name, u] of Object.entries(updates)) next[name] = tf.mul(u, scale);
      return { updates: next, state: EMPTY_STATE };
    },
  });
}

/**
 * The factor `clipByGlobalNorm` multiplies every update by: `1` when `‖u‖ < maxNorm`, else
 * `maxNorm/‖u‖` — a scalar tensor on the device (nothing read back). The fused optimizer steps read
 * the same factor, so both paths clip identically.
 */
export function globalClipFactor(updates: Params, maxNorm: number): tf.Tensor {
  return tf.tidy(() => {
    const norm = globalNorm(updates);
    // A non-finite norm (a NaN or an infinity among the updates) leaves every update unclipped,
    // so the non-finite value stays in its own element instead of spreading to all of them.
    // (`norm < ∞` is false for NaN and ∞; two selects keep the fused steps' kernel set small.)
    const one = tf.scalar(1);
    const clipped = tf.where(tf.less(norm, Number.POSITIVE_INFINITY), tf.div(maxNorm, norm), one);
    return tf.where(tf.less(norm, maxNorm), one, clipped);
  });
}
