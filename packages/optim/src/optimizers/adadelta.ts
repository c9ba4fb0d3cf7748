import type { HyperParameter } from '@descent/core';
import { scaleByAdadelta } from '../transforms/scale-by-adadelta';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import { defineOptimizer, type NamedOptimizer } from './named-optimizer';
import { chainCheckedOption, hyperOption, NON_NEGATIVE } from './optimizer-description';
import { withWeightDecay } from './named-options';
import type { PreprocessingOptions } from './preprocessing';

/** Options of {@link adadelta}. */
export interface AdadeltaOptions extends PreprocessingOptions {
  /** `η` ≥ 0, a number or a schedule: a plain multiplier of Adadelta's update. Default 1.0. */
  learningRate?: HyperParameter;
  /** `ρ` in [0, 1), decay of both running averages. Default 0.9. */
  rho?: number;
  /** `ε` > 0, inside both square roots. Default 1e-6. */
  epsilon?: number;
  /** `λ` ≥ 0: coupled L2 penalty added to the gradient first (torch's `weight_decay`). Default 0. */
  weightDecay?: HyperParameter;
}

/**
 * Adadelta (Zeiler, 2012; survey §5.3) as a `tf.Optimizer`, following torch.optim.Adadelta:
 *
 * ```
 * g ← g + λ·θ                                  (only if weightDecay > 0)
 * v ← ρ·v + (1 − ρ)·g²
 * Δ = √(a + ε) / √(v + ε) · g
 * a ← ρ·a + (1 − ρ)·Δ²
 * θ ← θ − η·Δ
 * ```
 *
 * Defaults η = 1.0, ρ = 0.9, ε = 1e-6, λ = 0 (torch; optax has the same rule). Same as
 * `chain(addL2Gradient(λ), scaleByAdadelta({ rho, epsilon }), scaleByLearningRate(η))`.
 *
 * Where frameworks differ: tfjs's `tf.train.adadelta` defaults to η = 1e-3, ρ = 0.95, ε = 1e-7,
 * and divides by the previous step's accumulator `√(v_{t−1} + ε)` instead of the updated one;
 * Keras defaults to η = 1e-3, ρ = 0.95, ε = 1e-7.
 *
 * @example
 * ```ts
 * const opt = adadelta({ rho: 0.95 });
 * ```
 */
export const Adadelta = defineOptimizer<AdadeltaOptions>({
  name: 'adadelta',
  className: 'descent.Adadelta',
  options: {
    learningRate: hyperOption(1.0, NON_NEGATIVE),
    rho: chainCheckedOption(0.9),
    epsilon: chainCheckedOption(1e-6),
    weightDecay: hyperOption(0, NON_NEGATIVE),
  },
  chain: ({ rho, epsilon, weightDecay, learningRate }) => ({
    ...withWeightDecay(scaleByAdadelta({ rho, epsilon }), weightDecay),
    learningRate: scaleByLearningRate(learningRate),
  }),
});
/** An {@link adadelta} optimizer. */
export type Adadelta = NamedOptimizer<AdadeltaOptions>;

/** Adadelta as a `tf.Optimizer`; see {@link Adadelta} for the update rule and defaults. */
export function adadelta(options: AdadeltaOptions = {}): Adadelta {
  return new Adadelta(options);
}
