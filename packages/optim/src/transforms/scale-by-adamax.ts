import * as tf from '@tensorflow/tfjs-core';
import { checkOptions, type HyperParameter } from '@descent/core';
import type { GradientTransformation } from '../transform/gradient-transformation';
import { numberSlot, perParameter, tensorSlot } from '../transform/per-parameter';
import { beta1At, checkAdamOptions, firstMoment } from './adam-moments';
import { nonNegativeSlot } from '../transform/slot-bounds';

/** Options of {@link scaleByAdamax}. */
export interface ScaleByAdamaxOptions {
  /** `β₁`, decay of the first moment, in [0, 1); a number or a schedule. Default 0.9. */
  beta1?: HyperParameter;
  /** `β₂`, decay of the infinity norm, in [0, 1). Default 0.999. */
  beta2?: number;
  /** `ε` ≥ 0, added to `|g|` **inside** the max (torch, optax). Default 1e-8. */
  epsilon?: number;
}

/**
 * Rescales updates by Adamax's infinity-norm estimate (Kingma & Ba, 2015, §7.1; survey §5.3),
 * with torch.optim.Adamax's algorithm:
 *
 * ```
 * m_t = β₁·m_{t−1} + (1 − β₁)·g
 * u_t = max(β₂·u_{t−1}, |g| + ε)
 * out = m_t / ((1 − β₁ᵗ)·u_t)
 * ```
 *
 * `ε` sits inside the max in torch and optax (`update_infinity_moment`) alike, so `u_t ≥ ε` and a
 * zero gradient never divides by zero; Keras and tfjs's `tf.train.adamax` add `ε` to `u_t` in the
 * denominator instead (`m̂ / (u + ε)`). `t` counts the updates of each parameter. Slots per
 * parameter: `m`, `u`, `step`.
 *
 * @throws DescentError `BAD_HYPERPARAM` / `NON_FINITE` for a bad option value, `UNKNOWN_PARAM` for an
 *   unknown option name, `BAD_ARGUMENT` for options that are no plain object; its `update` refuses
 *   bad updates, state and params (see `GradientTransformation`).
 *
 * @example
 * ```ts
 * const adamax = chain(scaleByAdamax({ beta2: 0.99 }), scaleByLearningRate(2e-3));
 * ```
 */
export function scaleByAdamax(options: ScaleByAdamaxOptions = {}): GradientTransformation {
  checkOptions('scaleByAdamax', options, [
    'beta1',
    'beta2',
    'epsilon',
  ] satisfies (keyof ScaleByAdamaxOptions)[]);
  const { beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8 } = options;
  checkAdamOptions(beta1, beta2, epsilon);
  return perParameter(
    {
      initSlots: (like) => ({
        m: tf.zerosLike(like),
        u: nonNegativeSlot(tf.zerosLike(like)),
        step: 0,
      }),
      step(g, slots, { count }) {
        const b1 = beta1At(beta1, count);
        const t = numberSlot(slots, 'step') + 1;
        const m = firstMoment(slots, g, b1);
        const u = tf.maximum(tf.mul(tensorSlot(slots, 'u'), beta2), tf.add(tf.abs(g), epsilon));
        const update = tf.div(m, tf.mul(u, 1 - b1 ** t));
        return { update, slots: { m, u, step: t } };
      },
    },
    'scaleByAdamax',
  );
}
