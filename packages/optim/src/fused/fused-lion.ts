import type { HyperParameter } from '@descent/core';
import type { ChainLayout } from '../transform/named-chain';
import { rateAndDecay } from './chain-layout';
import { DECAY_UNIFORMS, decayedStep, decayUniforms } from './decay-terms';
import { fusedPerParameter } from './fused-per-parameter';
import { beta1At } from '../transforms/adam-moments';
import type { FusedStep } from './fused-step';
import { type OptimizerKernel, optimizerKernel } from './optimizer-kernel';

/**
 * One Lion step (Chen et al., 2023) in place: `u = −lr·(sign(β₁m + (1 − β₁)g) + decay·p)`,
 * `m' = β₂m + (1 − β₂)g`; the sign is 1, −1, or 0 for ±0 and NaN, as `scaleBySign`.
 */
export const lionKernel: OptimizerKernel = optimizerKernel({
  name: 'lionStep',
  slots: ['m'],
  uniforms: [...DECAY_UNIFORMS, 'b1', 'omb1', 'b2', 'omb2'],
  zeroable: ['decay'],
  update: (r, o) => {
    const x = o.add(o.mul(r.m!, r.b1!), o.mul(r.g!, r.omb1!));
    const sign = o.select(o.gt(x, 0), 1, o.select(o.lt(x, 0), -1, 0));
    const m = o.add(o.mul(r.m!, r.b2!), o.mul(r.g!, r.omb2!));
    return { update: decayedStep(r, o, sign), m };
  },
});

/** Options of {@link fusedLion}: the resolved options of a `lion` optimizer. */
export interface FusedLionOptions {
  learningRate: HyperParameter;
  beta1: HyperParameter;
  beta2: number;
  weightDecay: HyperParameter;
}

/** Lion with decoupled weight decay as one in-place kernel per variable (state: `m`). */
export function fusedLion(options: FusedLionOptions, layout: ChainLayout): FusedStep {
  return fusedPerParameter({
    kernel: lionKernel,
    layout,
    slotsAt: 'rule',
    constants: (count) => ({
      ...rateAndDecay(options, layout, count),
      b1: beta1At(options.beta1, count('rule')),
    }),
    plan: (_key, _p, _previous, { lr, wd, b1 }) => ({
      uniforms: {
        lr,
        ...decayUniforms(wd, true),
        b1,
        omb1: 1 - b1,
        b2: options.beta2,
        omb2: 1 - options.beta2,
      },
    }),
  });
}
