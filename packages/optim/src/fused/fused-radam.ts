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
 * One RAdam step (torch.optim.RAdam) in place: the Adam moments of `g' = g + l2·p`, then the
 * rectified step `rs·m'/(√v' + ε)` while the variance is tractable (`rect = 1`, `ρₜ > 5`) and
 * the plain momentum step `m'/bc1` before; `rs = r·√(1 − β₂ᵗ)/(1 − β₁ᵗ)` comes from JavaScript.
 */
export const radamKernel: OptimizerKernel = optimizerKernel({
  name: 'radamStep',
  slots: ['m', 'v'],
  uniforms: [...DECAY_UNIFORMS, ...MOMENT_UNIFORMS, 'eps', 'bc1', 'rs', 'rect'],
  zeroable: DECAY_ZEROABLE,
  update: (r, o) => {
    const g = l2Gradient(r, o);
    const { m, v } = adamMoments(r, o, g);
    const rectified = o.div(o.mul(m, r.rs!), o.add(o.sqrt(v), r.eps!));
    const direction = o.select(o.gt(r.rect!, 0.5), rectified, o.div(m, r.bc1!));
    return { update: decayedStep(r, o, direction), m, v };
  },
});

/** Options of {@link fusedRadam}: the resolved options of a `radam` optimizer. */
export interface FusedRadamOptions {
  learningRate: HyperParameter;
  beta1: HyperParameter;
  beta2: number;
  epsilon: number;
  weightDecay: HyperParameter;
  decoupledWeightDecay: boolean;
}

/** RAdam as one in-place kernel per variable, advancing its chain's state (`m`, `v`, `step`). */
export function fusedRadam(options: FusedRadamOptions, layout: ChainLayout): FusedStep {
  const decoupled = options.decoupledWeightDecay;
  const b2 = options.beta2;
  const rhoInf = 2 / (1 - b2) - 1;
  return fusedPerParameter({
    kernel: radamKernel,
    layout,
    slotsAt: 'rule',
    constants: (count) => ({
      ...rateAndDecay(options, layout, count),
      b1: beta1At(options.beta1, count('rule')),
    }),
    plan: (_key, _p, previous, { lr, wd, b1 }) => {
      const t = ((previous?.step as number | undefined) ?? 0) + 1;
      const bias2 = 1 - b2 ** t;
      const rho = rhoInf - (2 * t * b2 ** t) / bias2;
      const rect = rho > 5;
      const r = rect
        ? Math.sqrt(((rho - 4) * (rho - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rho))
        : 0;
      return {
        uniforms: {
          lr,
          ...decayUniforms(wd, decoupled),
          ...momentUniforms(b1, b2),
          eps: options.epsilon,
          bc1: 1 - b1 ** t,
          rs: rect ? (r * Math.sqrt(bias2)) / (1 - b1 ** t) : 0,
          rect: rect ? 1 : 0,
        },
        numbers: { step: t },
      };
    },
  });
}
