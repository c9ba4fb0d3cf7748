import { checkKnownKeys, DescentError, type HyperParameter } from '@descent/core';
import type { GradientTransformation } from '../transform/gradient-transformation';
import { addDecayedWeights, type DecayMask } from '../transforms/add-decayed-weights';
import { addL2Gradient } from '../transforms/add-l2-gradient';

/**
 * Asserts an optimizer's `options` is an object with no key outside `known`.
 *
 * @param optimizer - The optimizer's name in messages (`'adamw'` → "adamw options has unknown name …").
 * @param notObject - The message when `options` is no object.
 * @throws DescentError `BAD_ARGUMENT` (not an object), `UNKNOWN_PARAM` naming the unknown keys.
 */
export function checkOptions(
  optimizer: string,
  options: unknown,
  known: readonly string[],
  notObject = `${optimizer} options must be an object.`,
): asserts options is object {
  if (typeof options !== 'object' || options === null) {
    throw new DescentError('BAD_ARGUMENT', notObject);
  }
  checkKnownKeys(`${optimizer} options`, Object.keys(options), known);
}

/**
 * `transform` with weight decay `λ` around it: coupled, an L2 penalty added to the gradient
 * before it (`addL2Gradient`, torch's `weight_decay`), or `decoupled`, `λ·θ` added to its output
 * (`addDecayedWeights`, AdamW-style; only there does `mask` apply). Just `transform` when `λ` is 0.
 * Spread the result into a `chain`.
 */
export function withWeightDecay(
  transform: GradientTransformation,
  weightDecay: HyperParameter,
  { decoupled = false, mask }: { decoupled?: boolean; mask?: DecayMask } = {},
): GradientTransformation[] {
  if (weightDecay === 0) return [transform];
  return decoupled
    ? [transform, addDecayedWeights(weightDecay, { mask })]
    : [addL2Gradient(weightDecay), transform];
}
