import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, DescentError, type Params } from '@descent/core';
import { checkedTransformation } from '../transform/check-update';
import type { GradientTransformation } from '../transform/gradient-transformation';
import { EMPTY_STATE } from '../transform/transform-state';

/**
 * Clips every update element-wise to `[min, max]` (optax's `clip`, torch's `clip_grad_value_`,
 * Keras' `clipvalue`):
 *
 * ```
 * u_i ← min(max(u_i, min), max)        clipByValue(maxAbs): [min, max] = [−maxAbs, maxAbs]
 * ```
 *
 * Unlike {@link clipByGlobalNorm} this changes the update's direction. Stateless. Either bound
 * may be infinite (`clipByValue(-Infinity, 0)` clips from above only); NaN is rejected.
 *
 * Call it with `maxAbs` ≥ 0 (symmetric clipping, optax's `max_delta`), or with `min` and `max ≥ min`.
 *
 * @throws DescentError `BAD_HYPERPARAM` for `maxAbs` < 0 or `min` > `max`, `NON_FINITE` for NaN.
 *
 * @example
 * ```ts
 * chain(clipByValue(0.5), scaleByLearningRate(0.1));          // u ∈ [−0.5, 0.5]
 * chain(clipByValue(-1, 2), scaleByLearningRate(0.1));        // u ∈ [−1, 2]
 * ```
 */
export function clipByValue(maxAbs: number): GradientTransformation;
/** Clips every update element-wise to `[min, max]`; see the one-argument form. */
export function clipByValue(min: number, max: number): GradientTransformation;
export function clipByValue(minOrMaxAbs: number, max?: number): GradientTransformation {
  let lo: number;
  let hi: number;
  if (max === undefined) {
    checkBound('maxAbs', minOrMaxAbs);
    if (!(minOrMaxAbs >= 0)) {
      throw new DescentError('BAD_HYPERPARAM', `maxAbs must be ≥ 0, got ${minOrMaxAbs}.`);
    }
    lo = -minOrMaxAbs;
    hi = minOrMaxAbs;
  } else {
    checkBound('min', minOrMaxAbs);
    checkBound('max', max);
    if (!(minOrMaxAbs <= max)) {
      throw new DescentError(
        'BAD_HYPERPARAM',
        `clipByValue: min must be ≤ max, got min ${minOrMaxAbs} and max ${max}.`,
      );
    }
    lo = minOrMaxAbs;
    hi = max;
  }
  return checkedTransformation('clipByValue', {
    init: () => EMPTY_STATE,
    update(updates: Params) {
      const next: Params = {};
      for (const [name, u] of Object.entries(updates)) next[name] = tf.clipByValue(u, lo, hi);
      return { updates: next, state: EMPTY_STATE };
    },
  });
}

/** A bound is a number, possibly ±∞, never NaN. */
function checkBound(name: string, value: unknown): asserts value is number {
  if (value === Number.POSITIVE_INFINITY || value === Number.NEGATIVE_INFINITY) return;
  checkNumber(name, value);
}
