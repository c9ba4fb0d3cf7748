import * as tf from '@tensorflow/tfjs-core';
import {
  checkBoolean,
  checkNumber,
  checkOptions,
  DescentError,
  describeValue,
} from '@descent/core';
import type { GradientTransformation } from '../transform/gradient-transformation';
import { perParameter, tensorSlot } from '../transform/per-parameter';
import type { SlotValue } from '../transform/transform-state';
import { nonNegativeSlot } from '../transform/slot-bounds';

/** Options of {@link scaleByFactoredRms}. */
export interface ScaleByFactoredRmsOptions {
  /** Use factored second moments for tensors with two large enough axes. Default true. */
  factored?: boolean;
  /** `c` ≥ 0, exponent of the decay schedule `β₂(t) = 1 − t^(−c)`. Default 0.8. */
  decayRate?: number;
  /**
   * Integer ≥ 0 subtracted from the update count before the schedule, for fine-tuning from a
   * restored state whose count has reached it (below it `β₂` is not a number, as in optax). Default 0.
   */
  decayOffset?: number;
  /** Factor only when the second-largest axis has at least this many entries (integer ≥ 1). Default 128. */
  minDimSizeToFactor?: number;
  /** `ε₁` ≥ 0, added to the squared gradient. Default 1e-30. */
  epsilon?: number;
}

/**
 * The two axes a factored estimator reduces over (optax's `_factored_dims`): the second-largest
 * (`d1`, the row axis of `v_col`'s reduction) and the largest (`d0`), ties broken toward the lower
 * axis; `null` when the tensor has rank < 2, factoring is off, or the second-largest axis is
 * shorter than `minDimSizeToFactor`.
 *
 * @throws DescentError `BAD_ARGUMENT` for a `shape` that is no array of integers ≥ 0,
 *   `BAD_HYPERPARAM` / `NON_FINITE` for a `factored` that is no boolean or a `minDimSizeToFactor`
 *   that is no integer ≥ 1.
 */
export function factoredDims(
  shape: readonly number[],
  factored: boolean,
  minDimSizeToFactor: number,
): { d1: number; d0: number } | null {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `factoredDims: shape must be an array of integers ≥ 0, got ${describeValue(shape)}.`,
    );
  }
  checkBoolean('factored', factored);
  checkNumber('minDimSizeToFactor', minDimSizeToFactor, { min: 1, integer: true });
  if (!factored || shape.length < 2) return null;
  const sorted = shape.map((size, axis) => ({ size, axis })).sort((a, b) => a.size - b.size);
  const d1 = (sorted[sorted.length - 2] as { axis: number }).axis;
  const d0 = (sorted[sorted.length - 1] as { axis: number }).axis;
  if ((shape[d1] as number) < minDimSizeToFactor) return null;
  return { d1, d0 };
}

/**
 * Rescales updates by a factored estimate of the root mean square of past gradients (Adafactor's
 * core, optax's `scale_by_factored_rms`; Shazeer & Stern, 2018):
 *
 * ```
 * β₂(t) = 1 − (t − offset + 1)^(−c)        t = update count, 0 at the first update (β₂ = 0 then)
 * G = g² + ε₁
 * factored (axes d1 < d0 by size, both ≥ minDimSizeToFactor … see factoredDims):
 *   R ← β₂R + (1−β₂)·mean_{d0}(G)          C ← β₂C + (1−β₂)·mean_{d1}(G)
 *   u = g · (R / mean_{d1}(R))^(−½) · C^(−½)      (R broadcast along d0, C along d1)
 * otherwise:
 *   V ← β₂V + (1−β₂)·G                     u = g · V^(−½)
 * ```
 *
 * Factored tensors keep `O(n + m)` state instead of `O(nm)`. Slots per parameter: `vRow` and `vCol`
 * (factored) or `v`. Defaults as optax: factored, decayRate 0.8, decayOffset 0,
 * minDimSizeToFactor 128, ε₁ 1e-30. The count is the transformation's (global in optax too), so a
 * parameter seen for the first time later starts with the current `β₂(t)`.
 *
 * @example
 * ```ts
 * chain(scaleByFactoredRms({ minDimSizeToFactor: 32 }), clipByBlockRms(1), scaleByParamBlockRms(), scaleByLearningRate(1e-2));
 * ```
 *
 * Shazeer & Stern, "Adafactor: Adaptive Learning Rates with Sublinear Memory Cost", ICML 2018.
 */
export function scaleByFactoredRms(
  options: ScaleByFactoredRmsOptions = {},
): GradientTransformation {
  checkOptions('scaleByFactoredRms', options, [
    'factored',
    'decayRate',
    'decayOffset',
    'minDimSizeToFactor',
    'epsilon',
  ] satisfies (keyof ScaleByFactoredRmsOptions)[]);
  const {
    factored = true,
    decayRate = 0.8,
    decayOffset = 0,
    minDimSizeToFactor = 128,
    epsilon = 1e-30,
  } = options;
  checkBoolean('factored', factored);
  checkNumber('decayRate', decayRate, { min: 0 });
  checkNumber('decayOffset', decayOffset, { min: 0, integer: true });
  checkNumber('minDimSizeToFactor', minDimSizeToFactor, { min: 1, integer: true });
  checkNumber('epsilon', epsilon, { min: 0 });
  return perParameter(
    {
      initSlots(like): Record<string, SlotValue> {
        const dims = factoredDims(like.shape, factored, minDimSizeToFactor);
        if (!dims) return { v: nonNegativeSlot(tf.zerosLike(like)) };
        return {
          vRow: nonNegativeSlot(tf.zeros(like.shape.filter((_, axis) => axis !== dims.d0))),
          vCol: nonNegativeSlot(tf.zeros(like.shape.filter((_, axis) => axis !== dims.d1))),
        };
      },
      slotShape(key, like) {
        const dims = factoredDims(like, factored, minDimSizeToFactor);
        if (!dims) return key === 'v' ? like : null;
        const dropped = key === 'vRow' ? dims.d0 : key === 'vCol' ? dims.d1 : undefined;
        return dropped === undefined ? null : like.filter((_, axis) => axis !== dropped);
      },
      step(g, slots, { count }): { update: tf.Tensor; slots: Record<string, SlotValue> } {
        const beta2 = 1 - (count - decayOffset + 1) ** -decayRate;
        const gSquared = tf.add(tf.square(g), epsilon);
        const dims = factoredDims(g.shape, factored, minDimSizeToFactor);
        if (!dims) {
          const v = tf.add(tf.mul(tensorSlot(slots, 'v'), beta2), tf.mul(gSquared, 1 - beta2));
          return { update: tf.mul(g, tf.rsqrt(v)), slots: { v } };
        }
        const { d1, d0 } = dims;
        const vRow = tf.add(
          tf.mul(tensorSlot(slots, 'vRow'), beta2),
          tf.mul(tf.mean(gSquared, d0), 1 - beta2),
        );
        const vCol = tf.add(
          tf.mul(tensorSlot(slots, 'vCol'), beta2),
          tf.mul(tf.mean(gSquared, d1), 1 - beta2),
        );
        const reducedD1 = d1 > d0 ? d1 - 1 : d1;
        const rowFactor = tf.rsqrt(tf.div(vRow, tf.mean(vRow, reducedD1, true)));
        const colFactor = tf.rsqrt(vCol);
        const update = tf.mul(
          tf.mul(g, tf.expandDims(rowFactor, d0)),
          tf.expandDims(colFactor, d1),
        );
        return { update, slots: { vRow, vCol } };
      },
    },
    'scaleByFactoredRms',
  );
}
