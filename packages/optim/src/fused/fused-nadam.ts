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
import { adamMoments, MOMENT_UNIFORMS, momentUniforms } from './adam-terms';
import type { FusedStep } from './fused-step';
import { type OptimizerKernel, optimizerKernel } from './optimizer-kernel';

/**
 * One NAdam step (torch.optim.NAdam) in place: `g' = g + l2·p`, the Adam moments, then
 * `u = −lr·((cm·m' + cg·g')/(√(v'/bc2) + ε) + decay·p)` with `cm = μₜ₊₁/(1 − Πμ·μₜ₊₁)` and
 * `cg = (1 − μₜ)/(1 − Πμ)` computed per variable in JavaScript.
 */
export const nadamKernel: OptimizerKernel = optimizerKernel({
  name: 'nadamStep',
  slots: ['m', 'v'],
  uniforms: [...DECAY_UNIFORMS, ...MOMENT_UNIFORMS, 'eps', 'bc2', 'cm', 'cg'],
  zeroable: DECAY_ZEROABLE,
  update: (r, o) => {
    const g = l2Gradient(r, o);
    const { m, v } = adamMoments(r, o, g);
    const denom = o.add(o.sqrt(o.div(v, r.bc2!)), r.eps!);
    const mHat = o.add(o.mul(m, r.cm!), o.mul(g, r.cg!));
    return { update: decayedStep(r, o, o.div(mHat, denom)), m, v };
  },
});

/** Options of {@link fusedNadam}: the resolved options of a `nadam` optimizer. */
export interface FusedNadamOptions {
  learningRate: HyperParameter;
  beta1: HyperParameter;
  beta2: number;
  epsilon: number;
  momentumDecay: number;
  weightDecay: HyperParameter;
  decoupledWeightDecay: boolean;
}

/** NAdam as one in-place kernel per variable, advancing its chain's state (`m`, `v`, `step`, `muProduct`). */
export function fusedNadam(options: FusedNadamOptions, layout: ChainLayout): FusedStep {
  const decoupled = options.decoupledWeightDecay;
  const psi = options.momentumDecay;
  return fusedPerParameter({
    kernel: nadamKernel,
    layout,
    slotsAt: 'rule',
    constants: (count) => ({
      ...rateAndDecay(options, layout, count),
      b1: beta1At(options.beta1, count('rule')),
    }),
    plan: (_key, _p, previous, { lr, wd, b1 }) => {
      const t = ((previous?.step as number | undefined) ?? 0) + 1;
      const mu = b1 * (1 - 0.5 * 0.96 ** (t * psi));
      const muNext = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * psi));
      const muProduct = Math.fround(((previous?.muProduct as number | undefined) ?? 1) * mu);
      return {
        uniforms: {
          lr,
          ...decayUniforms(wd, decoupled),
          ...momentUniforms(b1, options.beta2),
          eps: options.epsilon,
          bc2: 1 - options.beta2 ** t,
          cm: muNext / (1 - muProduct * muNext),
          cg: (1 - mu) / (1 - muProduct),
        },
        numbers: { step: t, muProduct },
      };
    },
  });
}
