import type { HyperParameter } from '@descent/core';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import { scaleByRadam } from '../transforms/scale-by-radam';
import { defineOptimizer, type NamedOptimizer } from './named-optimizer';
import {
  booleanOption,
  DECAY_RATE,
  hyperOption,
  NON_NEGATIVE,
  numberOption,
} from './optimizer-description';
import { withWeightDecay } from './named-options';
import type { PreprocessingOptions } from './preprocessing';
import { fusedRadam } from '../fused/fused-radam';

/** Options of {@link radam}. */
export interface RAdamOptions extends PreprocessingOptions {
  /** `η` ≥ 0, a number or a schedule. Default 1e-3. */
  learningRate?: HyperParameter;
  /** `β₁` in [0, 1), a number or a schedule. Default 0.9. */
  beta1?: HyperParameter;
  /** `β₂` in [0, 1). Default 0.999. */
  beta2?: number;
  /** `ε` ≥ 0, added to `√v` (torch). Default 1e-8. */
  epsilon?: number;
  /** `λ` ≥ 0, a number or a schedule: L2 penalty on the gradient, or decoupled decay. Default 0. */
  weightDecay?: HyperParameter;
  /** Decoupled weight decay `θ ← θ − ηλθ` (torch's `decoupled_weight_decay`) instead of L2. Default false. */
  decoupledWeightDecay?: boolean;
}

/**
 * RAdam (Liu et al., 2020, "On the variance of the adaptive learning rate and beyond"; survey §5.3)
 * as a `tf.Optimizer`, with torch.optim.RAdam's algorithm:
 *
 * ```
 * g ← g + λ·θ                               (L2, if weightDecay > 0 and not decoupled)
 * m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,  m̂ = m / (1−β₁ᵗ)
 * ρ_∞ = 2/(1−β₂) − 1,  ρ_t = ρ_∞ − 2tβ₂ᵗ/(1−β₂ᵗ)
 * ρ_t > 5:  θ ← θ − η · m̂ · r_t · √(1−β₂ᵗ) / (√v + ε),  r_t = √((ρ_t−4)(ρ_t−2)ρ_∞ / ((ρ_∞−4)(ρ_∞−2)ρ_t))
 * else:     θ ← θ − η · m̂                   (unadapted momentum step)
 *           θ ← θ − ηλθ                     (decoupled only)
 * ```
 *
 * Defaults η = 1e-3, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, λ = 0 (torch). With β₂ = 0.999 the first five
 * steps are unadapted SGD-with-momentum steps, so a warmup is built in. Where frameworks differ:
 * torch adds ε to `√v` (not `√v̂`); optax's `radam` uses `m̂·r/(√v̂ + ε)` and switches at `ρ_t ≥ 5`;
 * Keras core and tfjs have none (TensorFlow Addons has `RectifiedAdam`). Same as
 * `chain(addL2Gradient(λ), scaleByRadam({ β₁, β₂, ε }), scaleByLearningRate(η))`, or with
 * `decoupledWeightDecay` `chain(scaleByRadam(…), addDecayedWeights(λ), scaleByLearningRate(η))`.
 *
 * @example
 * ```ts
 * model.compile({ optimizer: radam({ learningRate: 1e-3 }), loss: 'categoricalCrossentropy' });
 * ```
 */
export const RAdam = defineOptimizer<RAdamOptions>({
  name: 'radam',
  className: 'descent.RAdam',
  options: {
    learningRate: hyperOption(1e-3, NON_NEGATIVE),
    beta1: hyperOption(0.9, DECAY_RATE),
    beta2: numberOption(0.999, DECAY_RATE),
    epsilon: numberOption(1e-8, NON_NEGATIVE),
    weightDecay: hyperOption(0, NON_NEGATIVE),
    decoupledWeightDecay: booleanOption(false),
  },
  chain: ({ beta1, beta2, epsilon, weightDecay, decoupledWeightDecay, learningRate }) => ({
    ...withWeightDecay(scaleByRadam({ beta1, beta2, epsilon }), weightDecay, {
      decoupled: decoupledWeightDecay,
    }),
    learningRate: scaleByLearningRate(learningRate),
  }),
  fused: (o, layout) => fusedRadam(o, layout),
});
/** An {@link radam} optimizer. */
export type RAdam = NamedOptimizer<RAdamOptions>;

/** RAdam as a `tf.Optimizer`; see {@link RAdam} for the update rule and defaults. */
export function radam(options: RAdamOptions = {}): RAdam {
  return new RAdam(options);
}
