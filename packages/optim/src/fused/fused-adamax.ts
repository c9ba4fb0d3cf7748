import type { HyperParameter } from '@descent/core';
import type { ChainLayout } from '../transform/named-chain';
import { rateAndDecay } from './chain-layout';
import {
  DECAY_UNIFORMS,
  DECAY_ZEROABLE,
  decayedStep,
  decayUniforms,
  l2Gradient,
} from './decay-terms';
import { fusedPerParameter } from './fused-per-parameter';
import { beta1At } from '../transforms/adam-moments';
import type { FusedStep } from './fused-step';
import { type OptimizerKernel, optimizerKernel } from './optimizer-kernel';

/**
 * One Adamax step (torch.optim.Adamax) in place: `g' = g + l2·p`, `m' = β₁m + (1 − β₁)g'`,
 * `u' = max(β₂u, |g'| + ε)`, update `−lr·m'/(u'·(1 − β₁ᵗ))`.
 */
export const adamaxKernel: OptimizerKernel = optimizerKernel({
  name: 'adamaxStep',
  slots: ['m', 'u'],
  uniforms: [...DECAY_UNIFORMS, 'b1', 'omb1', 'b2', 'eps', 'bc1'],
  zeroable: DECAY_ZEROABLE,
  update: (r, o) => {
    const g = l2Gradient(r, o);
    const m = o.add(o.mul(r.m!, r.b1!), o.mul(g, r.omb1!));
    const u = o.max(o.mul(r.u!, r.b2!), o.add(o.abs(g), r.eps!));
    return { update: decayedStep(r, o, o.div(m, o.mul(u, r.bc1!))), m, u };
  },
});

/** Options of {@link fusedAdamax}: the resolved options of an `adamax` optimizer. */
export interface FusedAdamaxOptions {
  learningRate: HyperParameter;
  beta1: HyperParameter;
  beta2: number;
  epsilon: number;
  weightDecay: HyperParameter;
}

/** Adamax as one in-place kernel per variable, advancing its chain's state (`m`, `u`, `step`). */
export function fusedAdamax(options: FusedAdamaxOptions, layout: ChainLayout): FusedStep {
  return fusedPerParameter({
    kernel: adamaxKernel,
    layout,
    slotsAt: 'rule',
    constants: (count) => ({
      ...rateAndDecay(options, layout, count),
      b1: beta1At(options.beta1, count('rule')),
    }),
    plan: (_key, _p, previous, { lr, wd, b1 }) => {
      const t = ((previous?.step as number | undefined) ?? 0) + 1;
      return {
        uniforms: {
          lr,
          ...decayUniforms(wd, false),
          b1,
          omb1: 1 - b1,
          b2: options.beta2,
          eps: options.epsilon,
          bc1: 1 - b1 ** t,
        },
        numbers: { step: t },
      };
    },
  });
}
