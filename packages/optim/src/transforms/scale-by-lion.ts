import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, type HyperParameter, hyperValue, checkOptions } from '@descent/core';
import type { GradientTransformation } from '../transform/gradient-transformation';
import { perParameter, tensorSlot } from '../transform/per-parameter';
import { signOf } from './scale-by-sign';

/** Options of {@link scaleByLion}. */
export interface ScaleByLionOptions {
  /** `β₁` in [0, 1), the interpolation weight of the update; a number or a schedule. Default 0.9. */
  beta1?: HyperParameter;
  /** `β₂` in [0, 1), decay of the momentum. Default 0.99. */
  beta2?: number;
}

/**
 * Lion's sign update (Chen et al., 2023, *Symbolic Discovery of Optimization Algorithms*), as
 * optax's `scale_by_lion`:
 *
 * ```
 * u = sign(β₁·m + (1 − β₁)·g)
 * m ← β₂·m + (1 − β₂)·g
 * ```
 *
 * `m` starts at zero; `sign(0) = 0`. Every coordinate of the update is −1, 0 or 1, so Lion wants a
 * learning rate 3–10× smaller than AdamW's. Slot per parameter: `m`.
 *
 * @throws DescentError `BAD_HYPERPARAM` / `NON_FINITE` for a bad option value, `UNKNOWN_PARAM` for an
 *   unknown option name, `BAD_ARGUMENT` for options that are no plain object; its `update` refuses
 *   bad updates, state and params (see `GradientTransformation`).
 *
 * @example
 * ```ts
 * const lion = chain(scaleByLion({ beta1: 0.9, beta2: 0.99 }), scaleByLearningRate(1e-4));
 * ```
 */
export function scaleByLion(options: ScaleByLionOptions = {}): GradientTransformation {
  checkOptions('scaleByLion', options, ['beta1', 'beta2'] satisfies (keyof ScaleByLionOptions)[]);
  const { beta1 = 0.9, beta2 = 0.99 } = options;
  const beta1Range = { min: 0, max: 1, maxExclusive: true };
  hyperValue('beta1', beta1, 0, beta1Range);
  checkNumber('beta2', beta2, { min: 0, max: 1, maxExclusive: true });
  return perParameter(
    {
      initSlots: (like) => ({ m: tf.zerosLike(like) }),
      step(g, slots, { count }) {
        const b1 = hyperValue('beta1', beta1, count, beta1Range);
        const m0 = tensorSlot(slots, 'm');
        const update = signOf(tf.add(tf.mul(m0, b1), tf.mul(g, 1 - b1)));
        const m = tf.add(tf.mul(m0, beta2), tf.mul(g, 1 - beta2));
        return { update, slots: { m } };
      },
    },
    'scaleByLion',
  );
}
