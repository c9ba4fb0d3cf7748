import type * as tf from '@tensorflow/tfjs-core';
import { DescentError, checkTensor, formatShape, checkSymmetric } from '@descent/core';

/**
 * Asserts `k` is a live square float32 or int32 matrix `[N, N]`, `N ≥ 1`, and returns `N` (synchronous:
 * nothing is read).
 *
 * @throws DescentError `BAD_ARGUMENT`, `DISPOSED`, `SHAPE_MISMATCH` (not rank 2 or not square),
 *   `DTYPE_MISMATCH`.
 */
export function checkSquareKernel(name: string, k: unknown): number {
  checkNumericTensor(name, k);
  const [rows, cols] = k.shape;
  if (k.rank !== 2 || rows !== cols || rows === 0) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `${name} must be a square matrix [N, N] with N ≥ 1, got shape ${formatShape(k.shape)}.`,
    );
  }
  return rows as number;
}

/**
 * Asserts `value` is a live float32 or int32 tensor.
 *
 * @throws DescentError `BAD_ARGUMENT`, `DISPOSED`, `DTYPE_MISMATCH`.
 */
export function checkNumericTensor(name: string, value: unknown): asserts value is tf.Tensor {
  checkTensor(name, value);
  if (value.dtype !== 'float32' && value.dtype !== 'int32') {
    throw new DescentError(
      'DTYPE_MISMATCH',
      `${name} (shape ${formatShape(value.shape)}) must be float32 or int32, got ${value.dtype}.`,
    );
  }
}

/**
 * Reads a tensor into float64 on the host (`await data()`, so it works on webgpu in Node) and
 * asserts every value is finite.
 *
 * @throws DescentError `NON_FINITE` naming the first offending index.
 */
export async function readFinite(name: string, t: tf.Tensor): Promise<Float64Array> {
  const values = Float64Array.from(await t.data());
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new DescentError(
        'NON_FINITE',
        `${name} (shape ${formatShape(t.shape)}) holds ${values[i]} at flat index ${i}; all values must be finite.`,
      );
    }
  }
  return values;
}

/**
 * Reads a square kernel matrix checked by {@link checkSquareKernel} into float64, asserts it is
 * finite and symmetric (within `SYMMETRY_TOLERANCE`) and returns `(K + Kᵀ)/2`, row-major.
 *
 * @throws DescentError `NON_FINITE`, `BAD_ARGUMENT` (not symmetric, naming the largest asymmetry).
 */
export async function readSymmetricKernel(name: string, k: tf.Tensor): Promise<Float64Array> {
  const n = k.shape[0] as number;
  const values = await readFinite(name, k);
  checkSymmetric(name, values, n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const mean = 0.5 * (values[i * n + j]! + values[j * n + i]!);
      values[i * n + j] = mean;
      values[j * n + i] = mean;
    }
  }
  return values;
}
