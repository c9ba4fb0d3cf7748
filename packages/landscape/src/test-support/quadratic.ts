import * as tf from '@tensorflow/tfjs-core';
import { type Params, Rng } from '@descent/core';
import type { LossFn } from '../loss/loss-fn';

/**
 * Test problems whose Hessian is known exactly: quadratics `L(θ) = ½ θᵀAθ` with a chosen
 * symmetric `A`, and a least-squares fit. Matrices are float64 on the host (the reference) and
 * float32 tensors inside the loss. Every vector in parameter space is in core's `flattenParams`
 * order (sorted keys, row-major).
 */

/** A problem of this module; `dispose()` frees its tensors. */
export interface KnownHessianProblem {
  loss: LossFn;
  params: Params;
  /** `P`. */
  size: number;
  /** The Hessian, `P × P` row-major in float64. */
  hessian: Float64Array;
  dispose(): void;
}

/** A quadratic with a prescribed spectrum: `A = Q diag(λ) Qᵀ`. */
export interface SpectrumProblem extends KnownHessianProblem {
  /** `λ`, as given. */
  eigenvalues: readonly number[];
  /** `Q` row-major: column `i` is the unit eigenvector of `eigenvalues[i]`. */
  q: Float64Array;
}

/**
 * A random orthogonal `n × n` matrix (row-major, float64): the product of `n` Householder
 * reflections `I − 2uuᵀ` with `u` uniform on the sphere (normal draws from `new Rng(seed)`).
 */
export function randomOrthogonal(n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  let q = identity(n);
  for (let r = 0; r < n; r++) {
    const u = Array.from(rng.normalArray(n), Number);
    const length = Math.hypot(...u);
    q = reflect(
      q,
      u.map((x) => x / length),
      n,
    );
  }
  return q;
}

/** `A = Q diag(λ) Qᵀ` (row-major, float64), symmetric by construction. */
export function fromSpectrum(eigenvalues: readonly number[], q: Float64Array): Float64Array {
  const n = eigenvalues.length;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let sum = 0;
      for (let l = 0; l < n; l++) sum += q[i * n + l]! * eigenvalues[l]! * q[j * n + l]!;
      a[i * n + j] = sum;
      a[j * n + i] = sum;
    }
  }
  return a;
}

/**
 * `L(θ) = ½ θᵀAθ` for a symmetric `n × n` `a` (row-major), with `θ` split into two tensors so
 * that key order matters: `b` (shape `[2]`, first in sorted order) and `w` (the other `n − 2`
 * entries, shape `[2, (n − 2)/2]` when `n − 2` is even, else `[n − 2]`). `θ`'s values are
 * normal draws from `new Rng(seed)`; the Hessian is `a` (rounded to float32) wherever `θ` is.
 */
export function quadraticProblem(a: Float64Array, n: number, seed = 1): KnownHessianProblem {
  if (n < 3) throw new Error('quadraticProblem: n must be at least 3');
  const theta = new Rng(seed).normalArray(n);
  const params: Params = {
    w: tf.tensor(theta.slice(2), (n - 2) % 2 === 0 ? [2, (n - 2) / 2] : [n - 2]),
    b: tf.tensor1d(theta.slice(0, 2)),
  };
  const matrix = tf.tensor2d(Float32Array.from(a), [n, n]);
  const loss: LossFn = (p) => {
    const flat = tf.reshape(
      tf.concat([tf.reshape(p.b as tf.Tensor, [-1]), tf.reshape(p.w as tf.Tensor, [-1])]),
      [n, 1],
    );
    return tf.mul(0.5, tf.sum(tf.mul(flat, tf.matMul(matrix, flat))));
  };
  return {
    loss,
    params,
    size: n,
    hessian: a,
    dispose: () => tf.dispose([...Object.values(params), matrix]),
  };
}

/**
 * {@link quadraticProblem} for `A = Q diag(λ) Qᵀ` with `Q = randomOrthogonal(n, seed)`.
 */
export function spectrumProblem(eigenvalues: readonly number[], seed = 7): SpectrumProblem {
  const n = eigenvalues.length;
  const q = randomOrthogonal(n, seed);
  return { ...quadraticProblem(fromSpectrum(eigenvalues, q), n, seed + 1), eigenvalues, q };
}

/**
 * Least squares `L(w) = (1/2n)‖Xw − y‖²` with `X = [[1, 2], [3, 4], [5, 6]]`, `y = (1, 0, 2)`,
 * `w` of shape `[2, 1]`: Hessian `XᵀX/3 = [[35, 44], [44, 56]]/3`, eigenvalues
 * `(91 ± √8185)/6` = 30.245165… and 0.088168…, trace 91/3.
 */
export function linearRegressionProblem(): KnownHessianProblem {
  const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
  const y = tf.tensor2d([1, 0, 2], [3, 1]);
  const params: Params = { w: tf.tensor2d([0.5, -0.3], [2, 1]) };
  const loss: LossFn = (p) =>
    tf.mul(0.5, tf.mean(tf.square(tf.sub(tf.matMul(x, p.w as tf.Tensor), y))));
  return {
    loss,
    params,
    size: 2,
    hessian: Float64Array.from([35, 44, 44, 56], (v) => v / 3),
    dispose: () => tf.dispose([...Object.values(params), x, y]),
  };
}

/** The exact eigenvalues of {@link linearRegressionProblem}'s Hessian, descending. */
export const LINEAR_REGRESSION_EIGENVALUES: readonly [number, number] = [
  (91 + Math.sqrt(8185)) / 6,
  (91 - Math.sqrt(8185)) / 6,
];

/** `Params` read into one float64 vector in `flattenParams` order. */
export async function flatValues(p: Params): Promise<Float64Array> {
  const parts = await Promise.all(
    Object.keys(p)
      .sort()
      .map((key) => (p[key] as tf.Tensor).data()),
  );
  return Float64Array.from(parts.flatMap((part) => Array.from(part as Float32Array)));
}

/** `vᵀAv` in float64 for row-major `a`. */
export function quadraticForm(a: Float64Array, v: ArrayLike<number>): number {
  const n = v.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) sum += v[i]! * a[i * n + j]! * v[j]!;
  }
  return sum;
}

/** The `k` values of largest magnitude, sorted descending (the order `hessianEigs` promises). */
export function topByMagnitude(values: readonly number[], k: number): number[] {
  return [...values]
    .sort((x, y) => Math.abs(y) - Math.abs(x) || y - x)
    .slice(0, k)
    .sort((x, y) => y - x);
}

function identity(n: number): Float64Array {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) m[i * n + i] = 1;
  return m;
}

/** `M (I − 2uuᵀ)` for unit `u`. */
function reflect(m: Float64Array, u: readonly number[], n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    let mu = 0;
    for (let l = 0; l < n; l++) mu += m[i * n + l]! * u[l]!;
    for (let j = 0; j < n; j++) out[i * n + j] = m[i * n + j]! - 2 * mu * u[j]!;
  }
  return out;
}
