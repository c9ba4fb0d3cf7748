import { type HyperParameter, hyperValue, type NumberRange } from '@descent/core';
import { fusedPerParameter } from './fused-per-parameter';
import type { VariablePlan } from './per-parameter-plan';
import type { ChainLayout } from '../transform/named-chain';
import { rateAndDecay } from './chain-layout';
import type { FusedStep } from './fused-step';
import { l2Gradient } from './decay-terms';
import { isZero, type OptimizerKernel, optimizerKernel } from './optimizer-kernel';

/**
 * One SGD step with momentum (torch.optim.SGD) on one variable, in place:
 *
 * ```
 * g' = g + l2·p
 * b' = keep·b + scale·g'        (first step: keep = 0, scale = 1, i.e. b' = g'; then keep = μ, scale = 1 − d)
 * u  = −lr·(nesterov ? g' + μ·b' : b')
 * ```
 */
export const sgdMomentumKernel: OptimizerKernel = optimizerKernel({
  name: 'sgdMomentumStep',
  slots: ['buf'],
  uniforms: ['lr', 'mu', 'keep', 'scale', 'l2', 'nesterov'],
  zeroable: ['l2', 'nesterov'],
  update: (r, o) => {
    const g = l2Gradient(r, o);
    const buf = o.add(o.mul(r.buf!, r.keep!), o.mul(g, r.scale!));
    const direction = isZero(r.nesterov)
      ? buf
      : o.select(o.gt(r.nesterov!, 0.5), o.add(g, o.mul(buf, r.mu!)), buf);
    return { update: o.mul(direction, o.neg(r.lr!)), buf };
  },
});

/** One plain SGD step in place: `u = −lr·(g + l2·p)`. */
export const sgdKernel: OptimizerKernel = optimizerKernel({
  name: 'sgdStep',
  slots: [],
  uniforms: ['lr', 'l2'],
  zeroable: ['l2'],
  update: (r, o) => ({ update: o.mul(l2Gradient(r, o), o.neg(r.lr!)) }),
});

/** Options of {@link fusedSgd}: the resolved options of an `sgd` optimizer. */
export interface FusedSgdOptions {
  learningRate: HyperParameter;
  momentum: HyperParameter;
  nesterov: boolean;
  dampening: number;
  weightDecay: HyperParameter;
}

/**
 * SGD (plain, heavy-ball or Nesterov, with dampening and L2 decay) as one in-place kernel per
 * variable, advancing the same state as its chain: the momentum buffer `buf` and each variable's
 * `step`; a constant momentum of 0 keeps no buffer at all, as `scaleByMomentum` does.
 */
export function fusedSgd(options: FusedSgdOptions, layout: ChainLayout): FusedStep {
  const plain = options.momentum === 0;
  const range: NumberRange = options.nesterov
    ? { min: 0, minExclusive: true, max: 1 }
    : { min: 0, max: 1 };
  return fusedPerParameter({
    kernel: plain ? sgdKernel : sgdMomentumKernel,
    layout,
    slotsAt: 'rule',
    // A constant momentum of 0 is a stateless pass-through in the chain: its state stays as is.
    stateless: plain ? ['rule'] : [],
    constants: (count) => ({
      ...rateAndDecay(options, layout, count),
      mu: plain ? 0 : hyperValue('momentum', options.momentum, count('rule'), range),
    }),
    plan: (_key, _p, previous, { lr, wd: l2, mu }): VariablePlan => {
      if (plain) return { uniforms: { lr, l2 } };
      const t = (previous?.step as number | undefined) ?? 0;
      const first = t === 0;
      return {
        uniforms: {
          lr,
          mu,
          keep: first ? 0 : mu,
          scale: first ? 1 : 1 - options.dampening,
          l2,
          nesterov: options.nesterov ? 1 : 0,
        },
        numbers: { step: t + 1 },
      };
    },
  });
}
