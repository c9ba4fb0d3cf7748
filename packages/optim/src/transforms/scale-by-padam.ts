import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, type HyperParameter, checkOptions } from '@descent/core';
import type { GradientTransformation } from '../transform/gradient-transformation';
import { numberSlot, perParameter, tensorSlot } from '../transform/per-parameter';
import { beta1At, checkAdamOptions, firstMoment, secondMoment } from './adam-moments';
import { nonNegativeSlot } from '../transform/slot-bounds';

/** Options of {@link scaleByPadam}. */
export interface ScaleByPadamOptions {
  /** `p`, the partially adaptive exponent, in (0, ½]. Default 1/8 (the paper's choice). */
  partial?: number;
  /** `β₁` in [0, 1), a number or a schedule. Default 0.9. */
  beta1?: HyperParameter;
  /** `β₂` in [0, 1). Default 0.999. */
  beta2?: number;
  /** `ε` ≥ 0, added outside the power. Default 1e-8. */
  epsilon?: number;
}

/**
 * Rescales updates by Padam's partially adaptive moment estimates (Chen & Gu, 2018/2020,
 * "Closing the generalization gap of adaptive gradient methods"; survey §5.3): AMSGrad with the
 * square root replaced by a power `p ∈ (0, ½]` — `p = ½` is AMSGrad, `p → 0` SGD with momentum.
 *
 * ```
 * m_t = β₁·m_{t−1} + (1 − β₁)·g          v_t = β₂·v_{t−1} + (1 − β₂)·g²
 * v̂max_t = max(v̂max_{t−1}, v_t)
 * out = (m_t / (1 − β₁ᵗ)) / ((v̂max_t / (1 − β₂ᵗ))^p + ε)
 * ```
 *
 * The paper's Algorithm 1 is `θ ← θ − η·m_t / v̂max_t^p`, without bias correction and without `ε`;
 * this adds both the way torch's Adam does, so that `p = ½` equals `scaleByAdam({ amsgrad: true })`
 * exactly, and the moments' bias correction amounts to a per-step rescaling of `η` by
 * `(1 − β₂ᵗ)^p / (1 − β₁ᵗ)`. The authors' code (github.com/uclaml/Padam) differs again: it divides
 * by `(√v̂max + ε)^{2p}` and scales the step by `√(1 − β₂ᵗ) / (1 − β₁ᵗ)` for every `p`.
 * `t` counts the updates of each parameter. Slots per parameter: `m`, `v`, `vmax`, `step`.
 *
 * @throws DescentError `BAD_HYPERPARAM` / `NON_FINITE` for a bad option value, `UNKNOWN_PARAM` for an
 *   unknown option name, `BAD_ARGUMENT` for options that are no plain object; its `update` refuses
 *   bad updates, state and params (see `GradientTransformation`).
 *
 * @example
 * ```ts
 * const padam = chain(scaleByPadam({ partial: 1 / 8 }), scaleByLearningRate(0.1));
 * ```
 */
export function scaleByPadam(options: ScaleByPadamOptions = {}): GradientTransformation {
  checkOptions('scaleByPadam', options, [
    'partial',
    'beta1',
    'beta2',
    'epsilon',
  ] satisfies (keyof ScaleByPadamOptions)[]);
  const { partial = 1 / 8, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8 } = options;
  checkNumber('partial', partial, { min: 0, minExclusive: true, max: 0.5 });
  checkAdamOptions(beta1, beta2, epsilon);
  return perParameter(
    {
      initSlots: (like) => ({
        m: tf.zerosLike(like),
        v: nonNegativeSlot(tf.zerosLike(like)),
        vmax: nonNegativeSlot(tf.zerosLike(like)),
        step: 0,
      }),
      step(g, slots, { count }) {
        const b1 = beta1At(beta1, count);
        const t = numberSlot(slots, 'step') + 1;
        const m = firstMoment(slots, g, b1);
        const v = secondMoment(slots, g, beta2);
        const vmax = tf.maximum(tensorSlot(slots, 'vmax'), v);
        const vHat = tf.div(vmax, 1 - beta2 ** t);
        const scale = partial === 0.5 ? tf.sqrt(vHat) : tf.pow(vHat, partial);
        const update = tf.div(tf.div(m, 1 - b1 ** t), tf.add(scale, epsilon));
        return { update, slots: { m, v, vmax, step: t } };
      },
    },
    'scaleByPadam',
  );
}
