import type { ChainLayout } from '../transform/named-chain';
import { rateAndDecay } from './chain-layout';
import { type HyperParameter, hyperValue, type NumberRange, type ValueExpr } from '@descent/core';
import { type DecayMask, isDecayed } from '../transforms/add-decayed-weights';
import type { FusedStep } from './fused-step';
import { type OptimizerKernel, optimizerKernel } from './optimizer-kernel';
import {
  TRUST_UNIFORMS,
  trustRatioApplyKernel,
  trustRatioStep,
  trustScaled,
} from './trust-ratio-step';

/** LARS's first phase: the direction `d = g + decay·p` into the scratch slot `d`. */
export const larsDirectionKernel: OptimizerKernel = optimizerKernel({
  name: 'larsDirection',
  slots: ['d'],
  uniforms: ['decay'],
  movesParam: false,
  update: (r, o) => ({ d: o.add(r.g!, o.mul(r.p!, r.decay!)) }),
});

/**
 * LARS's second phase: `x = −lr·ratio·d`, then SGD momentum on `x` (`b' = keep·b + scale·x`,
 * first step `keep = 0`), `u = nesterov ? x + μ·b' : b'`.
 */
export const larsApplyKernel: OptimizerKernel = optimizerKernel({
  name: 'larsApply',
  slots: ['buf'],
  inputs: ['d'],
  scalars: ['pn2', 'dn2'],
  uniforms: ['lr', ...TRUST_UNIFORMS, 'mu', 'keep', 'scale', 'nesterov'],
  readsGradient: false,
  update: (r, o) => {
    const x: ValueExpr = o.mul(trustScaled(r, o), o.neg(r.lr!));
    const buf = o.add(o.mul(r.buf!, r.keep!), o.mul(x, r.scale!));
    return { update: o.select(o.gt(r.nesterov!, 0.5), o.add(x, o.mul(buf, r.mu!)), buf), buf };
  },
});

/** Options of {@link fusedLars}: the resolved options of a `lars` optimizer. */
export interface FusedLarsOptions {
  learningRate: HyperParameter;
  momentum: HyperParameter;
  weightDecay: HyperParameter;
  weightDecayMask?: DecayMask;
  trustCoefficient: number;
  eps: number;
  trustRatioMask?: DecayMask;
  nesterov: boolean;
}

/**
 * LARS (`chain(addDecayedWeights?, scaleByTrustRatio, scaleByLearningRate, scaleByMomentum)`) as
 * two in-place kernels per variable and one on-device reduction between them. A constant
 * momentum of 0 is plain trust-ratio SGD (no buffer).
 */
export function fusedLars(options: FusedLarsOptions, layout: ChainLayout): FusedStep {
  const plain = options.momentum === 0;
  const range: NumberRange = options.nesterov
    ? { min: 0, minExclusive: true, max: 1 }
    : { min: 0, max: 1 };
  return trustRatioStep({
    direction: larsDirectionKernel,
    apply: () => (plain ? trustRatioApplyKernel : larsApplyKernel),
    layout,
    slotsAt: 'momentum',
    stateless: plain ? ['trust', 'momentum'] : ['trust'],
    constants: (count) => ({
      ...rateAndDecay(options, layout, count),
      mu: plain ? 0 : hyperValue('momentum', options.momentum, count('momentum'), range),
    }),
    plan: (key, p, previous, { lr, wd, mu }) => {
      const decayed = wd !== 0 && isDecayed(options.weightDecayMask, key, p);
      const trust = isDecayed(options.trustRatioMask, key, p) ? 1 : 0;
      const ratio = { lr, trust, coef: options.trustCoefficient, eps: options.eps, minNorm: 0 };
      if (plain) return { direction: { decay: decayed ? wd : 0 }, apply: ratio };
      const t = (previous?.step as number | undefined) ?? 0;
      return {
        direction: { decay: decayed ? wd : 0 },
        apply: {
          ...ratio,
          mu,
          keep: t === 0 ? 0 : mu,
          scale: 1,
          nesterov: options.nesterov ? 1 : 0,
        },
        numbers: { step: t + 1 },
      };
    },
  });
}
