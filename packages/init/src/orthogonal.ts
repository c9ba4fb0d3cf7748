import * as tf from '@tensorflow/tfjs-core';
import { DescentError, type Rng, formatShape } from '@descent/core';
import { orthonormalColumns } from './linalg/householder-qr';
import {
  SCHEME_KEYS,
  type SchemeOptions,
  allocating,
  checkLayoutFits,
  checkShapeArg,
  readSchemeOptions,
} from './options';

/** Options of {@link orthogonal}. */
export interface OrthogonalOptions extends SchemeOptions {
  /**
   * Multiplier `g > 0` of the orthogonal matrix, at most float32's largest value (default 1;
   * √2 = `gain('relu')` for ReLU nets).
   */
  gain?: number;
}

/**
 * {@link orthogonal}'s or {@link deltaOrthogonal}'s options (`gain` as `g`), read and checked as
 * far as they do not depend on the shape.
 */
export function readGainOptions(fn: string, options: unknown) {
  const { read, layout, rng } = readSchemeOptions(fn, options, [...SCHEME_KEYS, 'gain']);
  const g = read.float32('gain', 1, { min: 0, minExclusive: true });
  return { g, layout, rng };
}

/**
 * Orthogonal initialization (Saxe, McClelland & Ganguli 2014): a uniformly (Haar) random matrix
 * with orthonormal columns or rows, times `gain`.
 *
 * The shape is viewed as a matrix `[rows, cols]` with `cols` = the last axis and `rows` = the
 * product of the others (dense `[in, out]` as is; conv `[kh, kw, in, out]` → `[kh·kw·in, out]`).
 * A Gaussian matrix of shape `[max, min]` is factored by Householder QR **in float64**, each
 * column of `Q` is multiplied by `sign(R_jj)` (without it `Q` is not Haar-distributed), and the
 * result (transposed when `rows < cols`) is scaled by `g`:
 * - tall or square (`rows ≥ cols`): `WᵀW = g²·I_cols` (every output unit gets an orthonormal
 *   direction);
 * - wide (`rows < cols`): `WWᵀ = g²·I_rows`, so `‖xW‖ = g‖x‖` for every input `x`.
 *
 * After rounding to float32 the identity holds to ~1e-7 per entry. A deep linear network with
 * square orthogonal layers is exactly isometric (every singular value of its Jacobian is 1):
 * the starting point of dynamical isometry (Pennington et al. 2017).
 *
 * @param shape - rank ≥ 2 (dense `[in, out]`, conv2d `[kh, kw, in, out]`, …).
 * @param options - `gain` (1), `rng` or `seed` (one is required), `layout` (checked against the shape).
 * @returns a new float32 tensor; the caller disposes it.
 * @throws DescentError `SHAPE_MISMATCH` for rank < 2, `BAD_ARGUMENT` for a malformed or too large
 *   shape, a bad generator or options that are not an object, `UNKNOWN_PARAM` for an unknown
 *   option, `BAD_HYPERPARAM`/`NON_FINITE` for a gain that is not in (0, 3.4e38].
 * @example
 * ```ts
 * const w = orthogonal([256, 256], { gain: Math.SQRT2, seed: 0 }); // WᵀW = 2I
 * ```
 * @see A. Saxe, J. McClelland, S. Ganguli, Exact solutions to the nonlinear dynamics of learning
 *   in deep linear neural networks, ICLR 2014.
 */
export function orthogonal(shape: readonly number[], options?: OrthogonalOptions): tf.Tensor {
  const fn = 'orthogonal';
  const { g, layout, rng } = readGainOptions(fn, options);
  checkShapeArg(fn, shape);
  if (shape.length < 2) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `${fn}: shape must have rank ≥ 2 (a matrix [rows, cols] after flattening all but the last axis), got ${formatShape(shape)}.`,
    );
  }
  checkLayoutFits(fn, shape, layout);
  const cols = shape[shape.length - 1]!;
  const rows = shape.slice(0, -1).reduce((p, d) => p * d, 1);
  return allocating(fn, shape, () =>
    tf.tensor(orthogonalMatrix(rows, cols, g, rng()), [...shape], 'float32'),
  );
}

/**
 * A `rows × cols` row-major float32 matrix with orthonormal columns (rows ≥ cols) or rows
 * (rows < cols), times `g`, from `rng`'s normals (see {@link orthogonal}).
 */
export function orthogonalMatrix(rows: number, cols: number, g: number, rng: Rng): Float32Array {
  const out = new Float32Array(rows * cols);
  if (rows === 0 || cols === 0) return out;
  const m = Math.max(rows, cols);
  const n = Math.min(rows, cols);
  const q = orthonormalColumns(rng.normalArray(m * n), m, n);
  if (rows >= cols) {
    for (let i = 0; i < q.length; i++) out[i] = g * q[i]!;
  } else {
    // q is cols × rows; the wanted matrix is its transpose.
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) out[i * cols + j] = g * q[j * rows + i]!;
    }
  }
  return out;
}
