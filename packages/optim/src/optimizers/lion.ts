import type { HyperParameter } from '@descent/core';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import { scaleByLion } from '../transforms/scale-by-lion';
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
import { DECAY_UNIFORMS, decayedStep, decayUniforms } from '../fused/decay-terms';
import { fusedPerParameter } from '../fused/fused-per-parameter';
import { beta1At } from '../transforms/adam-moments';
import type { FusedStep } from '../fused/fused-step';
import { type OptimizerKernel, optimizerKernel } from '../fused/optimizer-kernel';

/** Options of {@link lion}. */
export interface LionOptions extends PreprocessingOptions {
  /** `η` ≥ 0, a number or a schedule. Default 1e-4 (Lion wants 3–10× less than AdamW). */
  learningRate?: HyperParameter;
  /** `β₁` in [0, 1), interpolation weight of the update; a number or a schedule. Default 0.9. */
  beta1?: HyperParameter;
  /** `β₂` in [0, 1), decay of the momentum. Default 0.99. */
  beta2?: number;
  /** `λ` ≥ 0, decoupled weight decay multiplied by `η` (as AdamW), a number or a schedule. Default 0. */
  weightDecay?: HyperParameter;
}

/**
 * One Lion step (Chen et al., 2023) in place: `u = −lr·(sign(β₁m + (1 − β₁)g) + decay·p)`,
 * `m' = β₂m + (1 − β₂)g`; the sign is 1, −1, 0 for ±0 and NaN for NaN, as `scaleBySign`
 * (the last branch returns `x` itself: ±0 for ±0, and a NaN stays visible instead of freezing the
 * element; `x·0` would do the same but shader compilers may fold it to 0).
 */
export const lionKernel: OptimizerKernel = optimizerKernel({
  name: 'lionStep',
  slots: ['m'],
  uniforms: [...DECAY_UNIFORMS, 'b1', 'omb1', 'b2', 'omb2'],
  zeroable: ['decay'],
  update: (r, o) => {
    const x = o.add(o.mul(r.m!, r.b1!), o.mul(r.g!, r.omb1!));
    const sign = o.select(o.gt(x, 0), 1, o.select(o.lt(x, 0), -1, x));
    const m = o.add(o.mul(r.m!, r.b2!), o.mul(r.g!, r.omb2!));
    return { update: decayedStep(r, o, sign), m };
  },
});

/** Lion with decoupled weight decay as one in-place kernel per variable (state: `m`). */
export function fusedLion(options: Resolved<LionOptions>, layout: ChainLayout): FusedStep {
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

/**
 * Lion, EvoLved Sign Momentum (Chen et al., 2023, *Symbolic Discovery of Optimization
 * Algorithms*), as a `tf.Optimizer`, following the paper and optax's `lion`:
 *
 * ```
 * u = sign(β₁·m + (1 − β₁)·g)
 * θ ← θ − η·(u + λ·θ)
 * m ← β₂·m + (1 − β₂)·g
 * ```
 *
 * Defaults η = 1e-4, β₁ = 0.9, β₂ = 0.99, λ = 0. Same as
 * `chain(scaleByLion({ beta1, beta2 }), addDecayedWeights(λ), scaleByLearningRate(η))`; for a
 * weight-decay mask, spell it that way with `addDecayedWeights(λ, { mask })`.
 *
 * Where frameworks differ: optax's `lion` defaults to λ = 1e-3 (the paper's and lion-pytorch's
 * default is 0, as here); the update is the same everywhere. torch.optim and tfjs have no Lion.
 * Because `|u| = 1`, use a learning rate 3–10× smaller and a weight decay 3–10× larger than AdamW's.
 *
 * @example
 * ```ts
 * const opt = lion({ learningRate: 3e-5, weightDecay: 0.1 });
 * ```
 */
export const Lion = defineOptimizer<LionOptions>({
  name: 'lion',
  className: 'descent.Lion',
  options: {
    learningRate: hyperOption(1e-4, NON_NEGATIVE),
    beta1: chainCheckedOption(0.9),
    beta2: chainCheckedOption(0.99),
    weightDecay: hyperOption(0, NON_NEGATIVE),
  },
  chain: ({ beta1, beta2, weightDecay, learningRate }) => ({
    ...withWeightDecay(scaleByLion({ beta1, beta2 }), weightDecay, { decoupled: true }),
    learningRate: scaleByLearningRate(learningRate),
  }),
  fused: (o, layout) => fusedLion(o, layout),
});
/** A {@link lion} optimizer. */
export type Lion = NamedOptimizer<LionOptions>;

/** Lion as a `tf.Optimizer`; see {@link Lion} for the update rule and defaults. */
export function lion(options: LionOptions = {}): Lion {
  return new Lion(options);
}
