import type { Params } from '@descent/core';
import { checkedTransformation } from './check-update';
import { checkTransformation } from './check-transformation';
import type { GradientTransformation } from './gradient-transformation';
import { makeState, type TransformState } from './transform-state';

/**
 * Composes transformations left to right: the updates of each feed the next (optax's `chain`).
 * The state holds each one's state, in order.
 *
 * @throws DescentError `BAD_ARGUMENT` naming the index of an element that is no transformation,
 *   when the chain is built; its `init` and `update` check their arguments as every
 *   transformation's do.
 *
 * @example
 * ```ts
 * const adamw = chain(scaleByAdam({ beta1: 0.9 }), addDecayedWeights(1e-2), scaleByLearningRate(1e-3));
 * ```
 */
export function chain(...transforms: GradientTransformation[]): GradientTransformation {
  for (const [i, t] of transforms.entries()) checkTransformation(`chain: transforms[${i}]`, t);
  return checkedTransformation('chain', {
    init: (params: Params) => makeState({ inner: transforms.map((t) => t.init(params)) }),
    update(updates: Params, state: TransformState, params?: Params) {
      let current = updates;
      const inner = transforms.map((t, i) => {
        const result = t.update(current, state.inner[i] ?? t.init({}), params);
        current = result.updates;
        return result.state;
      });
      return { updates: current, state: makeState({ inner }) };
    },
  });
}
