import type * as tf from '@tensorflow/tfjs-core';
import { DescentError, describeValue, formatShape, isTensor } from '@descent/core';

/**
 * Asserts what a user callback (an `init` function, a `tap`) returned is a live float32 tensor of
 * `shape`, so a net never keeps or computes with anything else. `what` names the callback and the
 * parameter or layer it was called for, e.g. `mlp: options.init returned for "dense1/kernel"`.
 * Internal.
 *
 * @throws DescentError `BAD_ARGUMENT` (not a tensor), `DISPOSED`, `DTYPE_MISMATCH` (not float32),
 *   `SHAPE_MISMATCH`.
 */
export function checkReturnedTensor(
  what: string,
  value: unknown,
  shape: readonly number[],
): asserts value is tf.Tensor {
  const expected = `a float32 tensor of shape ${formatShape(shape)}`;
  if (!isTensor(value)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${what} ${describeValue(value)}; expected ${expected}.`,
    );
  }
  if (value.isDisposed) {
    throw new DescentError(
      'DISPOSED',
      `${what} a disposed tensor (shape ${formatShape(value.shape)}); expected a live ${expected.slice(2)}.`,
    );
  }
  if (value.dtype !== 'float32') {
    throw new DescentError(
      'DTYPE_MISMATCH',
      `${what} ${describeValue(value)}; expected ${expected}.`,
    );
  }
  if (value.shape.length !== shape.length || value.shape.some((d, i) => d !== shape[i])) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `${what} ${describeValue(value)}; expected ${expected}.`,
    );
  }
}
