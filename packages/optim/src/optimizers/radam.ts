import type { HyperParameter } from '@descent/core';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import { scaleByRadam } from '../transforms/scale-by-radam';
import { defineOptimizer, type NamedOptimizer } from './named-optimizer';
import {
  ADAM_MOMENT_OPTIONS,
  booleanOption,
  hyperOption,
  NON_NEGATIVE,
  type Resolved,
} from './optimizer-description';
import { withWeightDecay } from './named-options';
import type { PreprocessingOptions } from './preprocessing';
import type { ChainLayout } from '../transform/named-chain';
import { rateAndDecay } from '../fused/rate-and-decay';
import {
  DECAY_UNIFORMS,
  DECAY_ZEROABLE,
  decayedStep,
  decayUniforms,
  l2Gradient,
} from '../fused/decay-terms';
import { fusedPerParameter } from '../fused/fused-per-parameter';
import { beta1At } from '../transforms/adam-moments';
import { adamMoments, MOMENT_UNIFORMS, momentUniforms } from '../fused/adam-terms';
import type { FusedStep } from '../fused/fused-step';
import { type OptimizerKernel, optimizerKernel } from '../fused/optimizer-kernel';

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
 * One RAdam step (torch.optim.RAdam) in place: the Adam moments of `g' = g + l2·p`, then the
 * rectified step `rs·m'/(√v' + ε)` while the variance is tractable (`rect = 1`, `ρₜ > 5`) and
 * the plain momentum step `m'/bc1` before; `rs = r·√(1 − β₂ᵗ)/(1 − β₁ᵗ)` comes from JavaScript.
 */
export const radamKernel: OptimizerKernel = optimizerKernel({
  name: 'radamStep',
  slots: ['m', 'v'],
  uniforms: [...DECAY_UNIFORMS, ...MOMENT_UNIFORMS, 'eps', 'bc1', 'rs', 'rect'],
  zeroable: DECAY_ZEROABLE,
  update: (r, o) => {
    const g = l2Gradient(r, o);
    const { m, v } = adamMoments(r, o, g);
    const rectified = o.div(o.mul(m, r.rs!), o.add(o.sqrt(v), r.eps!));
    const direction = o.select(o.gt(r.rect!, 0.5), rectified, o.div(m, r.bc1!));
    return { update: decayedStep(r, o, direction), m, v };
  },
});

/** RAdam as one in-place kernel per variable, advancing its chain's state (`m`, `v`, `step`). */
export function fusedRadam(options: Resolved<RAdamOptions>, layout: ChainLayout): FusedStep {
  const decoupled = options.decoupledWeightDecay;
  const b2 = options.beta2;
  const rhoInf = 2 / (1 - b2) - 1;
  return fusedPerParameter({
    kernel: radamKernel,
    layout,
    slotsAt: 'rule',
    constants: (count) => ({
      ...rateAndDecay(options, layout, count),
      b1: beta1At(options.beta1, count('rule')),
    }),
    plan: (_key, _p, previous, { lr, wd, b1 }) => {
      const t = ((previous?.step as number | undefined) ?? 0) + 1;
      const bias2 = 1 - b2 ** t;
      const rho = rhoInf - (2 * t * b2 ** t) / bias2;
      const rect = rho > 5;
      const r = rect
        ? Math.sqrt(((rho - 4) * (rho - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rho))
        : 0;
      return {
        uniforms: {
          lr,
          ...decayUniforms(wd, decoupled),
          ...momentUniforms(b1, b2),
          eps: options.epsilon,
          bc1: 1 - b1 ** t,
          rs: rect ? (r * Math.sqrt(bias2)) / (1 - b1 ** t) : 0,
          rect: rect ? 1 : 0,
        },
        numbers: { step: t },
      };
    },
  });
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
    ...ADAM_MOMENT_OPTIONS,
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
