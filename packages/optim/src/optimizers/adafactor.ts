import { checkNumber, type HyperParameter, hyperValue } from '@descent/core';
import { addDecayedWeights, type DecayMask } from '../transforms/add-decayed-weights';
import { clipByBlockRms } from '../transforms/clip-by-block-rms';
import { ema } from '../transforms/ema';
import { scale } from '../transforms/scale';
import { scaleByFactoredRms } from '../transforms/scale-by-factored-rms';
import { scaleByParamBlockRms } from '../transforms/scale-by-param-block-rms';
import { defineOptimizer, type NamedOptimizer } from './named-optimizer';
import {
  booleanOption,
  chainCheckedOption,
  DECAY_RATE,
  hyperOption,
  maskOption,
  NON_NEGATIVE,
  numberOption,
} from './optimizer-description';
import type { PreprocessingOptions } from './preprocessing';

/** Options of {@link adafactor}: optax's, camel-cased. */
export interface AdafactorOptions extends PreprocessingOptions {
  /**
   * `η` ≥ 0, a number or a schedule. Default: none — the step is then `1 × rms(θ)` alone (optax's
   * `learning_rate=None`; it does **not** switch to the paper's relative step `min(1e-2, 1/√t)`,
   * pass a schedule for that).
   */
  learningRate?: HyperParameter;
  /** Factor the second moments of tensors whose second-largest axis has at least this many entries (integer ≥ 1). Default 128. */
  minDimSizeToFactor?: number;
  /** `c` ≥ 0 of the decay schedule `β₂(t) = 1 − t^(−c)`. Default 0.8. */
  decayRate?: number;
  /** Integer ≥ 0 subtracted from the step count in `β₂(t)` (fine-tuning). Default 0. */
  decayOffset?: number;
  /** Multiply the step by `max(rms(θ), 1e-3)` (relative step size). Default true. */
  multiplyByParameterScale?: boolean;
  /** `d` > 0: clip each tensor's update to RMS ≤ d; `null` disables. Default 1. */
  clippingThreshold?: number | null;
  /** `β₁` in [0, 1): an exponential moving average (not debiased) of the updates; `null`/absent: none. Default none. */
  momentum?: number | null;
  /** `λ` ≥ 0: adds `λ·θ` to the update **after** the learning rate (so not multiplied by it), a number or a schedule. Default none. */
  weightDecayRate?: HyperParameter | null;
  /** Which parameters to decay (default all): a record by name (unlisted are decayed) or a predicate. */
  weightDecayMask?: DecayMask;
  /** `ε₁` ≥ 0 added to the squared gradients. Default 1e-30. */
  eps?: number;
  /** Use factored second moments at all. Default true. */
  factored?: boolean;
}

/**
 * Adafactor (Shazeer & Stern, 2018; survey §5.3–5.4) as a `tf.Optimizer`, with optax's
 * `adafactor` algorithm: RMSprop-like scaling whose second moments of matrices are stored factored
 * (one row and one column vector), update clipping, and steps relative to each tensor's scale.
 *
 * ```
 * β₂(t) = 1 − (t − offset + 1)^(−c)                            (t = 0 at the first step)
 * u = g / √V̂      with V̂ the factored estimate (R, C) or a full V; see scaleByFactoredRms
 * u ← u / max(1, rms(u)/d)                                     (clippingThreshold d)
 * u ← η·u                                                      (if learningRate is given)
 * u ← max(rms(θ), 1e-3)·u                                      (multiplyByParameterScale)
 * m ← β₁m + (1−β₁)u;  u ← m                                     (if momentum is given)
 * u ← u + λ·θ                                                  (if weightDecayRate is given)
 * θ ← θ − u
 * ```
 *
 * Same as `chain(scaleByFactoredRms(…), clipByBlockRms(d), scale(η), scaleByParamBlockRms(),
 * ema(β₁, { debias: false }), addDecayedWeights(λ, { mask }), scale(−1))`, the optional parts
 * left out as configured. Defaults as optax: no learning rate, minDimSizeToFactor 128, decayRate
 * 0.8, decayOffset 0, multiplyByParameterScale true, clippingThreshold 1, no momentum, no weight
 * decay, ε₁ 1e-30, factored. Where implementations differ:
 * - optax (followed here): no learning rate means no schedule at all; `ε₁` is added to `g²`;
 *   factoring uses the two largest axes once the second-largest has ≥ 128 entries; weight decay
 *   is added after the learning rate, so it is **not** multiplied by it.
 * - The paper, torch.optim.Adafactor (torch ≥ 2.5) and Keras use the relative step
 *   `min(η, 1/√t)·max(ε₂, rms(θ))` (torch η = 1e-2, Keras 1e-3, the paper `min(1e-2, 1/√t)`); pass
 *   a schedule as `learningRate` for that. torch and Keras factor every tensor of rank ≥ 2 over its
 *   last two axes; torch multiplies the weight decay by the learning rate and has no momentum.
 * - tfjs has no Adafactor.
 *
 * @example
 * ```ts
 * model.compile({ optimizer: adafactor({ learningRate: 1e-2 }), loss: 'categoricalCrossentropy' });
 * ```
 *
 * Shazeer & Stern, "Adafactor: Adaptive Learning Rates with Sublinear Memory Cost", ICML 2018.
 */
export const Adafactor = defineOptimizer<AdafactorOptions>({
  name: 'adafactor',
  className: 'descent.Adafactor',
  options: {
    learningRate: hyperOption(undefined, NON_NEGATIVE),
    minDimSizeToFactor: chainCheckedOption(128),
    decayRate: chainCheckedOption(0.8),
    decayOffset: chainCheckedOption(0),
    multiplyByParameterScale: booleanOption(true),
    clippingThreshold: chainCheckedOption<number | null>(1),
    momentum: chainCheckedOption<number | null | undefined>(undefined),
    weightDecayRate: {
      ...chainCheckedOption<HyperParameter | null | undefined>(undefined),
      range: NON_NEGATIVE,
    },
    weightDecayMask: maskOption,
    eps: numberOption(1e-30, NON_NEGATIVE),
    factored: booleanOption(true),
  },
  check: ({ clippingThreshold, momentum, weightDecayRate }) => {
    if (clippingThreshold !== null) {
      checkNumber('clippingThreshold', clippingThreshold, { min: 0, minExclusive: true });
    }
    if (momentum != null) checkNumber('momentum', momentum, DECAY_RATE);
    if (weightDecayRate != null) hyperValue('weightDecayRate', weightDecayRate, 0, NON_NEGATIVE);
  },
  chain: (o) => ({
    rule: scaleByFactoredRms({
      factored: o.factored,
      decayRate: o.decayRate,
      decayOffset: o.decayOffset,
      minDimSizeToFactor: o.minDimSizeToFactor,
      epsilon: o.eps,
    }),
    clip: o.clippingThreshold === null ? undefined : clipByBlockRms(o.clippingThreshold),
    learningRate: o.learningRate === undefined ? undefined : scale(o.learningRate),
    parameterScale: o.multiplyByParameterScale ? scaleByParamBlockRms() : undefined,
    momentum: o.momentum == null ? undefined : ema(o.momentum, { debias: false }),
    weightDecay:
      o.weightDecayRate == null
        ? undefined
        : addDecayedWeights(o.weightDecayRate, { mask: o.weightDecayMask }),
    descend: scale(-1),
  }),
});
/** An {@link adafactor} optimizer. */
export type Adafactor = NamedOptimizer<AdafactorOptions>;

/** Adafactor as a `tf.Optimizer`; see {@link Adafactor} for the update rule and defaults. */
export function adafactor(options: AdafactorOptions = {}): Adafactor {
  return new Adafactor(options);
}
