import * as tf from '@tensorflow/tfjs-core';
import { DescentError, type Rng } from '@descent/core';
import type { FlatHvpOperator } from './flat-operator';
import {
  appendRow,
  divide,
  dot,
  norm,
  orthogonalize,
  randomUnitVector,
  readScalars,
} from './flat-vectors';

/** Eigenpairs found by an iterative method; the caller disposes `vectors`. */
export interface EigenEstimate {
  /** The eigenvalues, in the order they were found. */
  values: number[];
  /** Unit `[P]` eigenvectors, in the order of `values`. */
  vectors: tf.Tensor1D[];
  /** Whether every pair met the convergence test. */
  converged: boolean;
  /** Hessian-vector products computed. */
  iterations: number;
}

/** Options of {@link powerIteration}. */
export interface PowerIterationOptions {
  fn: string;
  k: number;
  tol: number;
  maxIter: number;
  rng: Rng;
}

/**
 * Power iteration with deflation: the `j`-th pair starts from a random normal vector and every
 * iterate `H v` is made orthogonal (Gram–Schmidt, twice) to the `j − 1` eigenvectors already
 * found, so it converges to the eigenvalue of largest magnitude of `H` on their orthogonal
 * complement. `λ = vᵀ(Hv)` (the Rayleigh quotient keeps the sign); the pair has converged when
 * `λ` changed by at most `tol·|λ|` since the previous iterate and the residual of the deflated
 * operator `‖Hv − λv‖ ≤ tol·|λ|` (then an eigenvalue lies within `tol·|λ|` of `λ`). One device
 * read (`λ`, the residual, `‖Hv‖`) per iteration.
 *
 * @throws DescentError as the operator; `NON_FINITE` when `Hv` is not finite.
 */
export async function powerIteration(
  op: FlatHvpOperator,
  options: PowerIterationOptions,
): Promise<EigenEstimate> {
  const values: number[] = [];
  const vectors: tf.Tensor1D[] = [];
  let found: tf.Tensor2D | undefined;
  let converged = true;
  let iterations = 0;
  try {
    for (let j = 0; j < options.k; j++) {
      const pair = await dominantPair(op, found, options);
      vectors.push(pair.vector);
      values.push(pair.value);
      converged &&= pair.converged;
      iterations += pair.iterations;
      found = appendRow(found, pair.vector);
    }
  } catch (error) {
    tf.dispose(vectors);
    throw error;
  } finally {
    found?.dispose();
  }
  return { values, vectors, converged, iterations };
}

/** The dominant eigenpair of `H` restricted to the orthogonal complement of `found`'s rows. */
async function dominantPair(
  op: FlatHvpOperator,
  found: tf.Tensor2D | undefined,
  options: PowerIterationOptions,
): Promise<{ value: number; vector: tf.Tensor1D; converged: boolean; iterations: number }> {
  const { tol, maxIter } = options;
  let v = randomUnitVector(options.rng, op.size, 'normal', found);
  let previous = Number.NaN;
  try {
    for (let t = 1; ; t++) {
      const { w, lambda, residual, length } = deflatedStep(op, v, found);
      const [value, r, size] = (await readScalars([lambda, residual, length])) as [
        number,
        number,
        number,
      ];
      if (!Number.isFinite(value) || !Number.isFinite(r) || !Number.isFinite(size)) {
        w.dispose();
        throw new DescentError(
          'NON_FINITE',
          `${options.fn}: the Hessian-vector product is not finite at power iteration ${t} (λ = ${value}); the loss or its curvature is NaN or infinite at params.`,
        );
      }
      const converged =
        Math.abs(value - previous) <= tol * Math.abs(value) && r <= tol * Math.abs(value);
      if (converged || t >= maxIter) {
        w.dispose();
        return { value, vector: v, converged, iterations: t };
      }
      previous = value;
      if (size > 0) {
        v.dispose();
        v = divide(w, size);
      }
      w.dispose();
    }
  } catch (error) {
    v.dispose();
    throw error;
  }
}

/** `w = (I − UᵀU) H v`, `λ = vᵀw`, the residual `‖w − λv‖` and `‖w‖`. */
function deflatedStep(op: FlatHvpOperator, v: tf.Tensor1D, found: tf.Tensor2D | undefined) {
  return tf.tidy(() => {
    const w = orthogonalize(op.apply(v), found);
    const lambda = dot(v, w);
    const residual = norm(tf.sub(w, tf.mul(lambda, v)));
    return { w, lambda, residual, length: norm(w) };
  });
}
