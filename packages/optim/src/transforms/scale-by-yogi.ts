import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, type HyperParameter, checkOptions } from '@descent/core';
import type { GradientTransformation } from '../transform/gradient-transformation';
import { numberSlot, perParameter, tensorSlot } from '../transform/per-parameter';
import { beta1At, checkAdamOptions, firstMoment } from './adam-moments';
import { nonNegativeSlot } from '../transform/slot-bounds';

/** Options of {@link scaleByYogi}. */
export interface ScaleByYogiOptions {
  /** `β₁`, decay of the first moment, in [0, 1); a number or a schedule. Default 0.9. */
  beta1?: HyperParameter;
  /** `β₂`, rate of the additive second-moment update, in [0, 1). Default 0.999. */
  beta2?: number;
  /** `ε` ≥ 0, added outside the square root. Default 1e-3 (optax, and the paper's recommendation). */
  epsilon?: number;
  /** Initial value ≥ 0 of **both** accumulators `m` and `v` (optax). Default 1e-6. */
  initialAccumulatorValue?: number;
}

/**
 * Rescales updates by Yogi's moment estimates (Zaheer et al., 2018; survey §5.3), with optax's
 * `scale_by_yogi`: the second moment moves additively towards `g²` by at most `(1 − β₂)·g²` per
 * step, so it cannot blow up the effective learning rate the way Adam's multiplicative decay can.
 *
 * ```
 * m_0 = v_0 = v₀ (initialAccumulatorValue)
 * m_t = β₁·m_{t−1} + (1 − β₁)·g
 * v_t = v_{t−1} − (1 − β₂)·sign(v_{t−1} − g²)·g²
 * out = (m_t / (1 − β₁ᵗ)) / (√(v_t / (1 − β₂ᵗ)) + ε)
 * ```
 *
 * `t` counts the updates of each parameter; `v` stays ≥ 0 when `v₀ ≥ 0`. This follows optax
 * exactly: both accumulators start at `v₀` (not only `v`) and both moments are bias-corrected.
 * torch.optim and tfjs have no Yogi; TensorFlow Addons' `Yogi` adds l1/l2 regularization options.
 * Slots per parameter: `m`, `v`, `step`.
 *
 * @throws DescentError `BAD_HYPERPARAM` / `NON_FINITE` for a bad option value, `UNKNOWN_PARAM` for an
 *   unknown option name, `BAD_ARGUMENT` for options that are no plain object; its `update` refuses
 *   bad updates, state and params (see `GradientTransformation`).
 *
 * @example
 * ```ts
 * const yogi = chain(scaleByYogi({ epsilon: 1e-3 }), scaleByLearningRate(1e-2));
 * ```
 */
export function scaleByYogi(options: ScaleByYogiOptions = {}): GradientTransformation {
  checkOptions('scaleByYogi', options, [
    'beta1',
    'beta2',
    'epsilon',
    'initialAccumulatorValue',
  ] satisfies (keyof ScaleByYogiOptions)[]);
  const { beta1 = 0.9, beta2 = 0.999, epsilon = 1e-3, initialAccumulatorValue = 1e-6 } = options;
  checkAdamOptions(beta1, beta2, epsilon);
  checkNumber('initialAccumulatorValue', initialAccumulatorValue, { min: 0 });
  return perParameter(
    {
      initSlots: (like) => ({
        m: tf.fill(like.shape, initialAccumulatorValue, 'float32'),
        v: nonNegativeSlot(tf.fill(like.shape, initialAccumulatorValue, 'float32')),
        step: 0,
      }),
      step(g, slots, { count }) {
        const b1 = beta1At(beta1, count);
        const t = numberSlot(slots, 'step') + 1;
        const previousV = tensorSlot(slots, 'v');
        const g2 = tf.square(g);
        const m = firstMoment(slots, g, b1);
        const v = tf.sub(previousV, tf.mul(tf.mul(tf.sign(tf.sub(previousV, g2)), g2), 1 - beta2));
        const mHat = tf.div(m, 1 - b1 ** t);
        const vHat = tf.div(v, 1 - beta2 ** t);
        const update = tf.div(mHat, tf.add(tf.sqrt(vHat), epsilon));
        return { update, slots: { m, v, step: t } };
      },
    },
    'scaleByYogi',
  );
}
