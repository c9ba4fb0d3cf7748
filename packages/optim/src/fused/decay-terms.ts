import type { Ops, ValueExpr } from '@descent/core';
import { isZero, type RuleRefs } from './optimizer-kernel';

/** Uniforms every weight-decayed rule takes: `lr`, coupled `l2` and decoupled `decay`. */
export const DECAY_UNIFORMS = ['lr', 'l2', 'decay'] as const;

/**
 * The decay uniforms a rule's kernels leave out when they are 0 (the rule's `zeroable`): without
 * weight decay, the two multiply-adds per element are not generated at all.
 */
export const DECAY_ZEROABLE = ['l2', 'decay'] as const;

/** `g' = g + l2·p` (coupled L2, `addL2Gradient`; `g` itself where `l2` is the constant 0). */
export function l2Gradient(r: RuleRefs, o: Ops): ValueExpr {
  return isZero(r.l2) ? r.g! : o.add(r.g!, o.mul(r.p!, r.l2!));
}

/**
 * `u = −lr·(direction + decay·p)` (decoupled decay, `addDecayedWeights`, then the learning rate;
 * `−lr·direction` where `decay` is the constant 0).
 */
export function decayedStep(r: RuleRefs, o: Ops, direction: ValueExpr): ValueExpr {
  const decayed = isZero(r.decay) ? direction : o.add(direction, o.mul(r.p!, r.decay!));
  return o.mul(decayed, o.neg(r.lr!));
}

/** The `l2` and `decay` uniforms of a parameter for decay `wd`, coupled or decoupled (with a mask's verdict). */
export function decayUniforms(wd: number, decoupled: boolean, decayed = true) {
  return { l2: decoupled ? 0 : wd, decay: decoupled && decayed ? wd : 0 };
}
