import * as tf from '@tensorflow/tfjs-core';
import {
  DescentError,
  type Rng,
  checkBoolean,
  checkNumber,
  checkOptions,
  describeValue,
  isRng,
} from '@descent/core';
import { type Dataset, checkDataset, shapeSize } from './dataset';
import { rngFromSeed, type Seed } from './options';

/** Options of {@link batches}. */
export interface BatchesOptions {
  /** Examples per batch (an integer ≥ 1). */
  batchSize: number;
  /** Visit the examples in a random order, a new permutation each epoch. Default `false`. */
  shuffle?: boolean;
  /**
   * The generator that draws the permutations (it advances once per shuffled epoch). Give this
   * or `seed`, not both.
   */
  rng?: Rng;
  /** Seed of a new `Rng` for the permutations (integer or string). Default 0. */
  seed?: Seed;
  /** Skip the last batch of an epoch when it has fewer than `batchSize` examples. Default `false`. */
  dropLast?: boolean;
}

/** One batch: tensors owned by the iterator (see {@link batches}) and the example indices. */
export interface Batch {
  /** Inputs, float32 `[b, ...xShape]`. */
  x: tf.Tensor;
  /** Targets: int32 `[b]` for labels, float32 `[b, ...yShape]` for regression targets. */
  y: tf.Tensor;
  /** The dataset rows in this batch, in order. */
  indices: Int32Array;
}

/**
 * What {@link batches} returns: iterate it once per epoch (`for … of` starts a new epoch each
 * time), read how many batches an epoch has.
 */
export interface Batches extends Iterable<Batch> {
  /** Batches per epoch: `⌈n / batchSize⌉`, or `⌊n / batchSize⌋` with `dropLast`. */
  readonly numBatches: number;
  /** The batch size. */
  readonly batchSize: number;
  /** Starts an epoch: a new permutation when shuffling. */
  [Symbol.iterator](): IterableIterator<Batch>;
}

const KNOWN = ['batchSize', 'shuffle', 'rng', 'seed', 'dropLast'];

/**
 * Mini-batches of a {@link Dataset} as tensors, one epoch per iteration.
 *
 * **Order.** Without `shuffle`, rows `0, 1, …, n − 1` in order. With `shuffle`, every epoch (every
 * call of `[Symbol.iterator]()`, i.e. every `for … of`) draws `rng.permutation(n)` from the given
 * `rng` or from one `new Rng(seed)` made when `batches` is called — so epochs differ, and the
 * same seed gives the same sequence of epochs. All batching happens in JavaScript (rows are copied
 * into a new typed array), so the batches are identical on every backend. The last batch holds the
 * remaining `n mod batchSize` examples unless `dropLast`.
 *
 * **Ownership.** The iterator owns the tensors of the batch it yielded last and disposes them when
 * it advances, finishes, or is closed (`break`, `return` or an exception in a `for … of` closes
 * it), so iterating never leaks. To keep a batch beyond its step, copy it:
 * `const keep = tf.clone(b.x)` (`tf.keep` does not help: the iterator disposes explicitly).
 * Calling `next()` by hand and abandoning the iterator leaves its last batch alive: call
 * `return()`.
 *
 * @throws DescentError when the dataset is malformed or holds NaN or ±Infinity (see
 *   `checkDataset`: `BAD_ARGUMENT`, `DTYPE_MISMATCH`, `SHAPE_MISMATCH`, `NON_FINITE`), for a bad
 *   `batchSize`, `shuffle`, `dropLast` or `seed` (`BAD_HYPERPARAM`, `NON_FINITE`), both `rng` and
 *   `seed` or a bad `rng` (`BAD_ARGUMENT`), or an unknown option (`UNKNOWN_PARAM`) — before any
 *   tensor is made.
 * @example
 * ```ts
 * const train = await mnist({ split: 'train' });
 * const loader = batches(train, { batchSize: 128, shuffle: true, seed: 0 });
 * for (let epoch = 0; epoch < 5; epoch++) {
 *   for (const { x, y } of loader) optimizer.minimize(() => loss(model.apply(params, x), y));
 * }
 * ```
 */
export function batches(dataset: Dataset, options: BatchesOptions): Batches {
  checkDataset('dataset', dataset);
  checkOptions('batches', options, KNOWN);
  const { batchSize, shuffle = false, rng: givenRng, seed, dropLast = false } = options;
  checkNumber('batches.batchSize', batchSize, { integer: true, min: 1 });
  checkBoolean('batches.shuffle', shuffle);
  checkBoolean('batches.dropLast', dropLast);
  if (givenRng !== undefined && seed !== undefined) {
    throw new DescentError('BAD_ARGUMENT', 'batches takes rng or seed, not both.');
  }
  if (givenRng !== undefined && !isRng(givenRng)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `batches.rng must be an Rng from @descent/core, got ${describeValue(givenRng)}.`,
    );
  }
  const rng = givenRng ?? rngFromSeed('batches.seed', seed);
  const { n } = dataset;
  const numBatches = dropLast ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
  return {
    numBatches,
    batchSize,
    [Symbol.iterator]: () => {
      const order = shuffle ? rng.permutation(n) : null;
      return new BatchIterator(dataset, order, batchSize, numBatches);
    },
  };
}

class BatchIterator implements IterableIterator<Batch> {
  private batch = 0;
  private current: Batch | null = null;
  private readonly xSize: number;
  private readonly ySize: number;

  constructor(
    private readonly dataset: Dataset,
    private readonly order: Int32Array | null,
    private readonly batchSize: number,
    private readonly numBatches: number,
  ) {
    this.xSize = shapeSize(dataset.xShape);
    this.ySize = shapeSize(dataset.yShape);
  }

  [Symbol.iterator](): IterableIterator<Batch> {
    return this;
  }

  next(): IteratorResult<Batch> {
    this.release();
    if (this.batch >= this.numBatches) return { done: true, value: undefined };
    const { dataset, batchSize, order, xSize, ySize } = this;
    const start = this.batch * batchSize;
    const b = Math.min(batchSize, dataset.n - start);
    const indices = new Int32Array(b);
    for (let i = 0; i < b; i++) indices[i] = order ? (order[start + i] as number) : start + i;
    const xs = new Float32Array(b * xSize);
    const ys =
      dataset.y instanceof Int32Array ? new Int32Array(b * ySize) : new Float32Array(b * ySize);
    for (let i = 0; i < b; i++) {
      const row = indices[i] as number;
      xs.set(dataset.x.subarray(row * xSize, (row + 1) * xSize), i * xSize);
      ys.set(dataset.y.subarray(row * ySize, (row + 1) * ySize), i * ySize);
    }
    const x = tf.tensor(xs, [b, ...dataset.xShape], 'float32');
    const y = tf.tensor(ys, [b, ...dataset.yShape], ys instanceof Int32Array ? 'int32' : 'float32');
    this.batch++;
    this.current = { x, y, indices };
    return { done: false, value: this.current };
  }

  return(): IteratorResult<Batch> {
    this.release();
    this.batch = this.numBatches;
    return { done: true, value: undefined };
  }

  private release(): void {
    if (this.current) {
      this.current.x.dispose();
      this.current.y.dispose();
      this.current = null;
    }
  }
}
