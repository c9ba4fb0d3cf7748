import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, type Params } from '@descent/core';
import { checkedTransformation } from '../transform/check-update';
import type { GradientTransformation } from '../transform/gradient-transformation';
import { EMPTY_STATE, type TransformState } from '../transform/transform-state';

/**
 * Clips each parameter's update to a maximum root mean square (optax's `clip_by_block_rms`; a
 * "block" is one tensor, e.g. a weight matrix):
 *
 * ```
 * u ← u / max(1, rms(u) / d),     rms(u) = √(mean(u²))
 * ```
 *
 * Adafactor's update clipping (Shazeer & Stern, 2018, §6, threshold `d = 1`). Stateless; the
 * RMS is computed on the backend.
 *
 * A non-finite RMS (a NaN or ±∞ in the update) leaves that update unclipped, so the non-finite
 * value stays in its own element; wrap the chain in `applyIfFinite` to skip such steps.
 *
 * @param threshold - `d` > 0, the largest RMS an update keeps.
 *
 * @throws DescentError `BAD_HYPERPARAM` / `NON_FINITE` for a bad option value; its `update` refuses
 *   bad updates, state and params (see `GradientTransformation`).
 *
 * @example
 * ```ts
 * chain(scaleByFactoredRms(), clipByBlockRms(1), scaleByLearningRate(1e-2));
 * ```
 */
export function clipByBlockRms(threshold: number): GradientTransformation {
  checkNumber('threshold', threshold, { min: 0, minExclusive: true });
  return checkedTransformation('clipByBlockRms', {
    init: () => EMPTY_STATE,
    update(updates: Params, state: TransformState) {
      const next: Params = {};
      for (const [name, u] of Object.entries(updates)) {
        const rms = tf.sqrt(tf.mean(tf.square(u)));
        // A non-finite RMS leaves the block unclipped: a NaN stays in its own element.
        const divisor = tf.maximum(tf.div(rms, threshold), 1);
        next[name] = tf.div(u, tf.where(tf.isFinite(rms), divisor, tf.onesLike(divisor)));
      }
      return { updates: next, state };
    },
  });
}
