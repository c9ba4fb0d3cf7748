import * as tf from '@tensorflow/tfjs-core';
import {
  checkBoolean,
  checkNumber,
  DescentError,
  type HyperParameter,
  hyperValue,
  checkOptions,
} from '@descent/core';
import type { GradientTransformation } from '../transform/gradient-transformation';
import { numberSlot, perParameter, tensorSlot } from '../transform/per-parameter';
import { beta1At, checkAdamOptions, firstMoment, secondMoment } from './adam-moments';
import { nonNegativeSlot } from '../transform/slot-bounds';

/** Options of {@link scaleByAdabound}. */
export interface ScaleByAdaboundOptions {
  /** `η` (Adam's learning rate), a number or a schedule; > 0 at step 0. Default 1e-3. */
  learningRate?: HyperParameter;
  /** `η*` ≥ 0, the final (SGD) learning rate both bounds converge to. Default 0.1. */
  finalLr?: number;
  /** `γ` in [0, 1), how fast the bounds close in. Default 1e-3. */
  gamma?: number;
  /** `β₁` in [0, 1), a number or a schedule. Default 0.9. */
  beta1?: HyperParameter;
  /** `β₂` in [0, 1). Default 0.999. */
  beta2?: number;
  /** `ε` ≥ 0, added to `√v` (not bias-corrected), as the authors' code. Default 1e-8. */
  epsilon?: number;
  /** AMSBound: use the running maximum of `v`. Default false. */
  amsbound?: boolean;
}

/**
 * AdaBound's update (Luo et al., 2019; survey §5.3), **learning rate and sign included**: Adam's
 * per-element step size clipped into bounds that start at `[0, ∞)` and both converge to `η*`, so
 * training moves from Adam to SGD. Written from the authors' reference implementation
 * (github.com/Luolc/AdaBound, `adabound.py`):
 *
 * ```
 * m_t = β₁·m_{t−1} + (1 − β₁)·g          v_t = β₂·v_{t−1} + (1 − β₂)·g²    (AMSBound: v_t ← max_{s≤t} v_s)
 * η*_t = η* · η_t / η_0                   (η_0: the learning rate at step 0, the code's base_lr)
 * lower_t = η*_t · (1 − 1/(γ·t + 1))      upper_t = η*_t · (1 + 1/(γ·t))
 * out = −clip(η_t·√(1 − β₂ᵗ) / ((1 − β₁ᵗ)·(√v_t + ε)), lower_t, upper_t) · m_t
 * ```
 *
 * Because the bounds clip the step size itself, the learning rate cannot be a separate
 * `scaleByLearningRate`: this transformation ends the chain (`chain(addL2Gradient(λ),
 * scaleByAdabound({ … }))`). `t` counts the updates of each parameter; `η_t` is evaluated at this
 * transformation's update count. The final learning rate follows the learning rate's schedule
 * (`η*·η_t/η_0`), the authors' workaround for torch's lr schedulers — the paper's Algorithm 2 has a
 * constant `η*`, no bias correction, and divides the clipped step size by `√t`. `ε` is added to
 * `√v_t` before the bias correction, as in the code. `γ = 0` leaves the step unbounded above and below by 0 (Adam).
 * Slots per parameter: `m`, `v` (and `vmax`), `step`.
 *
 * @throws DescentError `BAD_HYPERPARAM` if the learning rate is 0 at step 0 (the final learning
 *   rate's scale `η_t/η_0` would be undefined).
 *
 * @example
 * ```ts
 * const adabound = chain(scaleByAdabound({ learningRate: 1e-3, finalLr: 0.1 }));
 * ```
 */
export function scaleByAdabound(options: ScaleByAdaboundOptions = {}): GradientTransformation {
  checkOptions('scaleByAdabound', options, [
    'learningRate',
    'finalLr',
    'gamma',
    'beta1',
    'beta2',
    'epsilon',
    'amsbound',
  ] satisfies (keyof ScaleByAdaboundOptions)[]);
  const {
    learningRate = 1e-3,
    finalLr = 0.1,
    gamma = 1e-3,
    beta1 = 0.9,
    beta2 = 0.999,
    epsilon = 1e-8,
    amsbound = false,
  } = options;
  const baseLr = hyperValue('learningRate', learningRate, 0, { min: 0 });
  if (baseLr === 0) {
    throw new DescentError(
      'BAD_HYPERPARAM',
      'learningRate must be > 0 at step 0 for AdaBound (the final learning rate is scaled by ' +
        'learningRate(t) / learningRate(0), as in the authors’ code), got 0.',
    );
  }
  checkNumber('finalLr', finalLr, { min: 0 });
  checkNumber('gamma', gamma, { min: 0, max: 1, maxExclusive: true });
  checkAdamOptions(beta1, beta2, epsilon);
  checkBoolean('amsbound', amsbound);
  return perParameter(
    {
      initSlots: (like) => ({
        m: tf.zerosLike(like),
        v: nonNegativeSlot(tf.zerosLike(like)),
        ...(amsbound ? { vmax: nonNegativeSlot(tf.zerosLike(like)) } : {}),
        step: 0,
      }),
      step(g, slots, { count }) {
        const eta = hyperValue('learningRate', learningRate, count, { min: 0 });
        const b1 = beta1At(beta1, count);
        const t = numberSlot(slots, 'step') + 1;
        const m = firstMoment(slots, g, b1);
        const v = secondMoment(slots, g, beta2);
        const vmax = amsbound ? tf.maximum(tensorSlot(slots, 'vmax'), v) : undefined;
        const stepSize = (eta * Math.sqrt(1 - beta2 ** t)) / (1 - b1 ** t);
        const final = typeof learningRate === 'number' ? finalLr : (finalLr * eta) / baseLr;
        const lower = final * (1 - 1 / (gamma * t + 1));
        let size = tf.maximum(tf.div(stepSize, tf.add(tf.sqrt(vmax ?? v), epsilon)), lower);
        if (gamma > 0) size = tf.minimum(size, final * (1 + 1 / (gamma * t)));
        const update = tf.mul(tf.neg(size), m);
        return { update, slots: { m, v, ...(vmax ? { vmax } : {}), step: t } };
      },
    },
    'scaleByAdabound',
  );
}
