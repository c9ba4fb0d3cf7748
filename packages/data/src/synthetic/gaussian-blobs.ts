import { DescentError, checkNumber, checkOptions, describeValue } from '@descent/core';
import type { Dataset } from '../dataset';
import { checkCount, rngFromSeed, type Seed } from '../options';

/** Options of {@link gaussianBlobs}. Give `centers`, or `k` (and `dim`) to draw them. */
export interface GaussianBlobsOptions {
  /** Number of points (an integer ≥ 1). */
  n: number;
  /** The class means, `k` arrays of `dim` numbers. Default: `k` centers drawn uniformly in the box. */
  centers?: number[][];
  /** Number of classes when `centers` is not given (an integer ≥ 1). Default 3. */
  k?: number;
  /** Dimension of the points when `centers` is not given (an integer ≥ 1). Default 2. */
  dim?: number;
  /** Standard deviation of every blob, or one per class. Default 1. */
  std?: number | number[];
  /** Drawn centers are uniform on `[−centerBox, centerBox)^dim`. Default 10. */
  centerBox?: number;
  /** Seed of the `Rng` that draws the data (integer or string). Default 0. */
  seed?: Seed;
}

/** What {@link gaussianBlobs} returns: a classification {@link Dataset} and the centers used. */
export interface GaussianBlobsDataset extends Dataset {
  /** Labels in `[0, k)`. */
  y: Int32Array;
  /** `k`. */
  numClasses: number;
  /** The class means, given or drawn (`k` arrays of `dim` numbers). */
  centers: number[][];
}

const KNOWN = ['n', 'centers', 'k', 'dim', 'std', 'centerBox', 'seed'];

/**
 * Isotropic Gaussian clusters for classification (scikit-learn's `make_blobs`): `x` float32
 * `[n, dim]`, `y` int32 labels in `[0, k)`, `numClasses = k`, plus the `centers`.
 *
 * **Generating process.** With `rng = new Rng(seed)`: if `centers` is not given, draw them as
 * `rng.uniformArray(k·dim, −B, B)` (row c is center c); then `z = rng.normalArray(n·dim)`.
 * Example `i` has label `cᵢ = i mod k` (so class sizes differ by at most one) and
 * `xᵢ = μ_{cᵢ} + σ_{cᵢ}·zᵢ`: per class, mean `μ_c` and per-coordinate standard deviation `σ_c`.
 *
 * @throws DescentError `BAD_ARGUMENT` for ragged `centers` or a `std` array of the wrong length,
 *   `BAD_HYPERPARAM` / `NON_FINITE` for bad numbers, `UNKNOWN_PARAM` for an unknown option.
 * @example
 * ```ts
 * const ds = gaussianBlobs({ n: 600, k: 3, dim: 2, std: 0.5, seed: 0 });
 * const two = gaussianBlobs({ n: 100, centers: [[-1, 0], [1, 0]], std: 0.3 });
 * ```
 * @see F. Pedregosa et al., _Scikit-learn: Machine Learning in Python_, JMLR 12, 2011
 *   (`sklearn.datasets.make_blobs`).
 */
export function gaussianBlobs(options: GaussianBlobsOptions): GaussianBlobsDataset {
  checkOptions('gaussianBlobs', options, KNOWN);
  const { n, centers: given, std = 1, centerBox = 10, seed = 0 } = options;
  checkCount('gaussianBlobs.n', n);
  checkNumber('gaussianBlobs.centerBox', centerBox, { min: 0, minExclusive: true });
  let k: number;
  let dim: number;
  if (given !== undefined) {
    if (!Array.isArray(given) || given.length === 0 || !Array.isArray(given[0])) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `gaussianBlobs.centers must be a non-empty array of points, got ${describeValue(given)}.`,
      );
    }
    k = given.length;
    dim = (given[0] as number[]).length;
    given.forEach((c, i) => {
      if (!Array.isArray(c) || c.length !== dim || dim === 0) {
        throw new DescentError(
          'BAD_ARGUMENT',
          `gaussianBlobs.centers[${i}] must be an array of ${dim || 'at least 1'} numbers (like centers[0]), got ${describeValue(c)}.`,
        );
      }
      c.forEach((v, j) => {
        checkNumber(`gaussianBlobs.centers[${i}][${j}]`, v);
      });
    });
    for (const key of ['k', 'dim'] as const) {
      const value = options[key];
      const implied = key === 'k' ? k : dim;
      if (value !== undefined && value !== implied) {
        throw new DescentError(
          'BAD_ARGUMENT',
          `gaussianBlobs.${key} is ${describeValue(value)} but centers implies ${implied}; give one or make them agree.`,
        );
      }
    }
  } else {
    k = options.k ?? 3;
    dim = options.dim ?? 2;
    checkNumber('gaussianBlobs.k', k, { integer: true, min: 1, max: 65536 });
    checkNumber('gaussianBlobs.dim', dim, { integer: true, min: 1, max: 1 << 20 });
  }
  const stds = Array.isArray(std) ? std : new Array<number>(k).fill(std);
  if (stds.length !== k) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `gaussianBlobs.std has ${stds.length} entries but there are ${k} classes.`,
    );
  }
  stds.forEach((s, c) => {
    checkNumber(Array.isArray(std) ? `gaussianBlobs.std[${c}]` : 'gaussianBlobs.std', s, {
      min: 0,
    });
  });
  checkNumber('gaussianBlobs n·dim', n * dim, { max: 2147483647 });

  const rng = rngFromSeed('gaussianBlobs.seed', seed);
  let centers: number[][];
  if (given) {
    centers = given.map((c) => [...c]);
  } else {
    const drawn = rng.uniformArray(k * dim, -centerBox, centerBox);
    centers = Array.from({ length: k }, (_, c) =>
      Array.from(drawn.subarray(c * dim, (c + 1) * dim)),
    );
  }
  const z = rng.normalArray(n * dim);
  const x = new Float32Array(n * dim);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % k;
    y[i] = c;
    const mu = centers[c] as number[];
    const s = stds[c] as number;
    for (let j = 0; j < dim; j++)
      x[i * dim + j] = (mu[j] as number) + s * (z[i * dim + j] as number);
  }
  return { x, xShape: [dim], y, yShape: [], n, numClasses: k, centers };
}
