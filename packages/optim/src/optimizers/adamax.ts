import { checkNumber, type HyperParameter, hyperValue } from '@descent/core';
import { chain } from '../transform/chain';
import { scaleByAdamax } from '../transforms/scale-by-adamax';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import { NamedOptimizer, registerOptimizer } from './named-optimizer';
import { checkOptions, withWeightDecay } from './named-options';
import { PREPROCESSING_KEYS, type PreprocessingOptions } from './preprocessing';
import { fusedAdamax } from '../fused/fused-adamax';

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

const KEYS = [...PREPROCESSING_KEYS, 'learningRate', 'beta1', 'beta2', 'epsilon', 'weightDecay'];

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
export class Adamax extends NamedOptimizer<AdamaxOptions> {
  static override get className(): string {
    return 'descent.Adamax';
  }

  constructor(options: AdamaxOptions = {}) {
    checkOptions('adamax', options, KEYS);
    const {
      learningRate = 2e-3,
      beta1 = 0.9,
      beta2 = 0.999,
      epsilon = 1e-8,
      weightDecay = 0,
    } = options;
    hyperValue('learningRate', learningRate, 0, { min: 0 });
    hyperValue('weightDecay', weightDecay, 0, { min: 0 });
    checkNumber('epsilon', epsilon, { min: 0 });
    super(
      options,
      chain(
        ...withWeightDecay(scaleByAdamax({ beta1, beta2, epsilon }), weightDecay),
        scaleByLearningRate(learningRate),
      ),
    );
    this.fusedStep = fusedAdamax({ learningRate, beta1, beta2, epsilon, weightDecay });
  }
}
registerOptimizer(Adamax);

/** Adamax as a `tf.Optimizer`; see {@link Adamax} for the update rule and defaults. */
export function adamax(options: AdamaxOptions = {}): Adamax {
  return new Adamax(options);
}
