import * as tf from '@tensorflow/tfjs-core';
import { checkSameShape, checkTensor, type Params } from '@descent/core';
import { checkedTransformation, checkRecord } from '../transform/check-update';
import type { GradientTransformation } from '../transform/gradient-transformation';
import { EMPTY_STATE } from '../transform/transform-state';

/**
 * Multiplies updates by masks, element-wise: `u ← u ⊙ m` — with 0/1 masks, pruned weights
 * (mask 0) receive no update and keep their value (lottery-ticket training, Frankle & Carbin,
 * 2019; survey §6.4). Names without a mask pass through unchanged.
 *
 * ```
 * u_i ← u_i · m_i        for every parameter with a mask
 * ```
 *
 * `masks` is a {@link Params} map of tensors shaped like their parameters (`float32`, `int32` or
 * `bool`; any values, so soft masks scale). The masks are **not copied**: keep them alive while
 * the transformation is used, dispose them afterwards (a disposed mask makes `update` throw
 * `DISPOSED`). To change masks between pruning rounds, build a new `maskUpdates`.
 *
 * Put it **last** in a chain (after the learning rate): a mask applied to the gradient only would
 * still let momentum, weight decay or Adam's state move pruned weights. Stateless.
 *
 * Frameworks: optax's `masked(inner, mask)` is different (it chooses *which transformation* applies
 * to a parameter); the closest optax spelling of this one is multiplying by the mask after
 * `apply_updates`. torch's `prune` re-multiplies the weights instead.
 *
 * @throws DescentError `BAD_ARGUMENT` when a mask is not a tensor; at update, `DISPOSED` for a
 *   disposed mask, `SHAPE_MISMATCH` for a mask whose shape differs from its update.
 *
 * @example
 * ```ts
 * const opt = fromTransform(chain(scaleByAdam(), scaleByLearningRate(1e-3), maskUpdates(masks)));
 * ```
 */
export function maskUpdates(masks: Params): GradientTransformation {
  checkRecord('maskUpdates', 'masks', masks);
  const entries = { ...masks };
  for (const [name, m] of Object.entries(entries)) checkTensor(`masks["${name}"]`, m);
  return checkedTransformation('maskUpdates', {
    init: () => EMPTY_STATE,
    update(updates: Params) {
      for (const [name, u] of Object.entries(updates)) {
        const m = Object.hasOwn(entries, name) ? entries[name] : undefined;
        if (!m) continue;
        checkTensor(`masks["${name}"]`, m);
        checkSameShape(`masks["${name}"]`, m, `updates["${name}"]`, u);
      }
      const next: Params = {};
      for (const [name, u] of Object.entries(updates)) {
        const m = Object.hasOwn(entries, name) ? entries[name] : undefined;
        next[name] = m ? tf.mul(u, m.dtype === u.dtype ? m : tf.cast(m, u.dtype)) : u;
      }
      return { updates: next, state: EMPTY_STATE };
    },
  });
}
