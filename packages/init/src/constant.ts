import * as tf from '@tensorflow/tfjs-core';
import { checkNumber } from '@descent/core';
import { type LayoutOptions, checkLayoutFits, checkShapeArg, readOptions } from './options';

/** Options of {@link constant}. */
export interface ConstantOptions extends LayoutOptions {
  /** The value of every element (finite; default 0). */
  value?: number;
}

/**
 * A float32 tensor filled with one value: `W = c` (Keras' `Constant`, torch's `constant_`). Used for
 * biases (e.g. a small positive ReLU bias) and norm scales (1).
 *
 * @param shape - the tensor's shape.
 * @param options - `value` (default 0) and an optional `layout` checked against the shape.
 * @returns a new tensor; the caller disposes it.
 * @throws DescentError `NON_FINITE` for a non-finite value, `BAD_ARGUMENT` for a malformed shape
 *   or unknown option, `SHAPE_MISMATCH` if `layout` does not fit.
 * @example
 * ```ts
 * const gamma = constant([64], { value: 1 });
 * ```
 */
export function constant(shape: readonly number[], options?: ConstantOptions): tf.Tensor {
  checkShapeArg('constant', shape);
  const { value = 0, layout } = readOptions('constant', options, ['value', 'layout']);
  checkNumber('constant: value', value);
  checkLayoutFits('constant', shape, layout);
  return tf.fill([...shape], value, 'float32');
}
