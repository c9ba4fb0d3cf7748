import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, checkOptions } from '@descent/core';
import type { GradientTransformation } from '../transform/gradient-transformation';
import { numberSlot, perParameter, tensorSlot } from '../transform/per-parameter';
import { nonNegativeSlot } from '../transform/slot-bounds';

/** Options of {@link scaleByRss}. */
export interface ScaleByRssOptions {
  /** `s₀` ≥ 0, the initial value of the accumulator. Default 0 (torch; tfjs and optax use 0.1). */
  initialAccumulatorValue?: number;
  /** `ε` ≥ 0, added outside the square root. Default 1e-10 (torch). */
  epsilon?: number;
  /** `δ` ≥ 0: the step size decays as `1 / (1 + (t − 1)·δ)` (torch's `lr_decay`). Default 0. */
  lrDecay?: number;
}

/**
 * Rescales updates by the root of the sum of squared past gradients: AdaGrad (Duchi, Hazan &
 * Singer, 2011; survey §5.3), with torch.optim.Adagrad's conventions:
 *
 * ```
 * s_t = s_{t−1} + g²                   (s₀ = initialAccumulatorValue)
 * u_t = g / ((1 + (t − 1)·δ) · (√s_t + ε))
 * ```
 *
 * `t` counts the updates of each parameter (torch's per-parameter `step`). Where frameworks
 * differ: optax's `scale_by_rss` puts `ε` inside the root and starts at 0.1; tfjs's
 * `tf.train.adagrad` uses `√(s + 1e-7)` and starts at 0.1; neither has `lrDecay`.
 *
 * Slots per parameter: `sum`, `step`.
 *
 * @throws DescentError `BAD_HYPERPARAM` / `NON_FINITE` for a bad option value, `UNKNOWN_PARAM` for an
 *   unknown option name, `BAD_ARGUMENT` for options that are no plain object; its `update` refuses
 *   bad updates, state and params (see `GradientTransformation`).
 *
 * @example
 * ```ts
 * const adagrad = chain(scaleByRss({ initialAccumulatorValue: 0.1 }), scaleByLearningRate(0.01));
 * ```
 */
export function scaleByRss(options: ScaleByRssOptions = {}): GradientTransformation {
  checkOptions('scaleByRss', options, [
    'initialAccumulatorValue',
    'epsilon',
    'lrDecay',
  ] satisfies (keyof ScaleByRssOptions)[]);
  const { initialAccumulatorValue = 0, epsilon = 1e-10, lrDecay = 0 } = options;
  checkNumber('initialAccumulatorValue', initialAccumulatorValue, { min: 0 });
  checkNumber('epsilon', epsilon, { min: 0 });
  checkNumber('lrDecay', lrDecay, { min: 0 });
  return perParameter(
    {
      initSlots: (like) => ({
        sum: nonNegativeSlot(tf.fill(like.shape, initialAccumulatorValue)),
        step: 0,
      }),
      step(g, slots) {
        const t = numberSlot(slots, 'step') + 1;
        const sum = tf.add(tensorSlot(slots, 'sum'), tf.square(g));
        const scaled = tf.div(g, tf.add(tf.sqrt(sum), epsilon));
        const update = lrDecay === 0 ? scaled : tf.div(scaled, 1 + (t - 1) * lrDecay);
        return { update, slots: { sum, step: t } };
      },
    },
    'scaleByRss',
  );
}
