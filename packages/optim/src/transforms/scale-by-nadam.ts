import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, type HyperParameter, checkOptions } from '@descent/core';
import type { GradientTransformation } from '../transform/gradient-transformation';
import { numberSlot, perParameter } from '../transform/per-parameter';
import { beta1At, checkAdamOptions, firstMoment, secondMoment } from './adam-moments';
import { nonNegativeSlot } from '../transform/slot-bounds';

/** Options of {@link scaleByNadam}. */
export interface ScaleByNadamOptions {
  /** `β₁`, decay of the first moment, in [0, 1); a number or a schedule. Default 0.9. */
  beta1?: HyperParameter;
  /** `β₂`, decay of the second moment, in [0, 1). Default 0.999. */
  beta2?: number;
  /** `ε` ≥ 0, added outside the square root. Default 1e-8. */
  epsilon?: number;
  /** `ψ` ≥ 0, the momentum-schedule decay of torch.optim.NAdam. Default 4e-3. */
  momentumDecay?: number;
}

/**
 * Rescales updates by NAdam's Nesterov-accelerated moment estimates (Dozat, 2016; survey §5.3),
 * with torch.optim.NAdam's algorithm and momentum schedule:
 *
 * ```
 * μ_t = β₁·(1 − ½·0.96^{t·ψ})        μ_{t+1} = β₁·(1 − ½·0.96^{(t+1)·ψ})        Π_t = μ₁·…·μ_t
 * m_t = β₁·m_{t−1} + (1 − β₁)·g      v_t = β₂·v_{t−1} + (1 − β₂)·g²
 * m̂_t = μ_{t+1}·m_t / (1 − Π_t·μ_{t+1}) + (1 − μ_t)·g / (1 − Π_t)
 * out = m̂_t / (√(v_t / (1 − β₂ᵗ)) + ε)
 * ```
 *
 * `t` counts the updates of each parameter. The product `Π_t` is a per-parameter number slot kept
 * in float32 (`Math.fround`, as torch keeps `mu_product` in a float32 tensor), so it saves and
 * restores exactly through `getWeights()`. With a β₁ schedule each `μ` uses the β₁ of its step.
 * Where frameworks differ: Keras's `Nadam` fixes `ψ = 0.004` and defaults `ε = 1e-7`; optax's
 * `nadam` is a different variant (`scale_by_adam(nesterov=True)`, constant `μ = β₁`); tfjs has
 * none. Slots per parameter: `m`, `v`, `step`, `muProduct`.
 *
 * @throws DescentError `BAD_HYPERPARAM` / `NON_FINITE` for a bad option value, `UNKNOWN_PARAM` for an
 *   unknown option name, `BAD_ARGUMENT` for options that are no plain object; its `update` refuses
 *   bad updates, state and params (see `GradientTransformation`).
 *
 * @example
 * ```ts
 * const nadam = chain(scaleByNadam({ momentumDecay: 4e-3 }), scaleByLearningRate(2e-3));
 * ```
 */
export function scaleByNadam(options: ScaleByNadamOptions = {}): GradientTransformation {
  checkOptions('scaleByNadam', options, [
    'beta1',
    'beta2',
    'epsilon',
    'momentumDecay',
  ] satisfies (keyof ScaleByNadamOptions)[]);
  const { beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, momentumDecay = 4e-3 } = options;
  checkAdamOptions(beta1, beta2, epsilon);
  checkNumber('momentumDecay', momentumDecay, { min: 0 });
  return perParameter(
    {
      initSlots: (like) => ({
        m: tf.zerosLike(like),
        v: nonNegativeSlot(tf.zerosLike(like)),
        step: 0,
        muProduct: 1,
      }),
      step(g, slots, { count }) {
        const b1 = beta1At(beta1, count);
        const t = numberSlot(slots, 'step') + 1;
        const mu = b1 * (1 - 0.5 * 0.96 ** (t * momentumDecay));
        const muNext = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * momentumDecay));
        const muProduct = Math.fround(numberSlot(slots, 'muProduct') * mu);
        const m = firstMoment(slots, g, b1);
        const v = secondMoment(slots, g, beta2);
        const denom = tf.add(tf.sqrt(tf.div(v, 1 - beta2 ** t)), epsilon);
        const mHat = tf.add(
          tf.mul(m, muNext / (1 - muProduct * muNext)),
          tf.mul(g, (1 - mu) / (1 - muProduct)),
        );
        return { update: tf.div(mHat, denom), slots: { m, v, step: t, muProduct } };
      },
    },
    'scaleByNadam',
  );
}
