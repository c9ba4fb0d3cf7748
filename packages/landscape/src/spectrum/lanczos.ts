import * as tf from '@tensorflow/tfjs-core';
import { DescentError, type SymmetricEigen, symmetricEigen } from '@descent/core';
import type { FlatHvpOperator } from './flat-operator';
import { appendRow, divide, dot, norm, orthogonalize, readScalars } from './flat-vectors';

/**
 * The Lanczos tridiagonal `T_m`: `alphas[i] = T_ii`, `betas[i] = T_{i,i+1}` for `i < m − 1`, and
 * `betas[m − 1] = β_m`, the norm of the residual `H v_m − …` that the next step would normalize
 * (`0` when the Krylov space is exhausted). `H V_mᵀ = V_mᵀ T_m + β_m v_{m+1} e_mᵀ`.
 */
export interface Tridiagonal {
  readonly alphas: readonly number[];
  readonly betas: readonly number[];
}

/** Options of {@link lanczos}. */
export interface LanczosOptions {
  /** The most Lanczos steps (matrix-vector products), at most `P`. */
  steps: number;
  /** The caller's name, for messages. */
  fn: string;
  /** Called after every step that did not exhaust the Krylov space; `true` stops. */
  stop?: (t: Tridiagonal) => boolean;
  /**
   * Where the Krylov space is exhausted (`β ≈ 0`) before `P` steps: a new unit start vector
   * orthogonal to the rows of the basis to continue from (`T` then is block diagonal), or
   * `undefined` (the default) to stop there.
   */
  restart?: (basis: tf.Tensor2D) => tf.Tensor1D;
}

/** What {@link lanczos} returns; the caller disposes `basis`. */
export interface LanczosResult extends Tridiagonal {
  /** The Lanczos vectors `v_1 … v_m` as the rows of an `[m, P]` tensor. */
  readonly basis: tf.Tensor2D;
}

/**
 * Below this fraction of the largest `|α|` or `β` seen, `β` counts as zero (an exhausted Krylov
 * space): in float32 the residual of an invariant subspace after reorthogonalization is rounding,
 * about `1e-7·‖H‖` times a small factor. A noise `β` that escapes the test is harmless: the
 * vector it normalizes is still orthogonal to the basis, and its coupling to `T` is negligible.
 */
const EXHAUSTED = 1e-5;

/**
 * Lanczos with full reorthogonalization: from the unit vector `start` (taken over, disposed),
 * `w = H v_j`, `α_j = v_jᵀ w`, `w ← w − Vᵀ(V w)` twice (classical Gram–Schmidt against every
 * Lanczos vector so far, which also removes the `α_j v_j + β_{j−1} v_{j−1}` of the three-term
 * recurrence), `β_j = ‖w‖`, `v_{j+1} = w / β_j`. One device read (`α_j`, `β_j`) per step.
 *
 * @throws DescentError as the operator; `NON_FINITE` when `α` or `β` is NaN or infinite.
 */
export async function lanczos(
  op: FlatHvpOperator,
  start: tf.Tensor1D,
  options: LanczosOptions,
): Promise<LanczosResult> {
  const alphas: number[] = [];
  const betas: number[] = [];
  let basis: tf.Tensor2D | undefined;
  let v: tf.Tensor1D | undefined = start;
  let scale = 0;
  try {
    while (v !== undefined && alphas.length < options.steps) {
      basis = appendRow(basis, v);
      const { w, alpha, beta } = lanczosStep(op, v, basis);
      v.dispose();
      v = undefined;
      const [a, b] = (await readScalars([alpha, beta])) as [number, number];
      if (!Number.isFinite(a) || !Number.isFinite(b)) {
        w.dispose();
        throw nonFinite(options.fn, a, b, alphas.length);
      }
      scale = Math.max(scale, Math.abs(a), b);
      const full = alphas.length + 1 === op.size;
      const exhausted = full || b <= EXHAUSTED * scale;
      alphas.push(a);
      betas.push(exhausted ? 0 : b);
      if (exhausted) {
        w.dispose();
        if (!full && options.restart) v = options.restart(basis);
      } else {
        if (!options.stop?.({ alphas, betas })) v = divide(w, b);
        w.dispose();
      }
    }
  } catch (error) {
    v?.dispose();
    basis?.dispose();
    throw error;
  }
  v?.dispose();
  return { alphas, betas, basis: basis as tf.Tensor2D };
}

/** One step's `w` (reorthogonalized), `α` and `β = ‖w‖`; `basis` already holds `v`. */
function lanczosStep(
  op: FlatHvpOperator,
  v: tf.Tensor1D,
  basis: tf.Tensor2D,
): { w: tf.Tensor1D; alpha: tf.Scalar; beta: tf.Scalar } {
  return tf.tidy(() => {
    const hv = op.apply(v);
    const w = orthogonalize(hv, basis);
    return { w, alpha: dot(v, hv), beta: norm(w) };
  });
}

function nonFinite(fn: string, alpha: number, beta: number, step: number): DescentError {
  return new DescentError(
    'NON_FINITE',
    `${fn}: the Hessian-vector product is not finite at Lanczos step ${step + 1} (α = ${alpha}, β = ${beta}); the loss or its curvature is NaN or infinite at params.`,
  );
}

/**
 * The eigenpairs of `T_m` in float64 (core's `symmetricEigen` of the dense `m × m` matrix):
 * Ritz values descending, `vectors[i·m + j]` = component `j` of the `i`-th eigenvector `s_i`.
 */
export function tridiagonalEigen(t: Tridiagonal): SymmetricEigen {
  const m = t.alphas.length;
  const dense = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    dense[i * m + i] = t.alphas[i]!;
    if (i + 1 < m) {
      dense[i * m + i + 1] = t.betas[i]!;
      dense[(i + 1) * m + i] = t.betas[i]!;
    }
  }
  return symmetricEigen(dense, m);
}
