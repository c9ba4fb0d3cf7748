import type { HyperParameter } from '@descent/core';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import { scaleByYogi } from '../transforms/scale-by-yogi';
import { defineOptimizer, type NamedOptimizer } from './named-optimizer';
import { chainCheckedOption, hyperOption, NON_NEGATIVE } from './optimizer-description';
import type { PreprocessingOptions } from './preprocessing';

/** Options of {@link yogi}. */
export interface YogiOptions extends PreprocessingOptions {
  /** `η` ≥ 0, a number or a schedule. Default 1e-2 (the paper's recommendation). */
  learningRate?: HyperParameter;
  /** `β₁` in [0, 1), a number or a schedule. Default 0.9. */
  beta1?: HyperParameter;
  /** `β₂` in [0, 1). Default 0.999. */
  beta2?: number;
  /** `ε` ≥ 0, outside the square root. Default 1e-3 (optax). */
  epsilon?: number;
  /** Initial value ≥ 0 of both accumulators. Default 1e-6 (optax). */
  initialAccumulatorValue?: number;
}

/**
 * Yogi (Zaheer et al., 2018, "Adaptive methods for nonconvex optimization"; survey §5.3) as a
 * `tf.Optimizer`, with optax's `yogi` (`scale_by_yogi` then the learning rate):
 *
 * ```
 * m_0 = v_0 = v₀
 * m ← β₁m + (1−β₁)g
 * v ← v − (1−β₂)·sign(v − g²)·g²
 * θ ← θ − η · (m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε)
 * ```
 *
 * Defaults η = 1e-2 (Zaheer et al.; optax has no default), β₁ = 0.9, β₂ = 0.999, ε = 1e-3,
 * v₀ = 1e-6 (optax). The additive update of `v` changes it by at most `(1−β₂)g²` per step, which
 * keeps the effective learning rate from growing abruptly when gradients shrink. Where frameworks
 * differ: torch.optim, Keras and tfjs have no Yogi; TensorFlow Addons' `Yogi` adds l1/l2 options.
 * No weight decay option (as optax): chain `addDecayedWeights` or `addL2Gradient` for that. Same as
 * `chain(scaleByYogi({ β₁, β₂, ε, initialAccumulatorValue }), scaleByLearningRate(η))`.
 *
 * @example
 * ```ts
 * model.compile({ optimizer: yogi({ learningRate: 1e-2 }), loss: 'categoricalCrossentropy' });
 * ```
 */
export const Yogi = defineOptimizer<YogiOptions>({
  name: 'yogi',
  className: 'descent.Yogi',
  options: {
    learningRate: hyperOption(1e-2, NON_NEGATIVE),
    beta1: chainCheckedOption(0.9),
    beta2: chainCheckedOption(0.999),
    epsilon: chainCheckedOption(1e-3),
    initialAccumulatorValue: chainCheckedOption(1e-6),
  },
  chain: ({ learningRate, ...rule }) => ({
    rule: scaleByYogi(rule),
    learningRate: scaleByLearningRate(learningRate),
  }),
});
/** A {@link yogi} optimizer. */
export type Yogi = NamedOptimizer<YogiOptions>;

/** Yogi as a `tf.Optimizer`; see {@link Yogi} for the update rule and defaults. */
export function yogi(options: YogiOptions = {}): Yogi {
  return new Yogi(options);
}
