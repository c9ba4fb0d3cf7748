import * as tf from '@tensorflow/tfjs-core';
import { DescentError, checkTensor, describeValue, formatShape, isTensor } from '@descent/core';

/** What a kernel function accepts as points: a 2-D tensor `[N, d]` or an array of `N` rows of `d` numbers. */
export type KernelInputValue = tf.Tensor | readonly (readonly number[])[];

/** A checked kernel input: its shape and either the given tensor or its values (row-major). */
export interface KernelInput {
  readonly name: string;
  readonly rows: number;
  readonly dim: number;
  readonly tensor?: tf.Tensor;
  readonly values?: Float64Array;
}

/** Backends whose `dataSync()` returns without a GPU round trip (webgpu's fails in Node). */
export const SYNC_BACKENDS: readonly string[] = ['cpu', 'wasm', 'tensorflow'];

/** Whether tensors can be read synchronously on the active backend. */
export function canReadSync(): boolean {
  return SYNC_BACKENDS.includes(tf.getBackend());
}

/**
 * Checks one kernel input (a live float32 or int32 tensor, or an array of equally long rows of
 * finite numbers, with at least one row and one column); `name` is `'x1'` or `'x2'`. Array
 * values are copied to float64 here; tensors are not read.
 *
 * @throws DescentError `BAD_ARGUMENT` (neither a tensor nor an array, a non-number entry),
 *   `DISPOSED`, `SHAPE_MISMATCH` (not 2-D, ragged, empty), `DTYPE_MISMATCH` (a bool, string or
 *   complex tensor), `NON_FINITE` (a NaN or infinite entry of an array).
 */
export function readKernelInput(name: string, x: unknown): KernelInput {
  if (isTensor(x)) return readTensorInput(name, x);
  if (!Array.isArray(x)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name} must be a 2-D tensor [N, d] or an array of rows of numbers, got ${describeValue(x)}.`,
    );
  }
  const rows = x.length;
  const first: unknown = x[0];
  if (rows === 0 || !Array.isArray(first) || first.length === 0) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `${name} must be 2-D [N, d] with N ≥ 1 and d ≥ 1, got ${rows === 0 ? 'an empty array' : `an array whose first row is ${describeValue(first)}`}.`,
    );
  }
  const dim = first.length;
  const values = new Float64Array(rows * dim);
  for (let i = 0; i < rows; i++) {
    const row: unknown = x[i];
    if (!Array.isArray(row) || row.length !== dim) {
      throw new DescentError(
        'SHAPE_MISMATCH',
        `${name}[${i}] must be a row of ${dim} numbers like ${name}[0], got ${describeValue(row)}.`,
      );
    }
    for (let j = 0; j < dim; j++) {
      const v: unknown = row[j];
      if (typeof v !== 'number') {
        throw new DescentError(
          'BAD_ARGUMENT',
          `${name}[${i}][${j}] must be a number, got ${describeValue(v)}.`,
        );
      }
      if (!Number.isFinite(v)) throw nonFinite(name, i, j, v);
      values[i * dim + j] = v;
    }
  }
  return { name, rows, dim, values };
}

function readTensorInput(name: string, x: tf.Tensor): KernelInput {
  checkTensor(name, x);
  if (x.rank !== 2 || x.shape[0] === 0 || x.shape[1] === 0) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `${name} must be a 2-D tensor [N, d] with N ≥ 1 and d ≥ 1, got shape ${formatShape(x.shape)}.`,
    );
  }
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    throw new DescentError(
      'DTYPE_MISMATCH',
      `${name} (shape ${formatShape(x.shape)}) must be float32 or int32, got dtype ${x.dtype}.`,
    );
  }
  return { name, rows: x.shape[0] as number, dim: x.shape[1] as number, tensor: x };
}

/**
 * The input's values in float64, row-major: the array's copy, or the tensor read with
 * `dataSync()` (only call this when {@link canReadSync}).
 *
 * @throws DescentError `NON_FINITE` naming the first NaN or infinite entry.
 */
export function inputValues(input: KernelInput): Float64Array {
  if (input.values) return input.values;
  const values = Float64Array.from((input.tensor as tf.Tensor).dataSync());
  for (let k = 0; k < values.length; k++) {
    const v = values[k] as number;
    if (!Number.isFinite(v))
      throw nonFinite(input.name, Math.floor(k / input.dim), k % input.dim, v);
  }
  return values;
}

function nonFinite(name: string, i: number, j: number, v: number): DescentError {
  return new DescentError(
    'NON_FINITE',
    `${name}[${i}][${j}] is ${v}; kernel inputs must be finite.`,
  );
}
