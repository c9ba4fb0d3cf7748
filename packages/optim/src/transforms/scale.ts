import * as tf from '@tensorflow/tfjs-core';
import { type HyperParameter, hyperValue, type Params } from '@descent/core';
import { checkedTransformation } from '../transform/check-update';
import type { GradientTransformation } from '../transform/gradient-transformation';
import { makeState, type TransformState } from '../transform/transform-state';

/**
 * Multiplies updates by a factor: `u ← α_t·u` (optax's `scale`, and `scale_by_learning_rate` with
 * `flip_sign=False` when `α` is a learning rate). Unlike {@link scaleByLearningRate} it keeps the
 * sign, so a chain can add terms after the learning rate and flip the sign last, as optax's
 * `adafactor` does.
 *
 * @param factor - `α`, any finite number, or a schedule of this transformation's update count.
 *
 * @throws DescentError `BAD_HYPERPARAM` / `NON_FINITE` for a bad option value; its `update` refuses
 *   bad updates, state and params (see `GradientTransformation`).
 *
 * @example
 * ```ts
 * chain(scaleByFactoredRms(), scale(1e-2), addDecayedWeights(1e-4), scale(-1));
 * ```
 */
export function scale(factor: HyperParameter): GradientTransformation {
  hyperValue('factor', factor, 0);
  return checkedTransformation('scale', {
    init: () => makeState({ scalars: { count: 0 } }),
    update(updates: Params, state: TransformState) {
      const count = state.scalars.count ?? 0;
      const alpha = tf.scalar(hyperValue('factor', factor, count));
      const next: Params = {};
      for (const [name, u] of Object.entries(updates)) next[name] = tf.mul(u, alpha);
      return { updates: next, state: makeState({ scalars: { count: count + 1 } }) };
    },
  });
}
