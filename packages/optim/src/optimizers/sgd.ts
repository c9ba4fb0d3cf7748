import { type HyperParameter, hyperValue, type NumberRange } from '@descent/core';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import { scaleByMomentum } from '../transforms/scale-by-momentum';
import { defineOptimizer, type NamedOptimizer } from './named-optimizer';
import {
  booleanOption,
  chainCheckedOption,
  hyperOption,
  NON_NEGATIVE,
  type Resolved,
} from './optimizer-description';
import { withWeightDecay } from './named-options';
import type { PreprocessingOptions } from './preprocessing';
import { fusedPerParameter } from '../fused/fused-per-parameter';
import type { VariablePlan } from '../fused/per-parameter-plan';
import type { ChainLayout } from '../transform/named-chain';
import { rateAndDecay } from '../fused/rate-and-decay';
import type { FusedStep } from '../fused/fused-step';
import { l2Gradient } from '../fused/decay-terms';
import { isZero, type OptimizerKernel, optimizerKernel } from '../fused/optimizer-kernel';

/** Options of {@link sgd}. */
export interface SGDOptions extends PreprocessingOptions {
  /** `η` ≥ 0, a number or a schedule. Default 1e-2. */
  learningRate?: HyperParameter;
  /** `μ` in [0, 1], a number or a schedule. Default 0 (plain gradient descent, no buffer). */
  momentum?: HyperParameter;
  /** Nesterov momentum; needs `momentum > 0` and `dampening = 0`. Default false. */
  nesterov?: boolean;
  /** `d` in [0, 1]: `b ← μb + (1 − d)g` after the first step. Default 0. */
  dampening?: number;
  /** `λ` ≥ 0: coupled L2 penalty added to the gradient first (torch's `weight_decay`). Default 0. */
  weightDecay?: HyperParameter;
}

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

/**
 * SGD (plain, heavy-ball or Nesterov, with dampening and L2 decay) as one in-place kernel per
 * variable, advancing the same state as its chain: the momentum buffer `buf` and each variable's
 * `step`; a constant momentum of 0 keeps no buffer at all, as `scaleByMomentum` does.
 */
export function fusedSgd(options: Resolved<SGDOptions>, layout: ChainLayout): FusedStep {
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

/**
 * Stochastic gradient descent with optional heavy-ball or Nesterov momentum (Robbins & Monro,
 * 1951; Polyak, 1964; Sutskever et al., 2013; survey §5.1–5.2) as a `tf.Optimizer`, following
 * torch.optim.SGD exactly:
 *
 * ```
 * g ← g + λ·θ                                  (only if weightDecay > 0)
 * b ← g                     (first step)       b ← μ·b + (1 − d)·g     (later steps)
 * g ← g + μ·b  (Nesterov)   g ← b  (otherwise; nothing of this when μ = 0)
 * θ ← θ − η·g
 * ```
 *
 * Defaults η = 1e-2, μ = 0, Nesterov off, d = 0, λ = 0. Same as
 * `chain(addL2Gradient(λ), scaleByMomentum({ momentum: μ, nesterov, dampening: d }), scaleByLearningRate(η))`.
 *
 * Where frameworks differ: tfjs's `tf.train.momentum` has no dampening (it matches this with
 * d = 0), no weight decay, keys its buffers by variable *position* (another `varList` order mixes
 * them up), and its `setMomentum` has no effect (the momentum scalar is fixed at construction);
 * here momentum may be a schedule, and with d > 0 torch's (and our) first step skips the dampening.
 * Keras's SGD keeps `−η·g` inside the buffer (`v ← μv − ηg; θ ← θ + v`), which gives different
 * trajectories whenever η changes; optax's `sgd` has no dampening and no coupled weight decay.
 *
 * @throws DescentError `BAD_HYPERPARAM` (Nesterov with μ = 0 or d ≠ 0, out-of-range options) or
 *   `NON_FINITE`, at construction.
 *
 * @example
 * ```ts
 * const opt = sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true, weightDecay: 5e-4 });
 * opt.minimize(() => loss(model), false);
 * ```
 */
export const SGD = defineOptimizer<SGDOptions>({
  name: 'sgd',
  className: 'descent.SGD',
  options: {
    learningRate: hyperOption(1e-2, NON_NEGATIVE),
    momentum: chainCheckedOption(0),
    nesterov: booleanOption(false),
    dampening: chainCheckedOption(0),
    weightDecay: hyperOption(0, NON_NEGATIVE),
  },
  chain: ({ learningRate, weightDecay, ...rule }) => ({
    ...withWeightDecay(scaleByMomentum(rule), weightDecay),
    learningRate: scaleByLearningRate(learningRate),
  }),
  fused: (o, layout) => fusedSgd(o, layout),
});
/** An {@link sgd} optimizer. */
export type SGD = NamedOptimizer<SGDOptions>;

/** SGD (with momentum) as a `tf.Optimizer`; see {@link SGD} for the update rule and defaults. */
export function sgd(options: SGDOptions = {}): SGD {
  return new SGD(options);
}
