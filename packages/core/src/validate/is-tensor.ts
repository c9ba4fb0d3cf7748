import type * as tf from '@tensorflow/tfjs-core';

/**
 * Duck-typed tensor test (no `instanceof`, so tensors from another copy of tfjs-core pass).
 *
 * @example
 * ```ts
 * isTensor(tf.zeros([2])); // true
 * isTensor([0, 0]); // false
 * ```
 */
export function isTensor(value: unknown): value is tf.Tensor {
  if (typeof value !== 'object' || value === null) return false;
  const t = value as Partial<tf.Tensor>;
  return t.dataId !== undefined && Array.isArray(t.shape) && typeof t.dtype === 'string';
}
