import type { HyperParameter } from '@descent/core';
import type { GradientTransformation } from '../transform/gradient-transformation';
import { addDecayedWeights, type DecayMask } from '../transforms/add-decayed-weights';
import { addL2Gradient } from '../transforms/add-l2-gradient';

/**
 * `rule` with weight decay `λ` around it, as named chain elements: coupled, an L2 penalty added
 * to the gradient before it (`weightDecay: addL2Gradient`, torch's `weight_decay`), or
 * `decoupled`, `λ·θ` added to its output (`weightDecay: addDecayedWeights`, AdamW-style; only
 * there does `mask` apply). Just `{ rule }` when `λ` is 0. Spread the result into a named chain.
 */
export function withWeightDecay(
  rule: GradientTransformation,
  weightDecay: HyperParameter,
  { decoupled = false, mask }: { decoupled?: boolean; mask?: DecayMask } = {},
): Record<string, GradientTransformation> {
  if (weightDecay === 0) return { rule };
  return decoupled
    ? { rule, weightDecay: addDecayedWeights(weightDecay, { mask }) }
    : { weightDecay: addL2Gradient(weightDecay), rule };
}
