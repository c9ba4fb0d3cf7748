import type { HyperParameter } from '@descent/core';
import { type DecayMask, isDecayed } from '../transforms/add-decayed-weights';
import { scaleByAdam } from '../transforms/scale-by-adam';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import { scaleByTrustRatio } from '../transforms/scale-by-trust-ratio';
import { defineOptimizer, type NamedOptimizer } from './named-optimizer';
import {
  chainCheckedOption,
  hyperOption,
  maskOption,
  NON_NEGATIVE,
  numberOption,
  requiredHyperOption,
  type Resolved,
} from './optimizer-description';
import { withWeightDecay } from './named-options';
import type { PreprocessingOptions } from './preprocessing';
import type { ChainLayout } from '../transform/named-chain';
import { rateAndDecay } from '../fused/rate-and-decay';
import { beta1At } from '../transforms/adam-moments';
import { adamMoments, MOMENT_UNIFORMS, momentUniforms } from '../fused/adam-terms';
import type { FusedStep } from '../fused/fused-step';
import { type OptimizerKernel, optimizerKernel } from '../fused/optimizer-kernel';
import { trustRatioApplyKernel, trustRatioStep } from '../fused/trust-ratio-step';

/** Options of {@link lamb}. */
export interface LambOptions extends PreprocessingOptions {
  /** `η` ≥ 0 (required, as in optax), a number or a schedule. */
  learningRate: HyperParameter;
  /** `β₁` in [0, 1), a number or a schedule. Default 0.9. */
  beta1?: HyperParameter;
  /** `β₂` in [0, 1). Default 0.999. */
  beta2?: number;
  /** `ε` ≥ 0, outside the square root. Default 1e-6 (optax and the paper; Adam's is 1e-8). */
  epsilon?: number;
  /** `λ` ≥ 0, decoupled weight decay added before the trust ratio, a number or a schedule. Default 0. */
  weightDecay?: HyperParameter;
  /** Which parameters to decay (default all): a record by name (unlisted are decayed) or a predicate. */
  weightDecayMask?: DecayMask;
}

/**
 * LAMB's first phase in place: the Adam moments and the direction
 * `d = (m'/bc1)/(√(v'/bc2) + ε) + decay·p` into the scratch slot `d`.
 */
export const lambDirectionKernel: OptimizerKernel = optimizerKernel({
  name: 'lambDirection',
  slots: ['m', 'v', 'd'],
  uniforms: [...MOMENT_UNIFORMS, 'eps', 'bc1', 'bc2', 'decay'],
  movesParam: false,
  update: (r, o) => {
    const { m, v } = adamMoments(r, o, r.g!);
    const adam = o.div(o.div(m, r.bc1!), o.add(o.sqrt(o.div(v, r.bc2!)), r.eps!));
    return { m, v, d: o.add(adam, o.mul(r.p!, r.decay!)) };
  },
});

/**
 * LAMB (`chain(scaleByAdam, addDecayedWeights?, scaleByTrustRatio, scaleByLearningRate)`) as two
 * in-place kernels per variable and one on-device reduction of `‖p‖²` and `‖d‖²` between them.
 */
export function fusedLamb(options: Resolved<LambOptions>, layout: ChainLayout): FusedStep {
  return trustRatioStep({
    direction: lambDirectionKernel,
    apply: () => trustRatioApplyKernel,
    layout,
    slotsAt: 'rule',
    stateless: ['trust'],
    constants: (count) => ({
      ...rateAndDecay(options, layout, count),
      b1: beta1At(options.beta1, count('rule')),
    }),
    plan: (key, p, previous, { lr, b1, wd }) => {
      const t = ((previous?.step as number | undefined) ?? 0) + 1;
      const decayed = wd !== 0 && isDecayed(options.weightDecayMask, key, p);
      return {
        direction: {
          ...momentUniforms(b1, options.beta2),
          eps: options.epsilon,
          bc1: 1 - b1 ** t,
          bc2: 1 - options.beta2 ** t,
          decay: decayed ? wd : 0,
        },
        apply: { lr, trust: 1, coef: 1, eps: 0, minNorm: 0 },
        numbers: { step: t },
      };
    },
  });
}

/**
 * LAMB, layer-wise adaptive moments for large batches (You et al., 2020; survey §5.4), as a
 * `tf.Optimizer`, with optax's `lamb` algorithm: Adam's direction plus decoupled weight decay,
 * rescaled per tensor by the trust ratio `‖θ‖ / ‖r‖`.
 *
 * ```
 * m ← β₁m + (1−β₁)g,   v ← β₂v + (1−β₂)g²
 * r = (m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε) + λ·θ          (λθ where weightDecayMask allows)
 * θ ← θ − η · (‖θ‖ / ‖r‖) · r                             (ratio 1 if ‖θ‖ = 0 or ‖r‖ = 0)
 * ```
 *
 * Same as `chain(scaleByAdam({ β₁, β₂, ε }), addDecayedWeights(λ, { mask }), scaleByTrustRatio(),
 * scaleByLearningRate(η))`. Defaults as optax: β₁ = 0.9, β₂ = 0.999, ε = 1e-6, λ = 0; η has no
 * default. Where implementations differ: the paper's Algorithm 2 scales by `φ(‖θ‖)/‖r‖` with a
 * clipping function φ (identity here and in optax); some implementations (NVIDIA's, timm's) clip
 * the gradient norm first or skip the bias correction; optax's `eps_root` is not offered.
 * Keras, tfjs and torch have no LAMB.
 *
 * @example
 * ```ts
 * model.compile({ optimizer: lamb({ learningRate: 2e-3, weightDecay: 0.01 }), loss: 'meanSquaredError' });
 * ```
 *
 * You et al., "Large Batch Optimization for Deep Learning: Training BERT in 76 minutes", ICLR 2020,
 * arXiv:1904.00962.
 */
export const Lamb = defineOptimizer<LambOptions>({
  name: 'lamb',
  className: 'descent.Lamb',
  notObject: 'lamb needs options with a learningRate.',
  options: {
    learningRate: requiredHyperOption(NON_NEGATIVE),
    beta1: chainCheckedOption(0.9),
    beta2: chainCheckedOption(0.999),
    epsilon: numberOption(1e-6, NON_NEGATIVE),
    weightDecay: hyperOption(0, NON_NEGATIVE),
    weightDecayMask: maskOption,
  },
  chain: ({ beta1, beta2, epsilon, weightDecay, weightDecayMask, learningRate }) => ({
    ...withWeightDecay(scaleByAdam({ beta1, beta2, epsilon }), weightDecay, {
      decoupled: true,
      mask: weightDecayMask,
    }),
    trust: scaleByTrustRatio(),
    learningRate: scaleByLearningRate(learningRate),
  }),
  fused: (o, layout) => fusedLamb(o, layout),
});
/** A {@link lamb} optimizer. */
export type Lamb = NamedOptimizer<LambOptions>;

/** LAMB as a `tf.Optimizer`; see {@link Lamb} for the update rule and defaults. */
export function lamb(options: LambOptions): Lamb {
  return new Lamb(options);
}
