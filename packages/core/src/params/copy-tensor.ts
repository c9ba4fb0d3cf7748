import * as tf from '@tensorflow/tfjs-core';
import { DescentError } from '../errors/descent-error';
import { formatShape } from '../validate/format-shape';
import { checkTensor } from '../validate/tensor-checks';

/** The dtypes {@link copyTensor} can copy: the real-valued ones tfjs stores in a typed array. */
export const COPYABLE_DTYPES: readonly tf.DataType[] = ['float32', 'int32', 'bool'];

/**
 * Asserts `value` is a live tensor whose dtype {@link copyTensor} supports (`float32`, `int32`,
 * `bool`).
 *
 * @throws DescentError `BAD_ARGUMENT` / `DISPOSED` as `checkTensor`, `DTYPE_MISMATCH` for
 * `complex64` and `string` tensors.
 */
export function checkCopyable(name: string, value: unknown): asserts value is tf.Tensor {
  checkTensor(name, value);
  if (!COPYABLE_DTYPES.includes(value.dtype)) {
    throw new DescentError(
      'DTYPE_MISMATCH',
      `${name} (shape ${formatShape(value.shape)}) has dtype ${value.dtype}; ` +
        `only ${COPYABLE_DTYPES.join(', ')} tensors can be copied.`,
    );
  }
}

/**
 * Returns a bit-exact copy of `x` in a **newly allocated buffer** of the active backend.
 *
 * Why not `tf.clone(x)` or `tf.variable(x)`: in tfjs 4 `tf.variable` always shares `x`'s `dataId`
 * and `tf.clone` does on cpu and webgpu (the backend only bumps a reference count), so a later in-place write into one (a fused optimizer step) would
 * change the other. This copy runs the `Tile` kernel with one repetition on a flat view — a pure
 * load/store on every backend (no arithmetic, so `-0`, `NaN` and subnormals survive) — and owns its
 * buffer alone: disposing `x` afterwards leaves the copy intact.
 *
 * @param x - a live `float32`, `int32` or `bool` tensor.
 * @param name - how error messages call `x` (default `'x'`).
 * @returns a tensor with `x`'s shape, dtype and values and a different `dataId`.
 * @throws DescentError `BAD_ARGUMENT` (not a tensor), `DISPOSED`, `DTYPE_MISMATCH` (complex64, string).
 *
 * @example
 * ```ts
 * const w = tf.tensor([1, 2, 3]);
 * const w2 = copyTensor(w);
 * w.dispose();
 * await w2.data(); // Float32Array [1, 2, 3]
 * ```
 */
export function copyTensor<T extends tf.Tensor>(x: T, name = 'x'): T {
  checkCopyable(name, x);
  return tf.tidy(() => {
    const flat = tf.reshape(x, [x.size]);
    return tf.reshape(tf.tile(flat, [1]), x.shape) as T;
  });
}
