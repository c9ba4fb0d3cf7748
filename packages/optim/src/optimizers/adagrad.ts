import type { HyperParameter } from '@descent/core';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import { scaleByRss } from '../transforms/scale-by-rss';
import { defineOptimizer, type NamedOptimizer } from './named-optimizer';
import {
  chainCheckedOption,
  hyperOption,
  NON_NEGATIVE,
  numberOption,
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

/** Options of {@link adagrad}. */
export interface AdagradOptions extends PreprocessingOptions {
  /** `η` ≥ 0, a number or a schedule. Default 1e-2. */
  learningRate?: HyperParameter;
  /** `ε` ≥ 0, outside the square root. Default 1e-10. */
  epsilon?: number;
  /** `s₀` ≥ 0, the accumulator's initial value. Default 0 (tfjs: 0.1). */
  initialAccumulatorValue?: number;
  /** `δ` ≥ 0: the step size at step t is `η / (1 + (t − 1)·δ)`. Default 0. */
  lrDecay?: number;
  /** `λ` ≥ 0: coupled L2 penalty added to the gradient first (torch's `weight_decay`). Default 0. */
  weightDecay?: HyperParameter;
}

/**
 * One Adagrad step (torch.optim.Adagrad) in place: `g' = g + l2·p`, `s' = s + g'²`,
 * `u = −lr·(g'/(√s' + ε))/(1 + (t − 1)·δ)`, with `lrdiv = 1 + (t − 1)·δ` a uniform.
 */
export const adagradKernel: OptimizerKernel = optimizerKernel({
  name: 'adagradStep',
  slots: ['sum'],
  uniforms: [...DECAY_UNIFORMS, 'eps', 'lrdiv'],
  zeroable: DECAY_ZEROABLE,
  update: (r, o) => {
    const g = l2Gradient(r, o);
    const sum = o.add(r.sum!, o.mul(g, g));
    return {
      update: decayedStep(r, o, o.div(o.div(g, o.add(o.sqrt(sum), r.eps!)), r.lrdiv!)),
      sum,
    };
  },
});

/** Adagrad as one in-place kernel per variable, advancing the state of its chain (`sum`, `step`). */
export function fusedAdagrad(options: Resolved<AdagradOptions>, layout: ChainLayout): FusedStep {
  return fusedPerParameter({
    kernel: adagradKernel,
    layout,
    slotsAt: 'rule',
    initial: { sum: options.initialAccumulatorValue },
    constants: (count) => rateAndDecay(options, layout, count),
    plan: (_key, _p, previous, { lr, wd }) => {
      const t = ((previous?.step as number | undefined) ?? 0) + 1;
      return {
        uniforms: {
          lr,
          ...decayUniforms(wd, false),
          eps: options.epsilon,
          lrdiv: 1 + (t - 1) * options.lrDecay,
        },
        numbers: { step: t },
      };
    },
  });
}

/**
 * AdaGrad (Duchi, Hazan & Singer, 2011; survey §5.3) as a `tf.Optimizer`, following
 * torch.optim.Adagrad:
 *
 * ```
 * g ← g + λ·θ                                  (only if weightDecay > 0)
 * s ← s + g²                                   (s starts at initialAccumulatorValue)
 * θ ← θ − η/(1 + (t − 1)·δ) · g / (√s + ε)
 * ```
 *
 * Defaults η = 1e-2, ε = 1e-10, s₀ = 0, δ = 0, λ = 0. Same as
 * `chain(addL2Gradient(λ), scaleByRss({ initialAccumulatorValue, epsilon, lrDecay }), scaleByLearningRate(η))`.
 *
 * Where frameworks differ: tfjs's `tf.train.adagrad` starts the accumulator at 0.1, uses
 * `√(s + 1e-7)` and has no learning-rate decay or weight decay; optax's `adagrad` also starts at
 * 0.1 and puts ε (1e-7) inside the root; Keras starts at 0.1 with ε = 1e-7.
 *
 * @example
 * ```ts
 * const opt = adagrad({ learningRate: 0.1, initialAccumulatorValue: 0.1 });
 * ```
 */
export const Adagrad = defineOptimizer<AdagradOptions>({
  name: 'adagrad',
  className: 'descent.Adagrad',
  options: {
    learningRate: hyperOption(1e-2, NON_NEGATIVE),
    epsilon: numberOption(1e-10, NON_NEGATIVE),
    initialAccumulatorValue: chainCheckedOption(0),
    lrDecay: chainCheckedOption(0),
    weightDecay: hyperOption(0, NON_NEGATIVE),
  },
  chain: ({ initialAccumulatorValue, epsilon, lrDecay, weightDecay, learningRate }) => ({
    ...withWeightDecay(scaleByRss({ initialAccumulatorValue, epsilon, lrDecay }), weightDecay),
    learningRate: scaleByLearningRate(learningRate),
  }),
  fused: (o, layout) => fusedAdagrad(o, layout),
});
/** An {@link adagrad} optimizer. */
export type Adagrad = NamedOptimizer<AdagradOptions>;

/** Adagrad as a `tf.Optimizer`; see {@link Adagrad} for the update rule and defaults. */
export function adagrad(options: AdagradOptions = {}): Adagrad {
  return new Adagrad(options);
}
