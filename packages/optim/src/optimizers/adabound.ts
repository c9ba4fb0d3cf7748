import type { HyperParameter } from '@descent/core';
import { scaleByAdabound } from '../transforms/scale-by-adabound';
import { defineOptimizer, type NamedOptimizer } from './named-optimizer';
import { chainCheckedOption, hyperOption, NON_NEGATIVE } from './optimizer-description';
import { withWeightDecay } from './named-options';
import type { PreprocessingOptions } from './preprocessing';

/** Options of {@link adabound}. */
export interface AdaBoundOptions extends PreprocessingOptions {
  /** `η` (Adam's learning rate), a number or a schedule, > 0 at step 0. Default 1e-3. */
  learningRate?: HyperParameter;
  /** `η*` ≥ 0, the final (SGD) learning rate; it follows `η`'s schedule as `η*·η_t/η_0`. Default 0.1. */
  finalLr?: number;
  /** `γ` in [0, 1), the convergence speed of the bounds. Default 1e-3. */
  gamma?: number;
  /** `β₁` in [0, 1), a number or a schedule. Default 0.9. */
  beta1?: HyperParameter;
  /** `β₂` in [0, 1). Default 0.999. */
  beta2?: number;
  /** `ε` ≥ 0, added to `√v`. Default 1e-8. */
  epsilon?: number;
  /** `λ` ≥ 0: coupled L2 penalty added to the gradient (the authors' `weight_decay`). Default 0. */
  weightDecay?: HyperParameter;
  /** AMSBound: bound the AMSGrad step (running maximum of `v`). Default false. */
  amsbound?: boolean;
}

/**
 * AdaBound / AMSBound (Luo et al., 2019, "Adaptive gradient methods with dynamic bound of learning
 * rate"; survey §5.3) as a `tf.Optimizer`: Adam whose per-element step size is clipped into bounds
 * that converge to the final learning rate `η*`, so training moves smoothly from Adam to SGD.
 * Written from the authors' reference implementation (github.com/Luolc/AdaBound, `adabound.py`):
 *
 * ```
 * g ← g + λ·θ                                   (only if weightDecay > 0)
 * m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²        (AMSBound: v ← max(vmax, v))
 * η*_t = η*·η_t/η_0,  lower_t = η*_t·(1 − 1/(γt + 1)),  upper_t = η*_t·(1 + 1/(γt))
 * θ ← θ − clip(η_t·√(1−β₂ᵗ) / ((1−β₁ᵗ)(√v + ε)), lower_t, upper_t) · m
 * ```
 *
 * Defaults η = 1e-3, η* = 0.1, γ = 1e-3, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, λ = 0 (the authors'). The
 * final learning rate is scaled by `η_t/η_0` (`η_0`: the learning rate at step 0) exactly as the
 * authors' code scales `final_lr` by `lr / base_lr` so that learning-rate schedules also move the
 * bounds. The paper's Algorithm 2 differs from the code: constant `η*`, no bias correction, and
 * the clipped step size divided by `√t`. As in the code, the clip applies to the bias-corrected
 * step size, and the clipped size multiplies the raw `m` (not `m̂`). torch.optim, optax, Keras and tfjs have no AdaBound. Same as
 * `chain(addL2Gradient(λ), scaleByAdabound({ η, η*, γ, β₁, β₂, ε, amsbound }))` — the
 * transformation applies the learning rate itself.
 *
 * @example
 * ```ts
 * model.compile({ optimizer: adabound({ learningRate: 1e-3, finalLr: 0.1 }), loss: 'categoricalCrossentropy' });
 * ```
 */
export const AdaBound = defineOptimizer<AdaBoundOptions>({
  name: 'adabound',
  className: 'descent.AdaBound',
  options: {
    learningRate: chainCheckedOption(1e-3),
    finalLr: chainCheckedOption(0.1),
    gamma: chainCheckedOption(1e-3),
    beta1: chainCheckedOption(0.9),
    beta2: chainCheckedOption(0.999),
    epsilon: chainCheckedOption(1e-8),
    weightDecay: hyperOption(0, NON_NEGATIVE),
    amsbound: chainCheckedOption(false),
  },
  // The learning rate lives inside the rule (it sets the bounds' base), so the chain has no `learningRate` element.
  chain: ({ weightDecay, ...rule }) => withWeightDecay(scaleByAdabound(rule), weightDecay),
});
/** An {@link adabound} optimizer. */
export type AdaBound = NamedOptimizer<AdaBoundOptions>;

/** AdaBound as a `tf.Optimizer`; see {@link AdaBound} for the update rule and defaults. */
export function adabound(options: AdaBoundOptions = {}): AdaBound {
  return new AdaBound(options);
}
