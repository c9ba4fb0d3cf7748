import type { HyperParameter } from '@descent/core';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import { scaleByNadam } from '../transforms/scale-by-nadam';
import { defineOptimizer, type NamedOptimizer } from './named-optimizer';
import {
  ADAM_MOMENT_OPTIONS,
  booleanOption,
  chainCheckedOption,
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

/** Options of {@link nadam}. */
export interface NAdamOptions extends PreprocessingOptions {
  /** `η` ≥ 0, a number or a schedule. Default 2e-3 (torch). */
  learningRate?: HyperParameter;
  /** `β₁` in [0, 1), a number or a schedule. Default 0.9. */
  beta1?: HyperParameter;
  /** `β₂` in [0, 1). Default 0.999. */
  beta2?: number;
  /** `ε` ≥ 0, outside the square root. Default 1e-8. */
  epsilon?: number;
  /** `ψ` ≥ 0, the decay of the momentum schedule `μ_t = β₁(1 − ½·0.96^{tψ})`. Default 4e-3. */
  momentumDecay?: number;
  /** `λ` ≥ 0, a number or a schedule: L2 penalty on the gradient, or decoupled decay. Default 0. */
  weightDecay?: HyperParameter;
  /** Decoupled weight decay `θ ← θ − ηλθ` (torch's NAdamW) instead of L2. Default false. */
  decoupledWeightDecay?: boolean;
}

/**
 * One NAdam step (torch.optim.NAdam) in place: `g' = g + l2·p`, the Adam moments, then
 * `u = −lr·((cm·m' + cg·g')/(√(v'/bc2) + ε) + decay·p)` with `cm = μₜ₊₁/(1 − Πμ·μₜ₊₁)` and
 * `cg = (1 − μₜ)/(1 − Πμ)` computed per variable in JavaScript.
 */
export const nadamKernel: OptimizerKernel = optimizerKernel({
  name: 'nadamStep',
  slots: ['m', 'v'],
  uniforms: [...DECAY_UNIFORMS, ...MOMENT_UNIFORMS, 'eps', 'bc2', 'cm', 'cg'],
  zeroable: DECAY_ZEROABLE,
  update: (r, o) => {
    const g = l2Gradient(r, o);
    const { m, v } = adamMoments(r, o, g);
    const denom = o.add(o.sqrt(o.div(v, r.bc2!)), r.eps!);
    const mHat = o.add(o.mul(m, r.cm!), o.mul(g, r.cg!));
    return { update: decayedStep(r, o, o.div(mHat, denom)), m, v };
  },
});

/** NAdam as one in-place kernel per variable, advancing its chain's state (`m`, `v`, `step`, `muProduct`). */
export function fusedNadam(options: Resolved<NAdamOptions>, layout: ChainLayout): FusedStep {
  const decoupled = options.decoupledWeightDecay;
  const psi = options.momentumDecay;
  return fusedPerParameter({
    kernel: nadamKernel,
    layout,
    slotsAt: 'rule',
    constants: (count) => ({
      ...rateAndDecay(options, layout, count),
      b1: beta1At(options.beta1, count('rule')),
    }),
    plan: (_key, _p, previous, { lr, wd, b1 }) => {
      const t = ((previous?.step as number | undefined) ?? 0) + 1;
      const mu = b1 * (1 - 0.5 * 0.96 ** (t * psi));
      const muNext = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * psi));
      const muProduct = Math.fround(((previous?.muProduct as number | undefined) ?? 1) * mu);
      return {
        uniforms: {
          lr,
          ...decayUniforms(wd, decoupled),
          ...momentUniforms(b1, options.beta2),
          eps: options.epsilon,
          bc2: 1 - options.beta2 ** t,
          cm: muNext / (1 - muProduct * muNext),
          cg: (1 - mu) / (1 - muProduct),
        },
        numbers: { step: t, muProduct },
      };
    },
  });
}

/**
 * NAdam (Dozat, 2016, "Incorporating Nesterov momentum into Adam"; survey §5.3) as a
 * `tf.Optimizer`, with torch.optim.NAdam's algorithm and momentum schedule:
 *
 * ```
 * g ← g + λ·θ                     (L2, if weightDecay > 0 and not decoupled)
 * μ_t = β₁(1 − ½·0.96^{tψ}),  μ_{t+1} = β₁(1 − ½·0.96^{(t+1)ψ}),  Π_t = μ₁⋯μ_t
 * m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²
 * θ ← θ − η · ( μ_{t+1}·m / (1 − Π_t·μ_{t+1}) + (1 − μ_t)·g / (1 − Π_t) ) / (√(v / (1−β₂ᵗ)) + ε)
 *       − η·λ·θ                   (decoupled only)
 * ```
 *
 * Defaults η = 2e-3, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, ψ = 4e-3, λ = 0 (torch). Where frameworks
 * differ: Keras's `Nadam` uses the same schedule with ψ fixed at 0.004 and ε = 1e-7, η = 1e-3;
 * optax's `nadam` keeps `μ = β₁` constant; tfjs has none. Same as `chain(addL2Gradient(λ),
 * scaleByNadam({ β₁, β₂, ε, momentumDecay }), scaleByLearningRate(η))`, or with
 * `decoupledWeightDecay` `chain(scaleByNadam(…), addDecayedWeights(λ), scaleByLearningRate(η))`.
 *
 * @example
 * ```ts
 * model.compile({ optimizer: nadam({ learningRate: 2e-3 }), loss: 'categoricalCrossentropy' });
 * ```
 */
export const NAdam = defineOptimizer<NAdamOptions>({
  name: 'nadam',
  className: 'descent.NAdam',
  options: {
    learningRate: hyperOption(2e-3, NON_NEGATIVE),
    ...ADAM_MOMENT_OPTIONS,
    momentumDecay: chainCheckedOption(4e-3),
    weightDecay: hyperOption(0, NON_NEGATIVE),
    decoupledWeightDecay: booleanOption(false),
  },
  chain: (o) => ({
    ...withWeightDecay(
      scaleByNadam({
        beta1: o.beta1,
        beta2: o.beta2,
        epsilon: o.epsilon,
        momentumDecay: o.momentumDecay,
      }),
      o.weightDecay,
      { decoupled: o.decoupledWeightDecay },
    ),
    learningRate: scaleByLearningRate(o.learningRate),
  }),
  fused: (o, layout) => fusedNadam(o, layout),
});
/** An {@link nadam} optimizer. */
export type NAdam = NamedOptimizer<NAdamOptions>;

/** NAdam as a `tf.Optimizer`; see {@link NAdam} for the update rule and defaults. */
export function nadam(options: NAdamOptions = {}): NAdam {
  return new NAdam(options);
}
