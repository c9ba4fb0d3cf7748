import type { HyperParameter } from '@descent/core';
import { scaleByAdam } from '../transforms/scale-by-adam';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import { fusedAdam } from '../fused/fused-adam';
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
export const Adam = defineOptimizer<AdamOptions>({
  name: 'adam',
  className: 'descent.Adam',
  options: {
    learningRate: hyperOption(1e-3, NON_NEGATIVE),
    beta1: hyperOption(0.9, DECAY_RATE),
    beta2: numberOption(0.999, DECAY_RATE),
    epsilon: numberOption(1e-8, NON_NEGATIVE),
    amsgrad: booleanOption(false),
    weightDecay: hyperOption(0, NON_NEGATIVE),
  },
  chain: ({ beta1, beta2, epsilon, amsgrad, weightDecay, learningRate }) => ({
    ...withWeightDecay(scaleByAdam({ beta1, beta2, epsilon, amsgrad }), weightDecay),
    learningRate: scaleByLearningRate(learningRate),
  }),
  fused: (o, layout) => fusedAdam({ ...o, decoupled: false }, layout),
});
/** An {@link adam} optimizer. */
export type Adam = NamedOptimizer<AdamOptions>;

/** Adam as a `tf.Optimizer`; see {@link Adam} for the update rule and defaults. */
export function adam(options: AdamOptions = {}): Adam {
  return new Adam(options);
}
