import * as tf from '@tensorflow/tfjs-core';
import { type LayoutOptions, allocating, checkLayoutFits, checkShapeArg } from './options';
import { InitOptionReader } from './init-option-reader';

/** {@link zeros}' options, read and checked as far as they do not depend on the shape. */
export function readZerosOptions(fn: string, options: unknown): LayoutOptions {
  return { layout: new InitOptionReader(fn, options, ['layout']).layout() };
}

/**
 * A float32 tensor of zeros: `W = 0`. Fixup uses it for the last layer of every residual branch
 * and for the classifier; biases are usually zero-initialized too. Deterministic, so it takes no
 * generator.
 *
 * @param shape - the tensor's shape (non-negative integers).
 * @param options - `layout`, only checked against the shape when given.
 * @returns a new tensor; the caller disposes it.
 * @throws DescentError `BAD_ARGUMENT` for a malformed or too large shape (more than 2³⁰
 *   elements) or options that are not an object, `UNKNOWN_PARAM` for an unknown option,
 *   `SHAPE_MISMATCH` if `layout` does not fit the shape.
 * @example
 * ```ts
 * const b = zeros([128]);
 * ```
 */
export function zeros(shape: readonly number[], options?: LayoutOptions): tf.Tensor {
  checkShapeArg('zeros', shape);
  const { layout } = readZerosOptions('zeros', options);
  checkLayoutFits('zeros', shape, layout);
  return allocating('zeros', shape, () => tf.zeros([...shape], 'float32'));
}
