import * as tf from '@tensorflow/tfjs-core';
import {
  checkBoolean,
  checkNumber,
  type HyperParameter,
  hyperValue,
  checkOptions,
} from '@descent/core';
import type { GradientTransformation } from '../transform/gradient-transformation';
import { perParameter, tensorSlot } from '../transform/per-parameter';
import type { SlotValue } from '../transform/transform-state';
import { nonNegativeSlot } from '../transform/slot-bounds';

/** Options of {@link scaleByRms}. */
export interface ScaleByRmsOptions {
  /** `ρ` in [0, 1), decay of the mean square (torch's `alpha`). Default 0.99 (torch; tfjs, Keras and optax: 0.9). */
  rho?: number;
  /** `ε` ≥ 0, added outside the square root. Default 1e-8. */
  epsilon?: number;
  /** Centered RMSprop (Graves, 2013): divide by an estimate of the variance instead. Default false. */
  centered?: boolean;
  /** `μ` in [0, 1], momentum of the rescaled updates; a number or a schedule. Default 0 (no buffer). */
  momentum?: HyperParameter;
}

/**
 * Rescales updates by a running root mean square of the gradients: RMSprop (Tieleman & Hinton,
 * 2012, Lecture 6.5; survey §5.3), with torch.optim.RMSprop's algorithm:
 *
 * ```
 * v ← ρ·v + (1 − ρ)·g²
 * ḡ ← ρ·ḡ + (1 − ρ)·g,   ṽ = v − ḡ²          (centered; otherwise ṽ = v)
 * x = g / (√ṽ + ε)
 * b ← μ·b + x,   u = b                       (momentum μ > 0; otherwise u = x)
 * ```
 *
 * All buffers start at zero. Where frameworks differ: optax's `scale_by_rms`/`scale_by_stddev` put
 * `ε` inside the root (`√(v + ε)`); tfjs's `tf.train.rmsprop` does too (ε = 1e-7), keeps the learning
 * rate inside the momentum buffer, and in centered mode computes `√(v − ḡ² − ε)`; Keras also
 * uses `ρ = 0.9`.
 *
 * Slots per parameter: `v`, plus `gAvg` (centered) and `buf` (momentum).
 *
 * @throws DescentError `BAD_HYPERPARAM` / `NON_FINITE` for a bad option value, `UNKNOWN_PARAM` for an
 *   unknown option name, `BAD_ARGUMENT` for options that are no plain object; its `update` refuses
 *   bad updates, state and params (see `GradientTransformation`).
 *
 * @example
 * ```ts
 * const rmsprop = chain(scaleByRms({ rho: 0.9, centered: true }), scaleByLearningRate(1e-3));
 * ```
 */
export function scaleByRms(options: ScaleByRmsOptions = {}): GradientTransformation {
  checkOptions('scaleByRms', options, [
    'rho',
    'epsilon',
    'centered',
    'momentum',
  ] satisfies (keyof ScaleByRmsOptions)[]);
  const { rho = 0.99, epsilon = 1e-8, centered = false, momentum = 0 } = options;
  checkNumber('rho', rho, { min: 0, max: 1, maxExclusive: true });
  checkNumber('epsilon', epsilon, { min: 0 });
  checkBoolean('centered', centered);
  hyperValue('momentum', momentum, 0, { min: 0, max: 1 });
  const withMomentum = momentum !== 0;
  return perParameter(
    {
      initSlots: (like) => ({
        v: nonNegativeSlot(tf.zerosLike(like)),
        ...(centered ? { gAvg: tf.zerosLike(like) } : {}),
        ...(withMomentum ? { buf: tf.zerosLike(like) } : {}),
      }),
      step(g, slots, { count }) {
        const mu = withMomentum ? hyperValue('momentum', momentum, count, { min: 0, max: 1 }) : 0;
        const next: Record<string, SlotValue> = {};
        const v = tf.add(tf.mul(tensorSlot(slots, 'v'), rho), tf.mul(tf.square(g), 1 - rho));
        next.v = v;
        let variance = v;
        if (centered) {
          const gAvg = tf.add(tf.mul(tensorSlot(slots, 'gAvg'), rho), tf.mul(g, 1 - rho));
          next.gAvg = gAvg;
          variance = tf.sub(v, tf.square(gAvg));
        }
        const x = tf.div(g, tf.add(tf.sqrt(variance), epsilon));
        if (!withMomentum) return { update: x, slots: next };
        const buf = tf.add(tf.mul(tensorSlot(slots, 'buf'), mu), x);
        next.buf = buf;
        return { update: tf.clone(buf), slots: next };
      },
    },
    'scaleByRms',
  );
}
