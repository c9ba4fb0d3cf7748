import * as tf from '@tensorflow/tfjs-core';
import { type HyperParameter, hyperValue, type Params } from '@descent/core';
import { checkedTransformation } from '../transform/check-update';
import type { GradientTransformation } from '../transform/gradient-transformation';
import { makeState, type TransformState } from '../transform/transform-state';

/**
 * Scales updates by the negative learning rate: `u ← −η_t·u`, with `η_t` a number or a
 * `Schedule` of this transformation's update count `t` (0 at the first update). The sign makes
 * {@link applyUpdates} descend (optax's `scale_by_learning_rate`).
 *
 * @param learningRate - `η`, ≥ 0; a schedule is checked at every step.
 *
 * @throws DescentError `BAD_HYPERPARAM` / `NON_FINITE` for a bad option value; its `update` refuses
 *   bad updates, state and params (see `GradientTransformation`).
 *
 * @example
 * ```ts
 * chain(scaleByAdam(), scaleByLearningRate(warmupCosineDecay({ ... })));
 * ```
 */
export function scaleByLearningRate(learningRate: HyperParameter): GradientTransformation {
  hyperValue('learningRate', learningRate, 0, { min: 0 });
  return checkedTransformation('scaleByLearningRate', {
    init: () => makeState({ scalars: { count: 0 } }),
    update(updates: Params, state: TransformState) {
      const count = state.scalars.count ?? 0;
      const eta = hyperValue('learningRate', learningRate, count, { min: 0 });
      const scale = tf.scalar(-eta);
      const next: Params = {};
      for (const [name, u] of Object.entries(updates)) next[name] = tf.mul(u, scale);
      return { updates: next, state: makeState({ scalars: { count: count + 1 } }) };
    },
  });
}
