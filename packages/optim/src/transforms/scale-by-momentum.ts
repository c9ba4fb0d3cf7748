import * as tf from '@tensorflow/tfjs-core';
import {
  checkBoolean,
  checkNumber,
  DescentError,
  type HyperParameter,
  hyperValue,
  type NumberRange,
  type Params,
  checkOptions,
} from '@descent/core';
import { checkedTransformation } from '../transform/check-update';
import type { GradientTransformation } from '../transform/gradient-transformation';
import { numberSlot, perParameter, tensorSlot } from '../transform/per-parameter';
import { makeState, type TransformState } from '../transform/transform-state';

/** Options of {@link scaleByMomentum}. */
export interface ScaleByMomentumOptions {
  /** `μ` in [0, 1] (in (0, 1] with Nesterov), a number or a schedule. Default 0.9. */
  momentum?: HyperParameter;
  /** Nesterov momentum (Sutskever et al., 2013): `u = g + μ·b`. Needs `μ > 0` and no dampening. Default false. */
  nesterov?: boolean;
  /** `d` in [0, 1]: the gradient enters the buffer scaled by `1 − d` (from the second step on). Default 0. */
  dampening?: number;
}

/**
 * Heavy-ball or Nesterov momentum with torch.optim.SGD's exact semantics (Polyak, 1964;
 * Sutskever et al., 2013; survey §5.2):
 *
 * ```
 * b₁ = g                                   (first step of each parameter: no dampening)
 * b_t = μ_t·b_{t−1} + (1 − d)·g            (later steps)
 * u = b_t                  heavy ball
 * u = g + μ_t·b_t          Nesterov
 * ```
 *
 * The learning rate is applied afterwards (`scaleByLearningRate`), outside the buffer, as torch and
 * tfjs do (Keras keeps `−η·g` inside the buffer, which differs when `η` changes). optax's
 * `trace(decay, nesterov)` equals this with `d = 0` (its buffer starts at zero, which gives the
 * same first step). A constant `μ = 0` makes this a stateless pass-through (torch keeps no buffer
 * either); a schedule always keeps the buffer and follows the rule above, even at steps where it is 0.
 *
 * Slots per parameter: `buf`, `step`.
 *
 * @throws DescentError `BAD_HYPERPARAM` for Nesterov with `μ = 0` or `d ≠ 0` (torch's rule), or
 *   options out of range (`NON_FINITE` for NaN/∞), at construction and, for a schedule, at each step.
 *
 * @example
 * ```ts
 * const sgdNesterov = chain(scaleByMomentum({ momentum: 0.9, nesterov: true }), scaleByLearningRate(0.1));
 * ```
 */
export function scaleByMomentum(options: ScaleByMomentumOptions = {}): GradientTransformation {
  checkOptions('scaleByMomentum', options, [
    'momentum',
    'nesterov',
    'dampening',
  ] satisfies (keyof ScaleByMomentumOptions)[]);
  const { momentum = 0.9, nesterov = false, dampening = 0 } = options;
  checkBoolean('nesterov', nesterov);
  checkNumber('dampening', dampening, { min: 0, max: 1 });
  const range: NumberRange = nesterov ? { min: 0, minExclusive: true, max: 1 } : { min: 0, max: 1 };
  if (nesterov && dampening !== 0) {
    throw new DescentError(
      'BAD_HYPERPARAM',
      `Nesterov momentum requires dampening = 0, got dampening ${dampening}.`,
    );
  }
  if (nesterov && momentum === 0) {
    throw new DescentError('BAD_HYPERPARAM', 'Nesterov momentum requires momentum > 0, got 0.');
  }
  hyperValue('momentum', momentum, 0, range);
  if (momentum === 0) {
    return checkedTransformation('scaleByMomentum', {
      init: () => makeState({}),
      update: (updates: Params, state: TransformState) => ({ updates, state }),
    });
  }
  return perParameter(
    {
      initSlots: (like) => ({ buf: tf.zerosLike(like), step: 0 }),
      step(g, slots, { count }) {
        const mu = hyperValue('momentum', momentum, count, range);
        const t = numberSlot(slots, 'step');
        const buf =
          t === 0
            ? tf.clone(g)
            : tf.add(
                tf.mul(tensorSlot(slots, 'buf'), mu),
                dampening === 0 ? g : tf.mul(g, 1 - dampening),
              );
        // A separate handle: whoever disposes the updates must not free the state.
        const update = nesterov ? tf.add(g, tf.mul(buf, mu)) : tf.clone(buf);
        return { update, slots: { buf, step: t + 1 } };
      },
    },
    'scaleByMomentum',
  );
}
