import * as tf from '@tensorflow/tfjs-core';
import { DescentError, type HyperParameter, hyperValue, type Params } from '@descent/core';
import type { GradientTransformation } from '../transform/gradient-transformation';
import { makeState, type TransformState } from '../transform/transform-state';

/**
 * Adds an L2 penalty's gradient to the updates: `u ← u + λ·θ` (torch.optim's `weight_decay` of
 * SGD, Adam, Adagrad, RMSprop: coupled weight decay, which adaptive methods then rescale — the
 * reason AdamW decouples it, see `addDecayedWeights`). Needs `params`.
 *
 * @param weightDecay - `λ` ≥ 0, a number or a schedule of the update count.
 *
 * @example
 * ```ts
 * chain(addL2Gradient(1e-4), scaleByAdam(), scaleByLearningRate(1e-3));   // torch Adam(weight_decay=1e-4)
 * ```
 */
export function addL2Gradient(weightDecay: HyperParameter): GradientTransformation {
  hyperValue('weightDecay', weightDecay, 0, { min: 0 });
  return {
    init: () => makeState({ scalars: { count: 0 } }),
    update(updates: Params, state: TransformState, params?: Params) {
      const count = state.scalars.count ?? 0;
      const lambda = hyperValue('weightDecay', weightDecay, count, { min: 0 });
      const next: Params = {};
      for (const [name, u] of Object.entries(updates)) {
        const p = params?.[name];
        if (!p)
          throw new DescentError(
            'BAD_ARGUMENT',
            `addL2Gradient needs params; none given for "${name}".`,
          );
        next[name] = lambda === 0 ? u : tf.add(u, tf.mul(p, lambda));
      }
      return { updates: next, state: makeState({ scalars: { count: count + 1 } }) };
    },
  };
}
