import type * as tf from '@tensorflow/tfjs-core';
import { checkDtype, checkLabels, checkNumber, isTensor } from '@descent/core';
import { oneHot } from './one-hot';

/**
 * {@link oneHot} that also checks the values of a label tensor: it reads the labels (an
 * asynchronous device read, so it works on every backend, webgpu included) and refuses any outside
 * `[0, numClasses)` instead of encoding it as an all-zero row. For an `Int32Array` it is `oneHot`
 * (which checks arrays itself). The caller owns (and disposes) the result.
 *
 * @throws DescentError as {@link oneHot}, plus `BAD_ARGUMENT` naming the first out-of-range
 *   label of a tensor (its flat index and value: core's `checkLabels`); nothing is allocated
 *   when it throws.
 * @example
 * ```ts
 * const targets = await oneHotChecked(labels, 10); // labels: an int32 tensor from elsewhere
 * ```
 */
export async function oneHotChecked(
  labels: Int32Array | tf.Tensor,
  numClasses: number,
): Promise<tf.Tensor> {
  if (!isTensor(labels)) return oneHot(labels, numClasses);
  checkNumber('oneHotChecked.numClasses', numClasses, { integer: true, min: 2, max: 2147483647 });
  checkDtype('oneHotChecked.labels', labels, 'int32');
  await checkLabels('oneHotChecked.labels', labels, numClasses);
  return oneHot(labels, numClasses);
}
