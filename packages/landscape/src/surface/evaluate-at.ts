import * as tf from '@tensorflow/tfjs-core';
import type { Params } from '@descent/core';
import { type LossFn, guardedLoss, throwIfFailed } from '../loss/loss-fn';
import { linearCombination } from './linear-combination';
import { LossReader, type OnPoint } from './loss-reader';

/**
 * The loss at each point `θ = Σₖ cₖ·basesₖ` of `points` (one coefficient list per point), each
 * formed directly from the bases — never by stepping from the previous point — and read back in
 * batches by a {@link LossReader}. The caller has checked the loss and that the bases share one
 * structure of float32 tensors.
 *
 * @throws DescentError as `guardedLoss` records (the loss returned no float32 scalar); the loss's
 *   own exception and whatever `onPoint` throws pass through unchanged; every tensor made so far
 *   is freed first.
 */
export async function evaluateLossAt(
  fn: string,
  loss: LossFn,
  bases: readonly Params[],
  points: readonly (readonly number[])[],
  onPoint?: OnPoint,
): Promise<number[]> {
  const keys = Object.keys(bases[0] as Params);
  const reader = new LossReader(points.length, onPoint);
  try {
    for (const coefficients of points) {
      await reader.add(lossAt(fn, loss, keys, bases, coefficients));
    }
    return await reader.values();
  } finally {
    reader.dispose();
  }
}

/**
 * `L(Σₖ cₖ·basesₖ)` as a new `[1]` tensor — its own handle even when the loss returns one of its
 * inputs — with the point's forward pass freed inside `tf.tidy`.
 *
 * @throws as {@link evaluateLossAt}.
 */
export function lossAt(
  fn: string,
  loss: LossFn,
  keys: readonly string[],
  bases: readonly Params[],
  coefficients: readonly number[],
): tf.Tensor {
  const failure: { error?: unknown } = {};
  const value = tf.tidy(() => {
    const theta = linearCombination(keys, bases, coefficients);
    const scalar = guardedLoss(fn, loss, keys, failure)(...keys.map((k) => theta[k] as tf.Tensor));
    return tf.reshape(scalar, [1]);
  });
  if (failure.error !== undefined) value.dispose();
  throwIfFailed(failure);
  return value;
}
