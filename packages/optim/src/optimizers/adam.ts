import { checkNumber, type HyperParameter, hyperValue } from '@descent/core';
import { chain } from '../transform/chain';
import { scaleByAdam } from '../transforms/scale-by-adam';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import { weightDecayLayout } from '../fused/chain-layout';
import { fusedAdam } from '../fused/fused-adam';
import { NamedOptimizer, registerOptimizer } from './named-optimizer';
import { withWeightDecay } from './named-options';
import type { PreprocessingOptions } from './preprocessing';

/** Options of {@link adam}. */
export interface AdamOptions extends PreprocessingOptions {
  /** `η` ≥ 0, a number or a schedule. Default 1e-3. */
  learningRate?: HyperParameter;
  /** `β₁` in [0, 1), a number or a schedule. Default 0.9. */
  beta1?: HyperParameter;
  /** `β₂` in [0, 1). Default 0.999. */
  beta2?: number;
  /** `ε` ≥ 0, outside the square root. Default 1e-8 (tfjs's `tf.train.adam`: 1e-7). */
  epsilon?: number;
  /** AMSGrad (Reddi et al., 2018). Default false. */
  amsgrad?: boolean;
  /** `λ` ≥ 0: coupled L2 penalty added to the gradient (torch's `weight_decay`). Default 0. For decoupled decay use {@link adamw}. */
  weightDecay?: HyperParameter;
}

/**
 * Adam (Kingma & Ba, 2015; survey §5.3) as a `tf.Optimizer`, with torch.optim's algorithm:
 *
 * ```
 * g ← g + λ·θ                                   (only if weightDecay > 0)
 * m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²       (AMSGrad: v̂max ← max(v̂max, v))
 * θ ← θ − η · (m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε)
 * ```
 *
 * Defaults η = 1e-3, β₁ = 0.9, β₂ = 0.999, ε = 1e-8. Differences to `tf.train.adam`: ε = 1e-8 not
 * 1e-7, state keyed by variable name (tfjs keys it by position), per-variable step count, AMSGrad and
 * schedules. Same as `chain(addL2Gradient(λ), scaleByAdam({ β₁, β₂, ε, amsgrad }), scaleByLearningRate(η))`.
 *
 * @example
 * ```ts
 * model.compile({ optimizer: adam({ learningRate: 1e-3 }), loss: 'meanSquaredError' });
 * ```
 */
export class Adam extends NamedOptimizer<AdamOptions> {
  static override get className(): string {
    return 'descent.Adam';
  }

  constructor(options: AdamOptions = {}) {
    const {
      learningRate = 1e-3,
      beta1 = 0.9,
      beta2 = 0.999,
      epsilon = 1e-8,
      amsgrad = false,
      weightDecay = 0,
    } = options;
    hyperValue('weightDecay', weightDecay, 0, { min: 0 });
    checkNumber('epsilon', epsilon, { min: 0 });
    super(
      options,
      chain(
        ...withWeightDecay(scaleByAdam({ beta1, beta2, epsilon, amsgrad }), weightDecay),
        scaleByLearningRate(learningRate),
      ),
    );
    this.fusedStep = fusedAdam(
      { learningRate, beta1, beta2, epsilon, amsgrad, weightDecay, decoupled: false },
      weightDecayLayout(weightDecay, false),
    );
  }
}
registerOptimizer(Adam);

/** Adam as a `tf.Optimizer`; see {@link Adam} for the update rule and defaults. */
export function adam(options: AdamOptions = {}): Adam {
  return new Adam(options);
}
