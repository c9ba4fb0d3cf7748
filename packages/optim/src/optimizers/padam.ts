import type { HyperParameter } from '@descent/core';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import { scaleByPadam } from '../transforms/scale-by-padam';
import { defineOptimizer, type NamedOptimizer } from './named-optimizer';
import { chainCheckedOption, hyperOption, NON_NEGATIVE } from './optimizer-description';
import { withWeightDecay } from './named-options';
import type { PreprocessingOptions } from './preprocessing';

/** Options of {@link padam}. */
export interface PadamOptions extends PreprocessingOptions {
  /** `η` ≥ 0, a number or a schedule. Default 0.1 (the authors'). */
  learningRate?: HyperParameter;
  /** `p` in (0, ½], the partially adaptive exponent. Default 1/8. */
  partial?: number;
  /** `β₁` in [0, 1), a number or a schedule. Default 0.9. */
  beta1?: HyperParameter;
  /** `β₂` in [0, 1). Default 0.999. */
  beta2?: number;
  /** `ε` ≥ 0, added outside the power. Default 1e-8. */
  epsilon?: number;
  /** `λ` ≥ 0: coupled L2 penalty added to the gradient (the authors' `weight_decay`). Default 0. */
  weightDecay?: HyperParameter;
}

/**
 * Padam (Chen & Gu, "Closing the generalization gap of adaptive gradient methods in training deep
 * neural networks", 2018/IJCAI 2020; survey §5.3) as a `tf.Optimizer`: AMSGrad with the square root
 * replaced by a power `p ∈ (0, ½]`, interpolating between SGD with momentum (`p → 0`) and AMSGrad
 * (`p = ½`), which lets it use SGD-sized learning rates.
 *
 * ```
 * g ← g + λ·θ                                   (only if weightDecay > 0)
 * m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,  vmax ← max(vmax, v)
 * θ ← θ − η · (m / (1−β₁ᵗ)) / ((vmax / (1−β₂ᵗ))^p + ε)
 * ```
 *
 * Defaults η = 0.1, p = 1/8 (the paper's experiments), β₁ = 0.9, β₂ = 0.999, ε = 1e-8, λ = 0.
 * The paper's Algorithm 1 (`θ ← θ − η·m/vmax^p`) has neither bias correction nor `ε`; both are
 * added as torch's Adam adds them, so that `p = ½` is exactly `adam({ amsgrad: true })`. The
 * authors' code divides by `(√vmax + ε)^{2p}` with step `η·√(1−β₂ᵗ)/(1−β₁ᵗ)` for every `p` (and
 * defaults `p = 1/4`). torch.optim, optax, Keras and tfjs have no Padam. Same as
 * `chain(addL2Gradient(λ), scaleByPadam({ partial, β₁, β₂, ε }), scaleByLearningRate(η))`.
 *
 * @example
 * ```ts
 * model.compile({ optimizer: padam({ learningRate: 0.1, partial: 1 / 8 }), loss: 'categoricalCrossentropy' });
 * ```
 */
export const Padam = defineOptimizer<PadamOptions>({
  name: 'padam',
  className: 'descent.Padam',
  options: {
    learningRate: hyperOption(0.1, NON_NEGATIVE),
    partial: chainCheckedOption(1 / 8),
    beta1: chainCheckedOption(0.9),
    beta2: chainCheckedOption(0.999),
    epsilon: chainCheckedOption(1e-8),
    weightDecay: hyperOption(0, NON_NEGATIVE),
  },
  chain: ({ learningRate, weightDecay, ...rule }) => ({
    ...withWeightDecay(scaleByPadam(rule), weightDecay),
    learningRate: scaleByLearningRate(learningRate),
  }),
});
/** A {@link padam} optimizer. */
export type Padam = NamedOptimizer<PadamOptions>;

/** Padam as a `tf.Optimizer`; see {@link Padam} for the update rule and defaults. */
export function padam(options: PadamOptions = {}): Padam {
  return new Padam(options);
}
