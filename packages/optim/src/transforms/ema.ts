import * as tf from '@tensorflow/tfjs-core';
import { checkBoolean, checkNumber, checkOptions } from '@descent/core';
import type { GradientTransformation } from '../transform/gradient-transformation';
import { numberSlot, perParameter, tensorSlot } from '../transform/per-parameter';
import type { SlotValue } from '../transform/transform-state';

/** Options of {@link ema}. */
export interface EmaOptions {
  /** Divide by `1 − decayᵗ` so that early averages are not biased towards zero. Default true (optax). */
  debias?: boolean;
}

/**
 * Replaces updates by their exponential moving average (optax's `ema`):
 *
 * ```
 * e_t = decay · e_{t−1} + (1 − decay) · u_t        (e_0 = 0)
 * u_t ← e_t / (1 − decayᵗ)                        (debias, the default)
 * u_t ← e_t                                       (debias: false)
 * ```
 *
 * On gradients this is momentum in its "EMA" form (Adam's first moment, torch SGD's momentum with
 * `dampening = momentum`). `t` counts the updates of each parameter (like Adam's per-parameter
 * step in torch), so parameters first seen later are debiased from their own start; optax keeps
 * one global count, which is the same when every parameter is updated every step.
 *
 * State: per parameter, slots `ema` and (with `debias`) `step`.
 *
 * For an average of the **weights** (Polyak averaging, SWA), see {@link swa}.
 *
 * @param decay - in [0, 1). 0 passes the updates through.
 * @throws DescentError `UNKNOWN_PARAM` for an unknown option, `BAD_HYPERPARAM`/`NON_FINITE` for a
 *   bad `decay`.
 *
 * @example
 * ```ts
 * chain(ema(0.9), scaleByLearningRate(0.1));   // SGD on the debiased moving average of gradients
 * ```
 */
export function ema(decay: number, options: EmaOptions = {}): GradientTransformation {
  checkOptions('ema', options, ['debias'] satisfies (keyof EmaOptions)[]);
  checkNumber('decay', decay, { min: 0, max: 1, maxExclusive: true });
  const debias = options.debias ?? true;
  checkBoolean('debias', debias);
  return perParameter(
    {
      initSlots: (like) => ({ ema: tf.zerosLike(like), ...(debias ? { step: 0 } : {}) }),
      step(u, slots): { update: tf.Tensor; slots: Record<string, SlotValue> } {
        const e = tf.add(tf.mul(tensorSlot(slots, 'ema'), decay), tf.mul(u, 1 - decay));
        // A distinct handle: a caller may dispose the updates, never the state.
        if (!debias) return { update: tf.clone(e), slots: { ema: e } };
        const t = numberSlot(slots, 'step') + 1;
        return { update: tf.div(e, 1 - decay ** t), slots: { ema: e, step: t } };
      },
    },
    'ema',
  );
}
