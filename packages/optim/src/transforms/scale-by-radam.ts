import * as tf from '@tensorflow/tfjs-core';
import { checkOptions, type HyperParameter } from '@descent/core';
import type { GradientTransformation } from '../transform/gradient-transformation';
import { numberSlot, perParameter } from '../transform/per-parameter';
import { beta1At, checkAdamOptions, firstMoment, secondMoment } from './adam-moments';
import { nonNegativeSlot } from '../transform/slot-bounds';

/** Options of {@link scaleByRadam}. */
export interface ScaleByRadamOptions {
  /** `β₁`, decay of the first moment, in [0, 1); a number or a schedule. Default 0.9. */
  beta1?: HyperParameter;
  /** `β₂`, decay of the second moment, in [0, 1). Default 0.999. */
  beta2?: number;
  /** `ε` ≥ 0, added to `√v_t` (not to `√v̂_t`, as torch). Default 1e-8. */
  epsilon?: number;
}

/**
 * Rescales updates by Rectified Adam (Liu et al., 2020; survey §5.3), with torch.optim.RAdam's
 * algorithm: the adaptive step is used only once the variance of the adaptive learning rate is
 * tractable (`ρ_t > 5`), and rectified by `r_t`; before that the update is the bias-corrected
 * momentum alone (an SGD-with-momentum step).
 *
 * ```
 * m_t = β₁·m_{t−1} + (1 − β₁)·g        v_t = β₂·v_{t−1} + (1 − β₂)·g²        m̂_t = m_t / (1 − β₁ᵗ)
 * ρ_∞ = 2 / (1 − β₂) − 1               ρ_t = ρ_∞ − 2t·β₂ᵗ / (1 − β₂ᵗ)
 * ρ_t > 5:  r_t = √((ρ_t − 4)(ρ_t − 2)ρ_∞ / ((ρ_∞ − 4)(ρ_∞ − 2)ρ_t))
 *           out = m̂_t · r_t · √(1 − β₂ᵗ) / (√v_t + ε)
 * else:     out = m̂_t
 * ```
 *
 * `t` counts the updates of each parameter (with the defaults, the first 5 steps are unadapted).
 * Where frameworks differ: torch adds `ε` to `√v_t`, i.e. `ε·√(1 − β₂ᵗ)` relative to `√v̂_t`;
 * optax's `scale_by_radam` uses `m̂·r / (√v̂ + ε)` and switches at `ρ_t ≥ 5` (a configurable
 * `threshold`). Slots per parameter: `m`, `v`, `step`.
 *
 * @throws DescentError `BAD_HYPERPARAM` / `NON_FINITE` for a bad option value, `UNKNOWN_PARAM` for an
 *   unknown option name, `BAD_ARGUMENT` for options that are no plain object; its `update` refuses
 *   bad updates, state and params (see `GradientTransformation`).
 *
 * @example
 * ```ts
 * const radam = chain(scaleByRadam(), scaleByLearningRate(1e-3));
 * ```
 */
export function scaleByRadam(options: ScaleByRadamOptions = {}): GradientTransformation {
  checkOptions('scaleByRadam', options, [
    'beta1',
    'beta2',
    'epsilon',
  ] satisfies (keyof ScaleByRadamOptions)[]);
  const { beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8 } = options;
  checkAdamOptions(beta1, beta2, epsilon);
  const rhoInf = 2 / (1 - beta2) - 1;
  return perParameter(
    {
      initSlots: (like) => ({
        m: tf.zerosLike(like),
        v: nonNegativeSlot(tf.zerosLike(like)),
        step: 0,
      }),
      step(g, slots, { count }) {
        const b1 = beta1At(beta1, count);
        const t = numberSlot(slots, 'step') + 1;
        const m = firstMoment(slots, g, b1);
        const v = secondMoment(slots, g, beta2);
        const bias2 = 1 - beta2 ** t;
        const rho = rhoInf - (2 * t * beta2 ** t) / bias2;
        let update: tf.Tensor;
        if (rho > 5) {
          const r = Math.sqrt(
            ((rho - 4) * (rho - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rho),
          );
          const scale = (r * Math.sqrt(bias2)) / (1 - b1 ** t);
          update = tf.div(tf.mul(m, scale), tf.add(tf.sqrt(v), epsilon));
        } else {
          update = tf.div(m, 1 - b1 ** t);
        }
        return { update, slots: { m, v, step: t } };
      },
    },
    'scaleByRadam',
  );
}
