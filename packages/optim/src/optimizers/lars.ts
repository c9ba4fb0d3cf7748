import { type HyperParameter, hyperValue, type NumberRange, type ValueExpr } from '@descent/core';
import { addDecayedWeights, type DecayMask, isDecayed } from '../transforms/add-decayed-weights';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import { scaleByMomentum } from '../transforms/scale-by-momentum';
import { scaleByTrustRatio } from '../transforms/scale-by-trust-ratio';
import { defineOptimizer, type NamedOptimizer } from './named-optimizer';
import {
  chainCheckedOption,
  hyperOption,
  maskOption,
  NON_NEGATIVE,
  numberOption,
  requiredHyperOption,
  type Resolved,
} from './optimizer-description';
import type { PreprocessingOptions } from './preprocessing';
import type { ChainLayout } from '../transform/named-chain';
import { rateAndDecay } from '../fused/rate-and-decay';
import type { FusedStep } from '../fused/fused-step';
import { type OptimizerKernel, optimizerKernel } from '../fused/optimizer-kernel';
import {
  TRUST_UNIFORMS,
  trustRatioApplyKernel,
  trustRatioStep,
  trustScaled,
} from '../fused/trust-ratio-step';

/** Options of {@link lars}. */
export interface LarsOptions extends PreprocessingOptions {
  /** `η` ≥ 0 (required, as in optax), a number or a schedule. LARS runs use large values (≈ 1–10 with `c = 1e-3`). */
  learningRate: HyperParameter;
  /** `μ` in [0, 1] (in (0, 1] with Nesterov), a number or a schedule. Default 0.9. */
  momentum?: HyperParameter;
  /** `λ` ≥ 0, weight decay added to the gradient before the trust ratio, a number or a schedule. Default 0. */
  weightDecay?: HyperParameter;
  /** Which parameters to decay (default all): a record by name (unlisted are decayed) or a predicate. */
  weightDecayMask?: DecayMask;
  /** `c` > 0, the trust coefficient. Default 1e-3. */
  trustCoefficient?: number;
  /** `ε` ≥ 0 in the trust ratio's denominator. Default 0. */
  eps?: number;
  /** Which parameters get the trust ratio (default all; others take plain SGD steps). Same form as `weightDecayMask`. */
  trustRatioMask?: DecayMask;
  /** Nesterov momentum. Default false. */
  nesterov?: boolean;
}

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

/**
 * LARS (`chain(addDecayedWeights?, scaleByTrustRatio, scaleByLearningRate, scaleByMomentum)`) as
 * two in-place kernels per variable and one on-device reduction between them. A constant
 * momentum of 0 is plain trust-ratio SGD (no buffer).
 */
export function fusedLars(options: Resolved<LarsOptions>, layout: ChainLayout): FusedStep {
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

/**
 * LARS, layer-wise adaptive rate scaling (You, Gitman & Ginsburg, 2017; survey §5.4), as a
 * `tf.Optimizer`, with optax's `lars` algorithm: SGD with momentum whose per-tensor step is
 * rescaled so that it is a fixed fraction of the tensor's norm.
 *
 * ```
 * u = g + λ·θ                                   (weight decay, where weightDecayMask allows)
 * u ← c·‖θ‖ / (‖u‖ + ε) · u                     (trust ratio, 1 if ‖θ‖ = 0 or ‖u‖ = 0; where trustRatioMask allows)
 * u ← −η·u
 * b ← μ·b + u;   Δθ = b  (Nesterov: Δθ = u + μ·b)
 * θ ← θ + Δθ
 * ```
 *
 * Same as `chain(addDecayedWeights(λ, { mask }), scaleByTrustRatio({ trustCoefficient: c, eps,
 * mask }), scaleByLearningRate(η), scaleByMomentum({ momentum: μ, nesterov }))`. Defaults as optax:
 * μ = 0.9, λ = 0, c = 1e-3, ε = 0, no Nesterov; η has no default. Where implementations differ:
 * the paper's Algorithm 1 divides by `‖g‖ + λ‖θ‖` where optax (followed here) divides by
 * `‖g + λθ‖`; both put the learning rate inside the momentum buffer (`b ← μb + η·r·u`), so a
 * changing `η` only scales new contributions (unlike torch's SGD, which scales the buffer).
 * Keras, tfjs and torch have no LARS. Exempting biases and normalization parameters from the
 * decay and the trust ratio (common in large-batch recipes) is opt-in:
 * `weightDecayMask: weightDecayMask(info)`, `trustRatioMask: weightDecayMask(info)`.
 *
 * @example
 * ```ts
 * model.compile({ optimizer: lars({ learningRate: 2, weightDecay: 5e-4 }), loss: 'categoricalCrossentropy' });
 * ```
 *
 * You, Gitman & Ginsburg, "Large Batch Training of Convolutional Networks" (2017), arXiv:1708.03888.
 */
export const Lars = defineOptimizer<LarsOptions>({
  name: 'lars',
  className: 'descent.Lars',
  notObject: 'lars needs options with a learningRate.',
  options: {
    learningRate: requiredHyperOption(NON_NEGATIVE),
    momentum: chainCheckedOption(0.9),
    weightDecay: hyperOption(0, NON_NEGATIVE),
    weightDecayMask: maskOption,
    trustCoefficient: numberOption(1e-3, { min: 0, minExclusive: true }),
    eps: numberOption(0, NON_NEGATIVE),
    trustRatioMask: maskOption,
    nesterov: chainCheckedOption(false),
  },
  chain: (o) => ({
    weightDecay:
      o.weightDecay === 0
        ? undefined
        : addDecayedWeights(o.weightDecay, { mask: o.weightDecayMask }),
    trust: scaleByTrustRatio({
      trustCoefficient: o.trustCoefficient,
      eps: o.eps,
      mask: o.trustRatioMask,
    }),
    learningRate: scaleByLearningRate(o.learningRate),
    momentum: scaleByMomentum({ momentum: o.momentum, nesterov: o.nesterov }),
  }),
  fused: (o, layout) => fusedLars(o, layout),
});
/** A {@link lars} optimizer. */
export type Lars = NamedOptimizer<LarsOptions>;

/** LARS as a `tf.Optimizer`; see {@link Lars} for the update rule and defaults. */
export function lars(options: LarsOptions): Lars {
  return new Lars(options);
}
