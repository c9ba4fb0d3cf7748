import { checkBoolean, checkNumber, type HyperParameter, hyperValue } from '@descent/core';
import { chain } from '../transform/chain';
import type { GradientTransformation } from '../transform/gradient-transformation';
import {
  addDecayedWeights,
  checkDecayMask,
  type DecayMask,
} from '../transforms/add-decayed-weights';
import { clipByBlockRms } from '../transforms/clip-by-block-rms';
import { ema } from '../transforms/ema';
import { scale } from '../transforms/scale';
import { scaleByFactoredRms } from '../transforms/scale-by-factored-rms';
import { scaleByParamBlockRms } from '../transforms/scale-by-param-block-rms';
import { NamedOptimizer, registerOptimizer } from './named-optimizer';
import { checkOptions } from './named-options';
import { PREPROCESSING_KEYS, type PreprocessingOptions } from './preprocessing';

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

const KEYS = [
  ...PREPROCESSING_KEYS,
  'learningRate',
  'minDimSizeToFactor',
  'decayRate',
  'decayOffset',
  'multiplyByParameterScale',
  'clippingThreshold',
  'momentum',
  'weightDecayRate',
  'weightDecayMask',
  'eps',
  'factored',
];

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
export class Adafactor extends NamedOptimizer<AdafactorOptions> {
  static override get className(): string {
    return 'descent.Adafactor';
  }

  constructor(options: AdafactorOptions = {}) {
    checkOptions('adafactor', options, KEYS);
    const {
      learningRate,
      minDimSizeToFactor = 128,
      decayRate = 0.8,
      decayOffset = 0,
      multiplyByParameterScale = true,
      clippingThreshold = 1,
      momentum,
      weightDecayRate,
      weightDecayMask,
      eps = 1e-30,
      factored = true,
    } = options;
    if (learningRate !== undefined) hyperValue('learningRate', learningRate, 0, { min: 0 });
    checkNumber('eps', eps, { min: 0 });
    if (clippingThreshold !== null) {
      checkNumber('clippingThreshold', clippingThreshold, { min: 0, minExclusive: true });
    }
    if (momentum !== undefined && momentum !== null) {
      checkNumber('momentum', momentum, { min: 0, max: 1, maxExclusive: true });
    }
    if (weightDecayRate !== undefined && weightDecayRate !== null) {
      hyperValue('weightDecayRate', weightDecayRate, 0, { min: 0 });
    }
    checkDecayMask('weightDecayMask', weightDecayMask);
    checkBoolean('multiplyByParameterScale', multiplyByParameterScale);
    checkBoolean('factored', factored);
    const parts: GradientTransformation[] = [
      scaleByFactoredRms({ factored, decayRate, decayOffset, minDimSizeToFactor, epsilon: eps }),
    ];
    if (clippingThreshold !== null) parts.push(clipByBlockRms(clippingThreshold));
    if (learningRate !== undefined) parts.push(scale(learningRate));
    if (multiplyByParameterScale) parts.push(scaleByParamBlockRms());
    if (momentum !== undefined && momentum !== null) parts.push(ema(momentum, { debias: false }));
    if (weightDecayRate !== undefined && weightDecayRate !== null) {
      parts.push(addDecayedWeights(weightDecayRate, { mask: weightDecayMask }));
    }
    parts.push(scale(-1));
    super(options, chain(...parts));
  }
}
registerOptimizer(Adafactor);

/** Adafactor as a `tf.Optimizer`; see {@link Adafactor} for the update rule and defaults. */
export function adafactor(options: AdafactorOptions = {}): Adafactor {
  return new Adafactor(options);
}
