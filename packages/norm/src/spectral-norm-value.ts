import type * as tf from '@tensorflow/tfjs-core';
import { DescentError, Rng, checkTensor, formatShape } from '@descent/core';
import { readOptions } from './checks';
import { powerIterationSigma, smallGram, symmetricEigenvalues } from './float64-linalg';

/** Options of {@link spectralNormValue}. */
export interface SpectralNormValueOptions {
  /**
   * `'exact'`: all eigenvalues of the smaller Gram matrix (`MᵀM` or `MMᵀ`) by Jacobi rotations in
   * float64; `'power'`: float64 power iteration to convergence; `'auto'` (default): exact when
   * `min(rows, cols) ≤ 64`, power iteration otherwise.
   */
  method?: 'auto' | 'exact' | 'power';
  /** Most power-iteration steps. Default `1000`. */
  iterations?: number;
  /** Power iteration stops when the estimate changes by at most this, relative. Default `1e-12`. */
  tol?: number;
}

const KNOWN = ['method', 'iterations', 'tol'] as const;
const EXACT_MAX_SIDE = 64;

/**
 * The spectral norm `σ_max(M)` — the largest singular value, the operator norm induced by the
 * Euclidean norm — of a tensor read as the matrix `M = reshape(W, [prod(other axes), out])`
 * (the last axis is the columns, as in {@link spectralNorm}; a rank-1 tensor is a column, its
 * norm the Euclidean norm). Computed in float64 in JavaScript from one read of the tensor, so it
 * is a reference value, the same on every backend; asynchronous because it reads with
 * `await W.data()`.
 *
 * @returns σ_max, e.g. `3√5 = 6.708204` for `[[3, 0], [4, 5]]` (singular values `3√5` and `√5`).
 * @throws DescentError `SHAPE_MISMATCH` for a scalar, `NON_FINITE` for a NaN or ±∞ entry,
 * `BAD_HYPERPARAM` for bad options (`NON_FINITE` for a NaN or ±∞ one), `UNKNOWN_PARAM`,
 * `DISPOSED`, `BAD_ARGUMENT` (not a tensor; options not a plain object).
 *
 * @example
 * ```ts
 * await spectralNormValue(tf.tensor2d([[3, 0], [4, 5]]));   // 6.708203932499369
 * ```
 */
export async function spectralNormValue(
  W: tf.Tensor,
  options: SpectralNormValueOptions = {},
): Promise<number> {
  const settings = readValueOptions('spectralNormValue', options);
  return spectralNormValueOf('spectralNormValue: W', W, settings);
}

/** The checked options of {@link spectralNormValue}. Internal. */
export interface ValueSettings {
  method: 'auto' | 'exact' | 'power';
  iterations: number;
  tol: number;
}

/** Reads {@link SpectralNormValueOptions} as `fn`'s options (fields named `<fn>.<field>`). Internal. */
export function readValueOptions(fn: string, options: unknown): ValueSettings {
  const read = readOptions(fn, options, KNOWN);
  return {
    method: read.oneOf('method', ['auto', 'exact', 'power'], 'auto'),
    iterations: read.integer('iterations', 1000, { min: 1 }),
    tol: read.number('tol', 1e-12, { min: 0 }),
  };
}

/** {@link spectralNormValue} with checked options; `name` names `W` in errors. Internal. */
export async function spectralNormValueOf(
  name: string,
  W: tf.Tensor,
  settings: ValueSettings,
): Promise<number> {
  checkTensor(name, W);
  if (W.rank < 1) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `${name} has shape ${formatShape(W.shape)}; expected rank ≥ 1.`,
    );
  }
  const cols = W.rank === 1 ? 1 : (W.shape[W.rank - 1] as number);
  const rows = cols === 0 ? 0 : W.size / cols;
  const data = await W.data();
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i] as number)) {
      throw new DescentError(
        'NON_FINITE',
        `${name} (shape ${formatShape(W.shape)}) holds ${data[i]} at flat index ${i}.`,
      );
    }
  }
  const { method, iterations, tol } = settings;
  return largestSingularValue(data as ArrayLike<number>, rows, cols, method, iterations, tol);
}

/** σ_max of a row-major `rows × cols` matrix (see {@link spectralNormValue}). Internal. */
export function largestSingularValue(
  m: ArrayLike<number>,
  rows: number,
  cols: number,
  method: 'auto' | 'exact' | 'power',
  iterations: number,
  tol: number,
): number {
  if (rows === 0 || cols === 0) return 0;
  const exact = method === 'exact' || (method === 'auto' && Math.min(rows, cols) <= EXACT_MAX_SIDE);
  if (exact) {
    const top = symmetricEigenvalues(smallGram(m, rows, cols))[0] as number;
    return Math.sqrt(Math.max(0, top));
  }
  const start = new Rng(0x5eed).normalArray(cols);
  return powerIterationSigma(m, rows, cols, start, tol, iterations).sigma;
}
