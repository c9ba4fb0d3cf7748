import { type HyperParameter, hyperValue, type ValueExpr } from '@descent/core';
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
import type { FusedStep } from './fused-step';
import { type OptimizerKernel, optimizerKernel } from './optimizer-kernel';

/**
 * One RMSprop step (torch.optim.RMSprop) in place, for one of its four forms:
 *
 * ```
 * g' = g + l2·p,  v' = ρ·v + (1 − ρ)·g'²
 * centered:  ḡ' = ρ·ḡ + (1 − ρ)·g',  v̂ = v' − ḡ'²      (else v̂ = v')
 * x = g'/(√v̂ + ε);  momentum: b' = μ·b + x, x ← b'
 * u = −lr·x
 * ```
 */
function rmspropRule(centered: boolean, momentum: boolean): OptimizerKernel {
  return optimizerKernel({
    name: `rmspropStep${centered ? 'Centered' : ''}${momentum ? 'Momentum' : ''}`,
    slots: ['v', ...(centered ? ['gAvg'] : []), ...(momentum ? ['buf'] : [])],
    uniforms: [...DECAY_UNIFORMS, 'rho', 'omrho', 'eps', 'mu'],
    zeroable: DECAY_ZEROABLE,
    update: (r, o) => {
      const g = l2Gradient(r, o);
      const v = o.add(o.mul(r.v!, r.rho!), o.mul(o.mul(g, g), r.omrho!));
      const next: Record<string, ValueExpr> = { v };
      let variance = v;
      if (centered) {
        const gAvg = o.add(o.mul(r.gAvg!, r.rho!), o.mul(g, r.omrho!));
        next.gAvg = gAvg;
        variance = o.sub(v, o.mul(gAvg, gAvg));
      }
      let x = o.div(g, o.add(o.sqrt(variance), r.eps!));
      if (momentum) {
        x = o.add(o.mul(r.buf!, r.mu!), x);
        next.buf = x;
      }
      return { ...next, update: decayedStep(r, o, x) };
    },
  });
}

const kernels = new Map<string, OptimizerKernel>();

/** The RMSprop kernel of one form (generated once per form). */
export function rmspropKernel(centered: boolean, momentum: boolean): OptimizerKernel {
  const key = `${centered}/${momentum}`;
  let kernel = kernels.get(key);
  if (!kernel) {
    kernel = rmspropRule(centered, momentum);
    kernels.set(key, kernel);
  }
  return kernel;
}

/** Options of {@link fusedRmsprop}: the resolved options of an `rmsprop` optimizer. */
export interface FusedRmspropOptions {
  learningRate: HyperParameter;
  rho: number;
  epsilon: number;
  momentum: HyperParameter;
  centered: boolean;
  weightDecay: HyperParameter;
}

/** RMSprop (plain or centered, with or without momentum) as one in-place kernel per variable. */
export function fusedRmsprop(options: FusedRmspropOptions, layout: ChainLayout): FusedStep {
  const withMomentum = options.momentum !== 0;
  return fusedPerParameter({
    kernel: rmspropKernel(options.centered, withMomentum),
    layout,
    slotsAt: 'rule',
    constants: (count) => ({
      ...rateAndDecay(options, layout, count),
      mu: withMomentum
        ? hyperValue('momentum', options.momentum, count('rule'), { min: 0, max: 1 })
        : 0,
    }),
    plan: (_key, _p, _previous, { lr, wd, mu }) => ({
      uniforms: {
        lr,
        ...decayUniforms(wd, false),
        rho: options.rho,
        omrho: 1 - options.rho,
        eps: options.epsilon,
        mu,
      },
    }),
  });
}
