import { type HyperParameter, hyperValue } from '@descent/core';
import type { GradientTransformation } from '../transform/gradient-transformation';
import { addScaledParams } from './add-decayed-weights';

/**
 * Adds an L2 penalty's gradient to the updates: `u ← u + λ·θ` (torch.optim's `weight_decay` of
 * SGD, Adam, Adagrad, RMSprop: coupled weight decay, which adaptive methods then rescale — the
 * reason AdamW decouples it, see `addDecayedWeights`). Needs `params`.
 *
 * @param weightDecay - `λ` ≥ 0, a number or a schedule of the update count.
 *
 * @throws DescentError `BAD_HYPERPARAM` / `NON_FINITE` for a bad option value; its `update` refuses
 *   bad updates, state and params (see `GradientTransformation`).
 *
 * @example
 * ```ts
 * chain(addL2Gradient(1e-4), scaleByAdam(), scaleByLearningRate(1e-3));   // torch Adam(weight_decay=1e-4)
 * ```
 */
export function addL2Gradient(weightDecay: HyperParameter): GradientTransformation {
  hyperValue('weightDecay', weightDecay, 0, { min: 0 });
  return addScaledParams('addL2Gradient', weightDecay, undefined);
}
