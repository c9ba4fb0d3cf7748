import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, checkOptions } from '@descent/core';
import type { GradientTransformation } from '../transform/gradient-transformation';
import { perParameter, tensorSlot } from '../transform/per-parameter';
import { nonNegativeSlot } from '../transform/slot-bounds';

/** Options of {@link scaleByAdadelta}. */
export interface ScaleByAdadeltaOptions {
  /** `ρ` in [0, 1), decay of both running averages. Default 0.9 (torch, optax; tfjs and Keras: 0.95). */
  rho?: number;
  /** `ε` > 0, inside both square roots. Default 1e-6 (torch, optax; tfjs and Keras: 1e-7). */
  epsilon?: number;
}

/**
 * Rescales updates by the ratio of the RMS of past updates to the RMS of past gradients: Adadelta
 * (Zeiler, 2012; survey §5.3), with torch.optim.Adadelta's algorithm:
 *
 * ```
 * v ← ρ·v + (1 − ρ)·g²
 * Δ = √(a + ε) / √(v + ε) · g
 * a ← ρ·a + (1 − ρ)·Δ²
 * u = Δ
 * ```
 *
 * Both accumulators start at zero; `ε` keeps the first steps from being zero. optax's
 * `scale_by_adadelta` is the same; tfjs's `tf.train.adadelta` divides by the *previous* step's `v`
 * (`√(v_{t−1} + ε)`), so its trajectories differ.
 *
 * Slots per parameter: `v` (mean square of gradients), `a` (mean square of updates).
 *
 * @throws DescentError `BAD_HYPERPARAM` / `NON_FINITE` for a bad option value, `UNKNOWN_PARAM` for an
 *   unknown option name, `BAD_ARGUMENT` for options that are no plain object; its `update` refuses
 *   bad updates, state and params (see `GradientTransformation`).
 *
 * @example
 * ```ts
 * const adadelta = chain(scaleByAdadelta({ rho: 0.95 }), scaleByLearningRate(1));
 * ```
 */
export function scaleByAdadelta(options: ScaleByAdadeltaOptions = {}): GradientTransformation {
  checkOptions('scaleByAdadelta', options, [
    'rho',
    'epsilon',
  ] satisfies (keyof ScaleByAdadeltaOptions)[]);
  const { rho = 0.9, epsilon = 1e-6 } = options;
  checkNumber('rho', rho, { min: 0, max: 1, maxExclusive: true });
  checkNumber('epsilon', epsilon, { min: 0, minExclusive: true });
  return perParameter(
    {
      initSlots: (like) => ({
        v: nonNegativeSlot(tf.zerosLike(like)),
        a: nonNegativeSlot(tf.zerosLike(like)),
      }),
      step(g, slots) {
        const v = tf.add(tf.mul(tensorSlot(slots, 'v'), rho), tf.mul(tf.square(g), 1 - rho));
        const a0 = tensorSlot(slots, 'a');
        const delta = tf.mul(tf.div(tf.sqrt(tf.add(a0, epsilon)), tf.sqrt(tf.add(v, epsilon))), g);
        const a = tf.add(tf.mul(a0, rho), tf.mul(tf.square(delta), 1 - rho));
        return { update: delta, slots: { v, a } };
      },
    },
    'scaleByAdadelta',
  );
}
