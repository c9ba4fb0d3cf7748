import * as tf from '@tensorflow/tfjs-core';
import { type LayoutOptions, checkLayoutFits, checkShapeArg, readOptions } from './options';

/**
 * A float32 tensor of zeros: `W = 0`. Fixup uses it for the last layer of every residual branch
 * and for the classifier; biases are usually zero-initialized too. Deterministic, so it takes no
 * generator.
 *
 * @param shape - the tensor's shape (non-negative integers).
 * @param options - `layout`, only checked against the shape when given.
 * @returns a new tensor; the caller disposes it.
 * @throws DescentError `BAD_ARGUMENT` for a malformed shape or unknown option, `SHAPE_MISMATCH` if
 *   `layout` does not fit the shape.
 * @example
 * ```ts
 * const b = zeros([128]);
 * ```
 */
export function zeros(shape: readonly number[], options?: LayoutOptions): tf.Tensor {
  checkShapeArg('zeros', shape);
  const { layout } = readOptions('zeros', options, ['layout']);
  checkLayoutFits('zeros', shape, layout);
  return tf.zeros([...shape], 'float32');
}
