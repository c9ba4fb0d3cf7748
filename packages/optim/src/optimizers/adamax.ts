import type { HyperParameter } from '@descent/core';
import { scaleByAdamax } from '../transforms/scale-by-adamax';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import { defineOptimizer, type NamedOptimizer } from './named-optimizer';
import {
  ADAM_MOMENT_OPTIONS,
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
import { beta1At } from '../transforms/adam-moments';
import type { FusedStep } from '../fused/fused-step';
import { type OptimizerKernel, optimizerKernel } from '../fused/optimizer-kernel';

/** Options of {@link adamax}. */
export interface AdamaxOptions extends PreprocessingOptions {
  /** `η` ≥ 0, a number or a schedule. Default 2e-3 (torch). */
  learningRate?: HyperParameter;
  /** `β₁` in [0, 1), a number or a schedule. Default 0.9. */
  beta1?: HyperParameter;
  /** `β₂` in [0, 1), decay of the infinity norm. Default 0.999. */
  beta2?: number;
  /** `ε` ≥ 0, inside the max: `u ← max(β₂u, |g| + ε)`. Default 1e-8. */
  epsilon?: number;
  /** `λ` ≥ 0: coupled L2 penalty added to the gradient (torch's `weight_decay`). Default 0. */
  weightDecay?: HyperParameter;
}

/**
 * One Adamax step (torch.optim.Adamax) in place: `g' = g + l2·p`, `m' = β₁m + (1 − β₁)g'`,
 * `u' = max(β₂u, |g'| + ε)`, update `−lr·m'/(u'·(1 − β₁ᵗ))`.
 */
export const adamaxKernel: OptimizerKernel = optimizerKernel({
  name: 'adamaxStep',
  slots: ['m', 'u'],
  uniforms: [...DECAY_UNIFORMS, 'b1', 'omb1', 'b2', 'eps', 'bc1'],
  zeroable: DECAY_ZEROABLE,
  update: (r, o) => {
    const g = l2Gradient(r, o);
    const m = o.add(o.mul(r.m!, r.b1!), o.mul(g, r.omb1!));
    const u = o.max(o.mul(r.u!, r.b2!), o.add(o.abs(g), r.eps!));
    return { update: decayedStep(r, o, o.div(m, o.mul(u, r.bc1!))), m, u };
  },
});

/** Adamax as one in-place kernel per variable, advancing its chain's state (`m`, `u`, `step`). */
export function fusedAdamax(options: Resolved<AdamaxOptions>, layout: ChainLayout): FusedStep {
  return fusedPerParameter({
    kernel: adamaxKernel,
    layout,
    slotsAt: 'rule',
    constants: (count) => ({
      ...rateAndDecay(options, layout, count),
      b1: beta1At(options.beta1, count('rule')),
    }),
    plan: (_key, _p, previous, { lr, wd, b1 }) => {
      const t = ((previous?.step as number | undefined) ?? 0) + 1;
      return {
        uniforms: {
          lr,
          ...decayUniforms(wd, false),
          b1,
          omb1: 1 - b1,
          b2: options.beta2,
          eps: options.epsilon,
          bc1: 1 - b1 ** t,
        },
        numbers: { step: t },
      };
    },
  });
}

/**
 * Adamax (Kingma & Ba, 2015, §7.1; survey §5.3) — Adam with the infinity norm in place of the
 * second moment — as a `tf.Optimizer`, with torch.optim.Adamax's algorithm:
 *
 * ```
 * g ← g + λ·θ                                   (only if weightDecay > 0)
 * m ← β₁m + (1−β₁)g,   u ← max(β₂u, |g| + ε)
 * θ ← θ − η · m / ((1−β₁ᵗ)·u)
 * ```
 *
 * Defaults η = 2e-3, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, λ = 0 (torch). Where frameworks differ: torch
 * and optax put `ε` inside the max (as here); Keras and `tf.train.adamax` divide by `u + ε`
 * (tfjs: ε 1e-7, Keras: η 1e-3, ε 1e-7). State keyed by variable name. Same as
 * `chain(addL2Gradient(λ), scaleByAdamax({ β₁, β₂, ε }), scaleByLearningRate(η))`.
 *
 * @example
 * ```ts
 * model.compile({ optimizer: adamax({ learningRate: 2e-3 }), loss: 'categoricalCrossentropy' });
 * ```
 */
export const Adamax = defineOptimizer<AdamaxOptions>({
  name: 'adamax',
  className: 'descent.Adamax',
  options: {
    learningRate: hyperOption(2e-3, NON_NEGATIVE),
    ...ADAM_MOMENT_OPTIONS,
    weightDecay: hyperOption(0, NON_NEGATIVE),
  },
  chain: ({ beta1, beta2, epsilon, weightDecay, learningRate }) => ({
    ...withWeightDecay(scaleByAdamax({ beta1, beta2, epsilon }), weightDecay),
    learningRate: scaleByLearningRate(learningRate),
  }),
  fused: (o, layout) => fusedAdamax(o, layout),
});
/** An {@link adamax} optimizer. */
export type Adamax = NamedOptimizer<AdamaxOptions>;

/** Adamax as a `tf.Optimizer`; see {@link Adamax} for the update rule and defaults. */
export function adamax(options: AdamaxOptions = {}): Adamax {
  return new Adamax(options);
}
