import * as tf from '@tensorflow/tfjs-core';
import { DescentError, checkDtype, checkNumber, describeValue, isTensor } from '@descent/core';
import { checkClassIds } from './check-class-ids';

/**
 * One-hot encoding of class labels as a float32 tensor: row `i` is `e_{labels[i]}`, the unit
 * vector of length `numClasses` (`out[i, j] = 1` if `j = labels[i]`, else 0); shape
 * `[...labels.shape, numClasses]` (`[n, numClasses]` for an `Int32Array`). The caller owns (and
 * disposes) the result.
 *
 * An `Int32Array` is checked: every label must lie in `[0, numClasses)`. The values of a tensor
 * are **not** checked (that needs a device read, which cannot be synchronous on every backend): as
 * `tf.oneHot` does, a label outside the range gives an all-zero row. To have a label tensor
 * checked, use {@link oneHotChecked} (async), or core's `checkLabels` where it is available.
 *
 * @throws DescentError `BAD_HYPERPARAM` / `NON_FINITE` if `numClasses` is not an integer ≥ 2,
 *   `BAD_ARGUMENT` for an out-of-range label of an `Int32Array` or anything but an `Int32Array`
 *   or tensor, `DTYPE_MISMATCH` for a tensor that is not int32, `DISPOSED` for a disposed one.
 * @example
 * ```ts
 * const targets = oneHot(batch.y, 10);   // [b, 10] float32
 * oneHot(new Int32Array([2, 0]), 3);     // [[0, 0, 1], [1, 0, 0]]
 * ```
 */
export function oneHot(labels: Int32Array | tf.Tensor, numClasses: number): tf.Tensor {
  checkNumber('oneHot.numClasses', numClasses, { integer: true, min: 2, max: 2147483647 });
  if (labels instanceof Int32Array) {
    checkClassIds('oneHot.labels', labels, numClasses);
    const out = new Float32Array(labels.length * numClasses);
    labels.forEach((label, i) => {
      out[i * numClasses + label] = 1;
    });
    return tf.tensor(out, [labels.length, numClasses], 'float32');
  }
  if (!isTensor(labels)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `oneHot.labels must be an Int32Array or an int32 tf.Tensor, got ${describeValue(labels)}.`,
    );
  }
  checkDtype('oneHot.labels', labels, 'int32');
  // tfjs-backend-wasm 4.22's OneHot ignores the dtype attribute and writes int32 bits into a
  // float32 tensor (1 reads as 1.4e-45), so build int32 and cast.
  return tf.tidy(() => tf.cast(tf.oneHot(labels, numClasses), 'float32'));
}
