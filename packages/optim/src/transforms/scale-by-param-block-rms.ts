import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, type Params } from '@descent/core';
import { checkedTransformation } from '../transform/check-update';
import type { GradientTransformation } from '../transform/gradient-transformation';
import { requireParam } from '../transform/require-param';
import { EMPTY_STATE, type TransformState } from '../transform/transform-state';

/**
 * Scales each parameter's update by the root mean square of the parameter itself (optax's
 * `scale_by_param_block_rms`; Adafactor's relative step size, `multiply_by_parameter_scale`):
 *
 * ```
 * u ← u · max(rms(θ), minScale),     rms(θ) = √(mean(θ²))
 * ```
 *
 * Needs `params`; stateless; the RMS is computed on the backend. A non-finite RMS (a parameter
 * that already holds NaN or ±∞) leaves that update unscaled (factor 1), so the NaN stays in its
 * own element instead of spreading to the whole parameter through the factor.
 *
 * @param minScale - lower bound of the scale, ≥ 0. Default 1e-3 (optax; Adafactor's `ε₂`).
 *
 * @throws DescentError `BAD_HYPERPARAM` / `NON_FINITE` for a bad option value; its `update` refuses
 *   bad updates, state and params (see `GradientTransformation`).
 *
 * @example
 * ```ts
 * chain(scaleByFactoredRms(), clipByBlockRms(1), scaleByParamBlockRms(), scaleByLearningRate(1e-2));
 * ```
 *
 * Shazeer & Stern, "Adafactor: Adaptive Learning Rates with Sublinear Memory Cost", ICML 2018, §8.
 */
export function scaleByParamBlockRms(minScale = 1e-3): GradientTransformation {
  checkNumber('minScale', minScale, { min: 0 });
  return checkedTransformation('scaleByParamBlockRms', {
    init: () => EMPTY_STATE,
    update(updates: Params, state: TransformState, params?: Params) {
      const next: Params = {};
      for (const [name, u] of Object.entries(updates)) {
        const p = requireParam('scaleByParamBlockRms', params, name);
        next[name] = tf.tidy(() => {
          const rms = tf.sqrt(tf.mean(tf.square(p)));
          return tf.mul(u, tf.where(tf.isFinite(rms), tf.maximum(rms, minScale), tf.onesLike(rms)));
        });
      }
      return { updates: next, state };
    },
  });
}
