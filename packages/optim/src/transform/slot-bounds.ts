import type * as tf from '@tensorflow/tfjs-core';

/** Slot tensors declared never negative, by the `initSlots` that made them. */
const nonNegative = new WeakSet<tf.Tensor>();

/**
 * Declares a slot that `initSlots` makes as one whose values are never negative (a second moment,
 * an accumulated square): optimizers refuse to restore state (`setWeights`) with a negative value
 * there, since the next step would take its square root. Returns the tensor.
 *
 * @example
 * ```ts
 * initSlots: (like) => ({ m: tf.zerosLike(like), v: nonNegativeSlot(tf.zerosLike(like)) }),
 * ```
 */
export function nonNegativeSlot<T extends tf.Tensor>(slot: T): T {
  nonNegative.add(slot);
  return slot;
}

/** Whether `slot` was declared with {@link nonNegativeSlot}. */
export function isNonNegativeSlot(slot: tf.Tensor): boolean {
  return nonNegative.has(slot);
}
