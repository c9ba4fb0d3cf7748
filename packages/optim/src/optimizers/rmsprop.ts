import { type HyperParameter, hyperValue, type ValueExpr } from '@descent/core';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import { scaleByRms } from '../transforms/scale-by-rms';
import { defineOptimizer, type NamedOptimizer } from './named-optimizer';
import {
  chainCheckedOption,
  hyperOption,
  NON_NEGATIVE,
  type Resolved,
} from './optimizer-description';
import { withWeightDecay } from './named-options';
import type { PreprocessingOptions } from './preprocessing';
import type { ChainLayout } from '../transform/named-chain';
import { rateAndDecay } from '../fused/rate-and-decay';
import {
  DECAY_UNIFORMS,
  DECAY_ZEROABLE,
  decayedStep,
  decayUniforms,
  l2Gradient,
} from '../fused/decay-terms';
import { fusedPerParameter } from '../fused/fused-per-parameter';
import type { FusedStep } from '../fused/fused-step';
import { type OptimizerKernel, optimizerKernel } from '../fused/optimizer-kernel';

/** Options of {@link rmsprop}. */
export interface RMSpropOptions extends PreprocessingOptions {
  /** `η` ≥ 0, a number or a schedule. Default 1e-2. */
  learningRate?: HyperParameter;
  /** `ρ` in [0, 1), decay of the mean square (torch's `alpha`, tfjs's `decay`). Default 0.99. */
  rho?: number;
  /** `ε` ≥ 0, outside the square root. Default 1e-8. */
  epsilon?: number;
  /** `μ` in [0, 1], a number or a schedule. Default 0. */
  momentum?: HyperParameter;
  /** Centered RMSprop: divide by `√(v − ḡ²)`, an estimate of the standard deviation. Default false. */
  centered?: boolean;
  /** `λ` ≥ 0: coupled L2 penalty added to the gradient first (torch's `weight_decay`). Default 0. */
  weightDecay?: HyperParameter;
}

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

/** RMSprop (plain or centered, with or without momentum) as one in-place kernel per variable. */
export function fusedRmsprop(options: Resolved<RMSpropOptions>, layout: ChainLayout): FusedStep {
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

/**
 * RMSprop (Tieleman & Hinton, 2012; centered: Graves, 2013; survey §5.3) as a `tf.Optimizer`,
 * following torch.optim.RMSprop:
 *
 * ```
 * g ← g + λ·θ                                  (only if weightDecay > 0)
 * v ← ρ·v + (1 − ρ)·g²
 * ḡ ← ρ·ḡ + (1 − ρ)·g,   ṽ = v − ḡ²            (centered; otherwise ṽ = v)
 * b ← μ·b + g / (√ṽ + ε),   θ ← θ − η·b        (μ > 0)
 * θ ← θ − η·g / (√ṽ + ε)                       (μ = 0)
 * ```
 *
 * Defaults η = 1e-2, ρ = 0.99, ε = 1e-8, μ = 0, not centered, λ = 0. Same as
 * `chain(addL2Gradient(λ), scaleByRms({ rho, epsilon, centered, momentum }), scaleByLearningRate(η))`.
 *
 * Where frameworks differ: tfjs's `tf.train.rmsprop` defaults to ρ = 0.9 and ε = 1e-7 inside the
 * root (`√(v + ε)`), keeps η inside the momentum buffer (different when η changes), computes
 * `√(v − ḡ² − ε)` when centered, and keys its state by variable position; Keras uses ρ = 0.9 and
 * ε = 1e-7; optax's `rmsprop` uses ρ = 0.9 with ε inside the root.
 *
 * @example
 * ```ts
 * const opt = rmsprop({ learningRate: 1e-3, rho: 0.9, centered: true, momentum: 0.9 });
 * ```
 */
export const RMSprop = defineOptimizer<RMSpropOptions>({
  name: 'rmsprop',
  className: 'descent.RMSprop',
  options: {
    learningRate: hyperOption(1e-2, NON_NEGATIVE),
    rho: chainCheckedOption(0.99),
    epsilon: chainCheckedOption(1e-8),
    momentum: chainCheckedOption(0),
    centered: chainCheckedOption(false),
    weightDecay: hyperOption(0, NON_NEGATIVE),
  },
  chain: ({ learningRate, weightDecay, ...rule }) => ({
    ...withWeightDecay(scaleByRms(rule), weightDecay),
    learningRate: scaleByLearningRate(learningRate),
  }),
  fused: (o, layout) => fusedRmsprop(o, layout),
});
/** An {@link rmsprop} optimizer. */
export type RMSprop = NamedOptimizer<RMSpropOptions>;

/** RMSprop as a `tf.Optimizer`; see {@link RMSprop} for the update rule and defaults. */
export function rmsprop(options: RMSpropOptions = {}): RMSprop {
  return new RMSprop(options);
}
