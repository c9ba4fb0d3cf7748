import type * as tf from '@tensorflow/tfjs-core';
import { DescentError } from '../errors/descent-error';
import { describeValue } from './describe-value';
import { formatShape } from './format-shape';
import { isTensor } from './is-tensor';

export { isTensor };

/**
 * Asserts `value` is a live tensor. `name` is how the caller's user knows the argument
 * (e.g. `'grads["dense1/kernel"]'`).
 *
 * @throws DescentError `BAD_ARGUMENT` if it is not a tensor, `DISPOSED` if it was disposed.
 */
export function checkTensor(name: string, value: unknown): asserts value is tf.Tensor {
  if (!isTensor(value)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name} must be a tf.Tensor, got ${describeValue(value)}.`,
    );
  }
  if (value.isDisposed) {
    throw new DescentError(
      'DISPOSED',
      `${name} (shape ${formatShape(value.shape)}) was disposed before this call.`,
    );
  }
}

/**
 * Asserts `value` is a live tensor of exactly `shape`.
 *
 * @throws DescentError `SHAPE_MISMATCH` naming both shapes.
 */
export function checkShape(
  name: string,
  value: unknown,
  shape: readonly number[],
): asserts value is tf.Tensor {
  checkTensor(name, value);
  if (!sameShape(value.shape, shape)) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `${name} has shape ${formatShape(value.shape)}, expected ${formatShape(shape)}.`,
    );
  }
}

/**
 * Asserts `a` and `b` are live tensors of the same shape, e.g. a gradient and its variable.
 *
 * @throws DescentError `SHAPE_MISMATCH` naming both parameters and both shapes.
 */
export function checkSameShape(nameA: string, a: unknown, nameB: string, b: unknown): void {
  checkTensor(nameA, a);
  checkTensor(nameB, b);
  if (!sameShape(a.shape, b.shape)) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `${nameA} has shape ${formatShape(a.shape)} but ${nameB} has shape ${formatShape(b.shape)}; they must match.`,
    );
  }
}

/**
 * Asserts a live tensor has the given dtype.
 *
 * @throws DescentError `DTYPE_MISMATCH`.
 */
export function checkDtype(
  name: string,
  value: unknown,
  dtype: tf.DataType,
): asserts value is tf.Tensor {
  checkTensor(name, value);
  if (value.dtype !== dtype) {
    throw new DescentError(
      'DTYPE_MISMATCH',
      `${name} (shape ${formatShape(value.shape)}) has dtype ${value.dtype}, expected ${dtype}.`,
    );
  }
}

/**
 * Reads a tensor (asynchronously, so it works on webgpu in Node) and asserts every value is finite.
 *
 * @throws DescentError `NON_FINITE` naming the first offending flat index and value.
 */
export async function checkFiniteTensor(name: string, value: unknown): Promise<void> {
  checkTensor(name, value);
  const data = await value.data();
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (!Number.isFinite(v)) {
      throw new DescentError(
        'NON_FINITE',
        `${name} (shape ${formatShape(value.shape)}) holds ${v} at flat index ${i}; all values must be finite.`,
      );
    }
  }
}

/**
 * Element-wise shape equality.
 *
 * @throws DescentError `BAD_ARGUMENT` if either is not an array.
 */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a === b && Array.isArray(a)) return true;
  if (!Array.isArray(a) || !Array.isArray(b)) {
    const bad = Array.isArray(a) ? 'b' : 'a';
    throw new DescentError(
      'BAD_ARGUMENT',
      `sameShape: ${bad} must be a shape (an array of dimensions), got ${describeValue(bad === 'a' ? a : b)}.`,
    );
  }
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
