import * as tf from '@tensorflow/tfjs-core';
import { InitOptionReader } from './init-option-reader';
import { type LayoutOptions, allocating, checkLayoutFits, checkShapeArg } from './options';

/** Options of {@link constant}. */
export interface ConstantOptions extends LayoutOptions {
  /** The value of every element (finite and within float32's range; default 0). */
  value?: number;
}

/** {@link constant}'s options, read and checked as far as they do not depend on the shape. */
export function readConstantOptions(
  fn: string,
  options: unknown,
): { value: number; layout: LayoutOptions['layout'] } {
  const read = new InitOptionReader(fn, options, ['value', 'layout']);
  const value = read.float32('value', 0);
  return { value, layout: read.layout() };
}

/**
 * A float32 tensor filled with one value: `W = c` (Keras' `Constant`, torch's `constant_`). Used for
 * biases (e.g. a small positive ReLU bias) and norm scales (1).
 *
 * @param shape - the tensor's shape.
 * @param options - `value` (default 0) and an optional `layout` checked against the shape.
 * @returns a new tensor; the caller disposes it.
 * @throws DescentError `NON_FINITE` for a non-finite value, `BAD_HYPERPARAM` for a value that is
 *   not a number or beyond float32's range, `BAD_ARGUMENT` for a malformed or too large shape or
 *   options that are not an object, `UNKNOWN_PARAM` for an unknown option, `SHAPE_MISMATCH` if
 *   `layout` does not fit.
 * @example
 * ```ts
 * const gamma = constant([64], { value: 1 });
 * ```
 */
export function constant(shape: readonly number[], options?: ConstantOptions): tf.Tensor {
  checkShapeArg('constant', shape);
  const { value, layout } = readConstantOptions('constant', options);
  checkLayoutFits('constant', shape, layout);
  return allocating('constant', shape, () => tf.fill([...shape], value, 'float32'));
}
