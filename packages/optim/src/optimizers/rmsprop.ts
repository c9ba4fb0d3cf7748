import { type HyperParameter, hyperValue } from '@descent/core';
import { chain } from '../transform/chain';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import { scaleByRms } from '../transforms/scale-by-rms';
import { NamedOptimizer, registerOptimizer } from './named-optimizer';
import { checkOptions, withWeightDecay } from './named-options';
import { PREPROCESSING_KEYS, type PreprocessingOptions } from './preprocessing';
import { fusedRmsprop } from '../fused/fused-rmsprop';

/** Options of {@link rmsprop}. */
export interface RMSpropOptions extends PreprocessingOptions {
  /** `η` ≥ 0, a number or a schedule. Default 1e-2. */
  learningRate?: HyperParameter;
  /** `ρ` in [0, 1), decay of the mean square (torch's `alpha`, tfjs's `decay`). Default 0.99. */
  rho?: number;
  /** `ε` ≥ 0, outside the square root. Default 1e-8. */
  epsilon?: number;
  /** `μ` in [0, 1], a number or a schedule. Default 0. */
  momentum?: HyperParameter;
  /** Centered RMSprop: divide by `√(v − ḡ²)`, an estimate of the standard deviation. Default false. */
  centered?: boolean;
  /** `λ` ≥ 0: coupled L2 penalty added to the gradient first (torch's `weight_decay`). Default 0. */
  weightDecay?: HyperParameter;
}

const KEYS = [
  ...PREPROCESSING_KEYS,
  'learningRate',
  'rho',
  'epsilon',
  'momentum',
  'centered',
  'weightDecay',
];

/**
 * RMSprop (Tieleman & Hinton, 2012; centered: Graves, 2013; survey §5.3) as a `tf.Optimizer`,
 * following torch.optim.RMSprop:
 *
 * ```
 * g ← g + λ·θ                                  (only if weightDecay > 0)
 * v ← ρ·v + (1 − ρ)·g²
 * ḡ ← ρ·ḡ + (1 − ρ)·g,   ṽ = v − ḡ²            (centered; otherwise ṽ = v)
 * b ← μ·b + g / (√ṽ + ε),   θ ← θ − η·b        (μ > 0)
 * θ ← θ − η·g / (√ṽ + ε)                       (μ = 0)
 * ```
 *
 * Defaults η = 1e-2, ρ = 0.99, ε = 1e-8, μ = 0, not centered, λ = 0. Same as
 * `chain(addL2Gradient(λ), scaleByRms({ rho, epsilon, centered, momentum }), scaleByLearningRate(η))`.
 *
 * Where frameworks differ: tfjs's `tf.train.rmsprop` defaults to ρ = 0.9 and ε = 1e-7 inside the
 * root (`√(v + ε)`), keeps η inside the momentum buffer (different when η changes), computes
 * `√(v − ḡ² − ε)` when centered, and keys its state by variable position; Keras uses ρ = 0.9 and
 * ε = 1e-7; optax's `rmsprop` uses ρ = 0.9 with ε inside the root.
 *
 * @example
 * ```ts
 * const opt = rmsprop({ learningRate: 1e-3, rho: 0.9, centered: true, momentum: 0.9 });
 * ```
 */
export class RMSprop extends NamedOptimizer<RMSpropOptions> {
  static override get className(): string {
    return 'descent.RMSprop';
  }

  constructor(options: RMSpropOptions = {}) {
    checkOptions('rmsprop', options, KEYS);
    const {
      learningRate = 1e-2,
      rho = 0.99,
      epsilon = 1e-8,
      momentum = 0,
      centered = false,
      weightDecay = 0,
    } = options;
    hyperValue('learningRate', learningRate, 0, { min: 0 });
    hyperValue('weightDecay', weightDecay, 0, { min: 0 });
    super(
      options,
      chain(
        ...withWeightDecay(scaleByRms({ rho, epsilon, centered, momentum }), weightDecay),
        scaleByLearningRate(learningRate),
      ),
    );
    this.fusedStep = fusedRmsprop({ learningRate, rho, epsilon, momentum, centered, weightDecay });
  }
}
registerOptimizer(RMSprop);

/** RMSprop as a `tf.Optimizer`; see {@link RMSprop} for the update rule and defaults. */
export function rmsprop(options: RMSpropOptions = {}): RMSprop {
  return new RMSprop(options);
}
