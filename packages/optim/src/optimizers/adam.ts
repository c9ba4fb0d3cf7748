import type { HyperParameter, Ops, ValueExpr } from '@descent/core';
import { scaleByAdam } from '../transforms/scale-by-adam';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import { defineOptimizer, type NamedOptimizer } from './named-optimizer';
import {
  ADAM_MOMENT_OPTIONS,
  booleanOption,
  hyperOption,
  NON_NEGATIVE,
} from './optimizer-description';
import { withWeightDecay } from './named-options';
import type { PreprocessingOptions } from './preprocessing';
import { type DecayMask, isDecayed } from '../transforms/add-decayed-weights';
import { fusedPerParameter } from '../fused/fused-per-parameter';
import type { PreviousSlots } from '../fused/per-parameter-plan';
import { beta1At } from '../transforms/adam-moments';
import type { ChainLayout } from '../transform/named-chain';
import { rateAndDecay } from '../fused/rate-and-decay';
import { adamMoments, MOMENT_UNIFORMS, momentUniforms } from '../fused/adam-terms';
import {
  DECAY_UNIFORMS,
  DECAY_ZEROABLE,
  decayedStep,
  decayUniforms,
  l2Gradient,
} from '../fused/decay-terms';
import type { FusedStep } from '../fused/fused-step';
import { type OptimizerKernel, optimizerKernel, type RuleRefs } from '../fused/optimizer-kernel';

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

const UNIFORMS = [...DECAY_UNIFORMS, ...MOMENT_UNIFORMS, 'eps', 'ibc1', 'isbc2'];

/**
 * Adam's direction `(m'/bc1)/(√den/√bc2 + ε)`, written as torch does: one square root and one
 * division per element, with `ibc1 = 1/bc1` and `isbc2 = 1/√bc2` computed once in JavaScript.
 */
function direction(r: RuleRefs, o: Ops, m: ValueExpr, den: ValueExpr): ValueExpr {
  return o.div(o.mul(m, r.ibc1!), o.add(o.mul(o.sqrt(den), r.isbc2!), r.eps!));
}

/** One Adam / AdamW step (torch.optim's algorithm) on one variable, in place. */
export const adamKernel: OptimizerKernel = optimizerKernel({
  name: 'adamStep',
  slots: ['m', 'v'],
  uniforms: UNIFORMS,
  zeroable: DECAY_ZEROABLE,
  update: (r, o) => {
    const { m, v } = adamMoments(r, o, l2Gradient(r, o));
    return { update: decayedStep(r, o, direction(r, o, m, v)), m, v };
  },
});

/** One AMSGrad step: as {@link adamKernel}, dividing by the running maximum `vmax` of `v`. */
export const amsgradKernel: OptimizerKernel = optimizerKernel({
  name: 'amsgradStep',
  slots: ['m', 'v', 'vmax'],
  uniforms: UNIFORMS,
  zeroable: DECAY_ZEROABLE,
  update: (r, o) => {
    const { m, v } = adamMoments(r, o, l2Gradient(r, o));
    const vmax = o.max(r.vmax!, v);
    return { update: decayedStep(r, o, direction(r, o, m, vmax)), m, v, vmax };
  },
});

/** Options of {@link fusedAdam}: the resolved options of an `adam` or `adamw` optimizer. */
export interface FusedAdamOptions {
  learningRate: HyperParameter;
  beta1: HyperParameter;
  beta2: number;
  epsilon: number;
  amsgrad: boolean;
  weightDecay: HyperParameter;
  /** AdamW's decoupled decay (with its mask) instead of Adam's L2 gradient term. */
  decoupled: boolean;
  mask?: DecayMask;
}

/**
 * Adam and AdamW as one in-place kernel per variable (WASM-SIMD or WebGPU): `p`, `m`, `v` (and
 * `vmax`) are read and written once; the bias corrections `1 − β₁ᵗ`, `1 − β₂ᵗ` are computed per
 * variable in JavaScript from its own step count and passed as uniforms with the learning rate,
 * `β₁` and the decay at this step (schedules never recompile anything).
 */
export function fusedAdam(options: FusedAdamOptions, layout: ChainLayout): FusedStep {
  return fusedPerParameter({
    kernel: options.amsgrad ? amsgradKernel : adamKernel,
    layout,
    slotsAt: 'rule',
    constants: (count) => ({
      ...rateAndDecay(options, layout, count),
      b1: beta1At(options.beta1, count('rule')),
    }),
    plan: (key, p, previous: PreviousSlots, { lr, b1, wd }) => {
      const t = ((previous?.step as number | undefined) ?? 0) + 1;
      const decayed = options.decoupled && wd !== 0 && isDecayed(options.mask, key, p);
      return {
        uniforms: {
          lr,
          ...momentUniforms(b1, options.beta2),
          eps: options.epsilon,
          ibc1: 1 / (1 - b1 ** t),
          isbc2: 1 / Math.sqrt(1 - options.beta2 ** t),
          ...decayUniforms(wd, options.decoupled, decayed),
        },
        numbers: { step: t },
      };
    },
  });
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
    ...ADAM_MOMENT_OPTIONS,
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
