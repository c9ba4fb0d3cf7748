import * as tf from '@tensorflow/tfjs-core';
import { checkBoolean, checkOptions, type HyperParameter } from '@descent/core';
import type { GradientTransformation } from '../transform/gradient-transformation';
import { numberSlot, perParameter, tensorSlot } from '../transform/per-parameter';
import { beta1At, checkAdamOptions, firstMoment, secondMoment } from './adam-moments';
import { nonNegativeSlot } from '../transform/slot-bounds';

/** Options of {@link scaleByAdam}. */
export interface ScaleByAdamOptions {
  /** `β₁`, decay of the first moment, in [0, 1); a number or a schedule. Default 0.9. */
  beta1?: HyperParameter;
  /** `β₂`, decay of the second moment, in [0, 1). Default 0.999. */
  beta2?: number;
  /** `ε`, added outside the square root. Default 1e-8 (tfjs's own Adam uses 1e-7). */
  epsilon?: number;
  /** AMSGrad (Reddi et al., 2018): divide by the running maximum of `v`. Default false. */
  amsgrad?: boolean;
}

/**
 * Rescales updates by Adam's bias-corrected moment estimates (Kingma & Ba, 2015; survey §5.3):
 *
 * ```
 * m_t = β₁·m_{t−1} + (1 − β₁)·g        v_t = β₂·v_{t−1} + (1 − β₂)·g²
 * m̂_t = m_t / (1 − β₁ᵗ)                v̂_t = v_t / (1 − β₂ᵗ)      (AMSGrad: v̂_t = max_{s≤t} v_s / (1 − β₂ᵗ))
 * u_t = m̂_t / (√v̂_t + ε)
 * ```
 *
 * `t` counts the updates of each parameter (torch.optim's per-parameter `step`); `ε` sits outside
 * the root as in torch and optax. Slots per parameter: `m`, `v` (and `vmax`), `step`.
 *
 * @throws DescentError `BAD_HYPERPARAM` / `NON_FINITE` for a bad option value, `UNKNOWN_PARAM` for an
 *   unknown option name, `BAD_ARGUMENT` for options that are no plain object; its `update` refuses
 *   bad updates, state and params (see `GradientTransformation`).
 *
 * @example
 * ```ts
 * const adam = chain(scaleByAdam({ beta1: 0.8 }), scaleByLearningRate(0.1));
 * ```
 */
export function scaleByAdam(options: ScaleByAdamOptions = {}): GradientTransformation {
  checkOptions('scaleByAdam', options, [
    'beta1',
    'beta2',
    'epsilon',
    'amsgrad',
  ] satisfies (keyof ScaleByAdamOptions)[]);
  const { beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, amsgrad = false } = options;
  checkAdamOptions(beta1, beta2, epsilon);
  checkBoolean('amsgrad', amsgrad);
  return perParameter(
    {
      initSlots: (like) => ({
        m: tf.zerosLike(like),
        v: nonNegativeSlot(tf.zerosLike(like)),
        ...(amsgrad ? { vmax: nonNegativeSlot(tf.zerosLike(like)) } : {}),
        step: 0,
      }),
      step(g, slots, { count }) {
        const b1 = beta1At(beta1, count);
        const t = numberSlot(slots, 'step') + 1;
        const m = firstMoment(slots, g, b1);
        const v = secondMoment(slots, g, beta2);
        const vmax = amsgrad ? tf.maximum(tensorSlot(slots, 'vmax'), v) : undefined;
        const mHat = tf.div(m, 1 - b1 ** t);
        const vHat = tf.div(vmax ?? v, 1 - beta2 ** t);
        const update = tf.div(mHat, tf.add(tf.sqrt(vHat), epsilon));
        return { update, slots: { m, v, ...(vmax ? { vmax } : {}), step: t } };
      },
    },
    'scaleByAdam',
  );
}
