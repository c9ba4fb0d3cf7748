import type * as tf from '@tensorflow/tfjs-core';
import { DescentError, checkTensor, describeValue } from '@descent/core';

/** One mini-batch: inputs `x` and targets `y` (e.g. int32 labels), as `@descent/data`'s `batches` yields. */
export interface CurveBatch {
  /** The model's input, e.g. float32 `[b, …]`. */
  x: tf.Tensor;
  /** The targets the loss compares with. */
  y: tf.Tensor;
}

/**
 * Where the training data comes from: a function called once per pass over the data that
 * returns the batches, synchronously or asynchronously — e.g. `() => loader` for a
 * `@descent/data` `batches(train, { batchSize, shuffle: true })` (each iteration is a new epoch).
 * The batches' tensors stay the caller's (or the iterator's): they are read, never disposed or
 * kept, and each batch is done with before the next one is asked for.
 */
export type BatchSource = () => Iterable<CurveBatch> | AsyncIterable<CurveBatch>;

/**
 * Runs `body` on every batch of one pass of `source` and returns how many there were. A batch
 * that is no `{ x, y }` of live tensors is refused (the iterator is closed first, as `for … of`
 * does on a throw). Internal.
 *
 * @throws DescentError `BAD_ARGUMENT` (the source returned no iterable, a bad batch), `DISPOSED`.
 */
export async function forEachBatch(
  fn: string,
  source: BatchSource,
  body: (batch: CurveBatch, index: number) => void | Promise<void>,
): Promise<number> {
  const iterable = source();
  if (!isIterable(iterable)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: batches() must return an iterable or async iterable of { x, y }, got ${describeValue(iterable)}.`,
    );
  }
  let index = 0;
  for await (const batch of iterable) {
    checkBatch(fn, batch, index);
    await body(batch, index);
    index += 1;
  }
  return index;
}

function isIterable(value: unknown): value is Iterable<unknown> | AsyncIterable<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<symbol, unknown>;
  return typeof v[Symbol.iterator] === 'function' || typeof v[Symbol.asyncIterator] === 'function';
}

function checkBatch(fn: string, batch: unknown, index: number): asserts batch is CurveBatch {
  if (typeof batch !== 'object' || batch === null) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: batch ${index} must be an object { x, y } of tensors, got ${describeValue(batch)}.`,
    );
  }
  const { x, y } = batch as Partial<CurveBatch>;
  checkTensor(`${fn}: batch ${index}: x`, x);
  checkTensor(`${fn}: batch ${index}: y`, y);
}
