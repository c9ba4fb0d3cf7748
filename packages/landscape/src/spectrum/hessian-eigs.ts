import * as tf from '@tensorflow/tfjs-core';
import { DescentError, OptionReader, type Params, Rng, type SymmetricEigen } from '@descent/core';
import type { LossFn } from '../loss/loss-fn';
import { type FlatHvpOperator, flatHvpOperator } from './flat-operator';
import { randomUnitVector } from './flat-vectors';
import { type Tridiagonal, lanczos, tridiagonalEigen } from './lanczos';
import { type EigenEstimate, powerIteration } from './power-iteration';
import { readChoice } from './read-choice';

/** The methods of {@link hessianEigs}. */
export type HessianEigsMethod = 'lanczos' | 'power';

const METHODS: readonly HessianEigsMethod[] = ['lanczos', 'power'];

/** Options of {@link hessianEigs}. */
export interface HessianEigsOptions {
  /** How many eigenvalues, an integer in `[1, P]` (default 1). */
  k?: number;
  /** `'lanczos'` (default) or `'power'`. */
  method?: HessianEigsMethod;
  /** The relative tolerance of the convergence tests, `> 0` (default `1e-4`). */
  tol?: number;
  /**
   * The most iterations, `≥ 1`. Default: 100 per eigenvalue for `'power'`;
   * `min(P, max(100, 3k))` Lanczos steps for `'lanczos'` (raised to `k` if smaller, capped at `P`).
   */
  maxIter?: number;
  /** The generator of the random start vectors (default `new Rng(0)`). */
  rng?: Rng;
}

/** What {@link hessianEigs} returns. */
export interface HessianEigs {
  /** The `k` eigenvalues of largest magnitude, in descending order (with their signs). */
  eigenvalues: number[];
  /** Unit eigenvectors keyed like `params`, in `eigenvalues`' order; the caller disposes them. */
  eigenvectors: Params[];
  /** Whether every eigenpair met the convergence test before `maxIter`. */
  converged: boolean;
  /** Hessian-vector products computed: Lanczos steps, or power iterations over all pairs. */
  iterations: number;
}

const KNOWN_KEYS = ['k', 'method', 'tol', 'maxIter', 'rng'];

/**
 * The `k` eigenvalues of largest magnitude of the Hessian `H = ∇²L(θ)` and their eigenvectors,
 * from Hessian-vector products alone (`H` is never formed). The eigenvalues come sorted in
 * descending order with their signs: a saddle's negative eigenvalue is among them when it is
 * among the `k` largest in magnitude (spectrum `{5, −4, 1}`, `k = 2` → `[5, −4]`).
 *
 * - `'lanczos'` (default): Lanczos from a random unit vector, with full reorthogonalization
 *   (classical Gram–Schmidt against all previous Lanczos vectors, twice); after `m` steps the
 *   tridiagonal `T_m = V_m H V_mᵀ` is diagonalized in float64 on the host, `T_m = S Θ Sᵀ`, and the
 *   Ritz pairs `(θ_i, y_i = V_mᵀ s_i)` are the estimates. It stops when the `k` wanted Ritz
 *   values (largest `|θ|`) all satisfy the residual bound
 *   `‖H y_i − θ_i y_i‖ = β_m·|s_{m,i}| ≤ tol·|θ_i|`, after `P` steps (then `V_m` spans everything and the pairs are exact to rounding), or after
 *   `maxIter` steps. Where the Krylov space is exhausted early (`β ≈ 0`: it is invariant), Lanczos
 *   continues from a fresh random vector orthogonal to it; a single Krylov sequence sees each
 *   distinct eigenvalue once, so a repeated eigenvalue may still be reported fewer times than its
 *   multiplicity — `'power'` finds repeated eigenvalues reliably. It keeps `m·P` floats of
 *   Lanczos vectors on the device.
 * - `'power'`: power iteration with deflation (PyHessian's method): for the `j`-th pair, every
 *   iterate `Hv` is made orthogonal to the `j − 1` eigenvectors found; `λ = vᵀHv` (sign kept).
 *   A pair has converged when `λ` changed by at most `tol·|λ|` in one iteration and the residual
 *   `‖Hv − λv‖ ≤ tol·|λ|` — the bound Lanczos uses: an eigenvalue of `H` (of the deflated
 *   operator) then lies within `tol·|λ|` of `λ`. Converges as `(|λ_{j+1}|/|λ_j|)^t`: slow when
 *   magnitudes are close (raise `maxIter`), and never when `λ` and `−λ` are both eigenvalues of
 *   the largest magnitude.
 *
 * Reaching `maxIter` returns the best estimate with `converged: false`; it never throws for that.
 * In float32 a measured residual cannot fall much below `1e-7·‖H‖`, so with `'power'` an
 * eigenvalue smaller than about `1e-7·‖H‖/tol` (`1e-3·‖H‖` for the default `tol`) may end
 * unconverged however many iterations are allowed.
 * One device read of two or three scalars per iteration; everything else stays on the device.
 *
 * @param loss - `(params) => L`, a float32 scalar tensor made from `params` (see `hvp`).
 * @param params - `θ`, a non-empty map of float32 tensors (not modified).
 * @param options - `k` (1), `method` (`'lanczos'`), `tol` (`1e-4`), `maxIter` (see
 *   {@link HessianEigsOptions}), `rng` (`new Rng(0)`; the same seed gives the same numbers).
 * @returns `{ eigenvalues, eigenvectors, converged, iterations }`.
 * @throws DescentError `BAD_HYPERPARAM` (`k` not an integer in `[1, P]`, the message naming
 *   `P`; `tol ≤ 0`; `maxIter` not an integer `≥ 1`), `NON_FINITE` (a non-finite option; a NaN
 *   or infinite Hessian-vector product), `BAD_ARGUMENT` (unknown `method`, `rng` not an `Rng`,
 *   options not an object, loss not a function or returning no tensor, params not a non-empty
 *   map of tensors), `UNKNOWN_PARAM` (an unknown option), `SHAPE_MISMATCH` (the loss is not a
 *   float32 scalar), `DTYPE_MISMATCH` (non-float32 params), `DISPOSED`. An exception the loss
 *   itself throws passes through unchanged, with every tensor freed.
 * @example
 * ```ts
 * const loss = (p: Params) => softmaxCrossEntropy(net.apply(p, x), y);
 * const { eigenvalues, eigenvectors } = await hessianEigs(loss, net.params, { k: 3 });
 * eigenvectors.forEach(disposeParams);
 * ```
 * @see Z. Yao, A. Gholami, K. Keutzer and M. W. Mahoney, PyHessian: Neural Networks Through the
 *   Lens of the Hessian, IEEE BigData 2020; C. Lanczos, An iteration method for the solution of
 *   the eigenvalue problem of linear differential and integral operators, J. Res. NBS 45 (1950);
 *   B. N. Parlett, The Symmetric Eigenvalue Problem (SIAM, 1998), ch. 13 (Lanczos with full
 *   reorthogonalization); L. Giraud, J. Langou and M. Rozložník, The loss of orthogonality in
 *   the Gram–Schmidt orthogonalization process, Comput. Math. Appl. 50 (2005) ("twice is
 *   enough").
 */
export async function hessianEigs(
  loss: LossFn,
  params: Params,
  options: HessianEigsOptions = {},
): Promise<HessianEigs> {
  const fn = 'hessianEigs';
  const read = new OptionReader(fn, options, KNOWN_KEYS);
  const method = readChoice(read, 'method', METHODS, 'lanczos');
  const tol = read.number('tol', 1e-4, { min: 0, minExclusive: true });
  const maxIter = read.optionalNumber('maxIter', { min: 1, integer: true });
  const rng = read.generator('rng', new Rng(0));
  const kRequested = read.integer('k', 1, { min: 1 });
  const op = flatHvpOperator(fn, loss, params);
  try {
    const k = checkK(fn, kRequested, op.size);
    const estimate =
      method === 'power'
        ? await powerIteration(op, { fn, k, tol, maxIter: maxIter ?? 100, rng })
        : await lanczosEigs(op, { fn, k, tol, maxIter: maxIter ?? Math.max(100, 3 * k), rng });
    return toResult(op, estimate);
  } finally {
    op.dispose();
  }
}

function checkK(fn: string, k: number, size: number): number {
  if (k > size) {
    throw new DescentError(
      'BAD_HYPERPARAM',
      `${fn}.k must be an integer in [1, P] where P = ${size} is the number of parameters, got ${k}.`,
    );
  }
  return k;
}

interface LanczosEigsOptions {
  fn: string;
  k: number;
  tol: number;
  maxIter: number;
  rng: Rng;
}

/** The `k` wanted Ritz pairs of Lanczos (see {@link hessianEigs}). */
async function lanczosEigs(
  op: FlatHvpOperator,
  { fn, k, tol, maxIter, rng }: LanczosEigsOptions,
): Promise<EigenEstimate> {
  const steps = Math.min(op.size, Math.max(maxIter, k));
  const result = await lanczos(op, randomUnitVector(rng, op.size, 'normal'), {
    fn,
    steps,
    stop: (t) => t.alphas.length >= k && ritzConverged(t, tridiagonalEigen(t), k, tol),
    restart: (basis) => randomUnitVector(rng, op.size, 'normal', basis),
  });
  try {
    const eigen = tridiagonalEigen(result);
    const wanted = largestMagnitude(eigen.values, k);
    return {
      values: wanted.map((i) => eigen.values[i]!),
      vectors: ritzVectors(result.basis, eigen, wanted),
      converged: ritzConverged(result, eigen, k, tol),
      iterations: result.alphas.length,
    };
  } finally {
    result.basis.dispose();
  }
}

/** Whether the `k` Ritz values of largest magnitude meet `β_m·|s_{m,i}| ≤ tol·|θ_i|`. */
function ritzConverged(t: Tridiagonal, eigen: SymmetricEigen, k: number, tol: number): boolean {
  const m = t.alphas.length;
  const beta = t.betas[m - 1]!;
  return largestMagnitude(eigen.values, k).every(
    (i) => beta * Math.abs(eigen.vectors[i * m + m - 1]!) <= tol * Math.abs(eigen.values[i]!),
  );
}

/** Indices of the `k` values of largest magnitude (ties: the positive first). */
function largestMagnitude(values: Float64Array | readonly number[], k: number): number[] {
  return Array.from({ length: values.length }, (_, i) => i)
    .sort((i, j) => Math.abs(values[j]!) - Math.abs(values[i]!) || values[j]! - values[i]!)
    .slice(0, k);
}

/** The unit Ritz vectors `V_mᵀ s_i` of the `wanted` indices, as `[P]` tensors. */
function ritzVectors(
  basis: tf.Tensor2D,
  eigen: SymmetricEigen,
  wanted: readonly number[],
): tf.Tensor1D[] {
  const m = basis.shape[0];
  const s = new Float32Array(wanted.length * m);
  wanted.forEach((i, row) => {
    s.set(eigen.vectors.subarray(i * m, i * m + m), row * m);
  });
  return tf.tidy(() => {
    const y = tf.matMul(tf.tensor2d(s, [wanted.length, m]), basis);
    const unit = tf.div(y, tf.norm(y, 'euclidean', 1, true));
    return tf.unstack(unit) as tf.Tensor1D[];
  });
}

/** Sorts the pairs by eigenvalue, descending, and turns the vectors into `Params`. */
function toResult(op: FlatHvpOperator, estimate: EigenEstimate): HessianEigs {
  const order = estimate.values
    .map((_, i) => i)
    .sort((i, j) => estimate.values[j]! - estimate.values[i]!);
  try {
    return {
      eigenvalues: order.map((i) => estimate.values[i]!),
      eigenvectors: order.map((i) => op.toParams(estimate.vectors[i]!)),
      converged: estimate.converged,
      iterations: estimate.iterations,
    };
  } finally {
    tf.dispose(estimate.vectors);
  }
}
