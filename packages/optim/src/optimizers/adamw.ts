import type { HyperParameter } from '@descent/core';
import { addDecayedWeights, type DecayMask } from '../transforms/add-decayed-weights';
import { scaleByAdam } from '../transforms/scale-by-adam';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import { fusedAdam } from './adam';
import { defineOptimizer, type NamedOptimizer } from './named-optimizer';
import {
  ADAM_MOMENT_OPTIONS,
  booleanOption,
  hyperOption,
  maskOption,
  NON_NEGATIVE,
} from './optimizer-description';
import type { PreprocessingOptions } from './preprocessing';

/** Options of {@link adamw}. */
export interface AdamWOptions extends PreprocessingOptions {
  /** `η` ≥ 0, a number or a schedule. Default 1e-3. */
  learningRate?: HyperParameter;
  /** `β₁` in [0, 1), a number or a schedule. Default 0.9. */
  beta1?: HyperParameter;
  /** `β₂` in [0, 1). Default 0.999. */
  beta2?: number;
  /** `ε` ≥ 0, outside the square root. Default 1e-8. */
  epsilon?: number;
  /** AMSGrad (Reddi et al., 2018). Default false. */
  amsgrad?: boolean;
  /** `λ` ≥ 0, decoupled weight decay (multiplied by `η`), a number or a schedule. Default 1e-2 (torch). */
  weightDecay?: HyperParameter;
  /**
   * Which parameters to decay (default: all, as torch and optax). A record `{ [name]: boolean }`
   * (unlisted names are decayed) or a predicate `(name, param) => boolean`; see `weightDecayMask()`
   * for the usual "weights only". Only a record can be saved with `model.save({ includeOptimizer })`.
   */
  weightDecayMask?: DecayMask;
}

/**
 * AdamW (Loshchilov & Hutter, 2019, "Decoupled weight decay regularization"; survey §5.3) as a
 * `tf.Optimizer`, with torch.optim.AdamW's algorithm:
 *
 * ```
 * m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²       (AMSGrad: vmax ← max(vmax, v), used for v)
 * θ ← θ − η·( (m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε) + λ·θ )      (λθ only where the mask allows)
 * ```
 *
 * **AdamW vs Adam's L2 (`adam({ weightDecay })`).** L2 adds `λθ` to the *gradient*, so it enters
 * `m` and `v` and is divided by `√v̂ + ε`: parameters with large gradients are barely regularized,
 * those with small ones strongly, and the penalty's pull also pollutes the moment estimates.
 * Decoupled decay adds `λθ` *after* the adaptive scaling, so every parameter shrinks by the same
 * factor `(1 − ηλ)` per step, whatever its gradient history — for plain SGD the two coincide (up to
 * the scale of λ), for Adam they do not. Typical λ is therefore larger (1e-2 … 1e-1) than an L2
 * coefficient (1e-5 … 1e-4).
 *
 * Defaults η = 1e-3, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, λ = 1e-2 (torch). Where frameworks differ:
 * torch, optax and Keras 3 multiply the decay by the learning rate (`ηλθ`, as here; with a
 * schedule, by the current `η_t`); the paper's Algorithm 2 multiplies it only by the schedule
 * multiplier, not by the base rate α (`θ ← θ − η_t(α·m̂/(√v̂+ε) + λθ)`), and TensorFlow Addons'
 * `AdamW` subtracts `λθ` unscaled. Default λ: torch 1e-2, optax 1e-4, Keras 0.004. tfjs has no
 * AdamW. Same as `chain(scaleByAdam({ β₁, β₂, ε, amsgrad }), addDecayedWeights(λ, { mask }),
 * scaleByLearningRate(η))`.
 *
 * @example
 * ```ts
 * model.compile({ optimizer: adamw({ learningRate: 1e-3, weightDecay: 0.05 }), loss: 'meanSquaredError' });
 * adamw({ weightDecayMask: weightDecayMask(model.info) });   // no decay on biases and norms
 * ```
 */
export const AdamW = defineOptimizer<AdamWOptions>({
  name: 'adamw',
  className: 'descent.AdamW',
  options: {
    learningRate: hyperOption(1e-3, NON_NEGATIVE),
    ...ADAM_MOMENT_OPTIONS,
    amsgrad: booleanOption(false),
    weightDecay: hyperOption(1e-2, NON_NEGATIVE),
    weightDecayMask: maskOption,
  },
  // addDecayedWeights stays in AdamW's chain even at λ = 0, so its state layout never changes.
  chain: ({ beta1, beta2, epsilon, amsgrad, weightDecay, weightDecayMask, learningRate }) => ({
    rule: scaleByAdam({ beta1, beta2, epsilon, amsgrad }),
    weightDecay: addDecayedWeights(weightDecay, { mask: weightDecayMask }),
    learningRate: scaleByLearningRate(learningRate),
  }),
  fused: (o, layout) => fusedAdam({ ...o, decoupled: true, mask: o.weightDecayMask }, layout),
});
/** An {@link adamw} optimizer. */
export type AdamW = NamedOptimizer<AdamWOptions>;

/** AdamW as a `tf.Optimizer`; see {@link AdamW} for the update rule, defaults and the difference to L2. */
export function adamw(options: AdamWOptions = {}): AdamW {
  return new AdamW(options);
}
