import { DescentError, formatShape, describeValue } from '@descent/core';
import { checkClassIds } from './check-class-ids';

/**
 * An in-memory dataset of `n` examples in plain typed arrays, row-major: example `i` occupies
 * `x[i·d, (i+1)·d)` with `d = ∏ xShape` and `y[i·m, (i+1)·m)` with `m = ∏ yShape`. Every
 * generator of this package returns one and {@link batches} turns one into tensors.
 *
 * Plain arrays rather than tensors so a dataset costs no GPU memory, is identical on every backend,
 * and can be sliced, shuffled and inspected without `await`.
 *
 * @example
 * ```ts
 * const ds: Dataset = {
 *   x: new Float32Array([0, 1, 1, 0]), xShape: [2],
 *   y: new Int32Array([1, 0]), yShape: [], n: 2, numClasses: 2,
 * };
 * ```
 */
export interface Dataset {
  /** Inputs, float32, `n · ∏ xShape` values, row-major. */
  x: Float32Array;
  /** Shape of one input, e.g. `[784]` (MNIST, flat) or `[28, 28, 1]` (MNIST as images). */
  xShape: number[];
  /** Class labels (`Int32Array`, values in `[0, numClasses)`) or regression targets (`Float32Array`). */
  y: Int32Array | Float32Array;
  /** Shape of one target: `[]` for a class label, `[k]` for a k-dimensional regression target. */
  yShape: number[];
  /** Number of examples. */
  n: number;
  /** Number of classes, set by classification datasets. */
  numClasses?: number;
}

/** Product of a shape's dimensions (1 for `[]`). */
export function shapeSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function isShape(value: unknown): value is number[] {
  return (
    Array.isArray(value) &&
    value.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 1)
  );
}

/**
 * Validates a {@link Dataset}: typed arrays of the right kinds and lengths, shapes of positive
 * integers, finite inputs and targets, labels within `[0, numClasses)` when `numClasses` is set.
 * Everything is plain JavaScript (a dataset holds no tensors), so every value is checked.
 *
 * @param name - How messages call the dataset (`'dataset'` → `dataset.x has …`).
 * @param dataset - The value to check.
 * @throws DescentError `BAD_ARGUMENT` for a malformed field, a label out of range or a `name` that
 *   is not a string, `SHAPE_MISMATCH` for a length that does not match `n` and the shapes,
 *   `DTYPE_MISMATCH` for a wrong array type, `NON_FINITE` for NaN or ±Infinity in `x` or in
 *   float targets, naming the first such index.
 */
export function checkDataset(name: string, dataset: unknown): asserts dataset is Dataset {
  if (typeof name !== 'string') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `checkDataset: name must be a string (how messages call the dataset), got ${describeValue(name)}.`,
    );
  }
  if (typeof dataset !== 'object' || dataset === null || Array.isArray(dataset)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name} must be a Dataset { x, xShape, y, yShape, n }, got ${describeValue(dataset)}.`,
    );
  }
  const d = dataset as Partial<Dataset>;
  if (typeof d.n !== 'number' || !Number.isInteger(d.n) || d.n < 0) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name}.n must be a non-negative integer, got ${describeValue(d.n)}.`,
    );
  }
  for (const key of ['xShape', 'yShape'] as const) {
    if (!isShape(d[key])) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${name}.${key} must be an array of positive integers, got ${describeValue(d[key])}.`,
      );
    }
  }
  const xShape = d.xShape as number[];
  const yShape = d.yShape as number[];
  if (!(d.x instanceof Float32Array)) {
    throw new DescentError(
      'DTYPE_MISMATCH',
      `${name}.x must be a Float32Array, got ${describeValue(d.x)}.`,
    );
  }
  if (!(d.y instanceof Int32Array || d.y instanceof Float32Array)) {
    throw new DescentError(
      'DTYPE_MISMATCH',
      `${name}.y must be an Int32Array (labels) or a Float32Array (targets), got ${describeValue(d.y)}.`,
    );
  }
  const xLength = d.n * shapeSize(xShape);
  if (d.x.length !== xLength) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `${name}.x has ${d.x.length} values, expected n·∏xShape = ${d.n}·∏${formatShape(xShape)} = ${xLength}.`,
    );
  }
  const yLength = d.n * shapeSize(yShape);
  if (d.y.length !== yLength) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `${name}.y has ${d.y.length} values, expected n·∏yShape = ${d.n}·∏${formatShape(yShape)} = ${yLength}.`,
    );
  }
  checkFinite(`${name}.x`, d.x);
  if (d.y instanceof Float32Array) checkFinite(`${name}.y`, d.y);
  if (d.numClasses !== undefined) {
    const k = d.numClasses;
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${name}.numClasses must be a positive integer, got ${describeValue(k)}.`,
      );
    }
    if (d.y instanceof Int32Array) {
      checkClassIds(`${name}.y`, d.y, k);
    }
  }
}

/** Asserts every value of a float array is finite (a JavaScript scan: datasets live in memory). */
function checkFinite(name: string, values: Float32Array): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) {
      throw new DescentError('NON_FINITE', `${name}[${i}] is ${v}; every value must be finite.`);
    }
  }
}
