import type * as tf from '@tensorflow/tfjs-core';
import { symmetricEigenvalues } from '@descent/core';
import { checkSquareKernel, readSymmetricKernel } from './host-matrix';

/** What {@link ntkSpectrum} returns. */
export interface NtkSpectrum {
  /** The eigenvalues of the kernel matrix, largest first. */
  eigenvalues: number[];
  /** `λ_max / λ_min`; `Infinity` when `λ_min ≤ 0` (a singular or indefinite kernel). */
  conditionNumber: number;
}

/**
 * The eigenvalues of a kernel matrix and its condition number, in float64 on the host. They set
 * the gradient-descent dynamics: the component of the targets along the eigenvector of `λ` is
 * learned at rate `ηλ/S`, so the condition number is how many times slower the slowest mode is
 * than the fastest (and `2S/λ_max` is the largest stable learning rate).
 *
 * The condition number is `Infinity` whenever `λ_min ≤ 0`, rounding included: a kernel of more
 * examples than features is singular, and a float32 kernel's zero eigenvalues come out as tiny
 * numbers of either sign.
 *
 * @param k - A kernel matrix `[N, N]`, symmetric within `1e-5 · max|K|` (it is symmetrized).
 * @returns the eigenvalues (descending) and `λ_max / λ_min`.
 * @throws DescentError before reading: `SHAPE_MISMATCH` (not square), `DTYPE_MISMATCH`,
 *   `BAD_ARGUMENT`, `DISPOSED`; after reading: `NON_FINITE`, `BAD_ARGUMENT` (not symmetric).
 * @example
 * ```ts
 * await ntkSpectrum(tf.tensor2d([[2, 1], [1, 2]])); // { eigenvalues: [3, 1], conditionNumber: 3 }
 * ```
 */
export async function ntkSpectrum(k: tf.Tensor): Promise<NtkSpectrum> {
  const n = checkSquareKernel('ntkSpectrum: k', k);
  const values = symmetricEigenvalues(await readSymmetricKernel('ntkSpectrum: k', k), n);
  const largest = values[0]!;
  const smallest = values[n - 1]!;
  return {
    eigenvalues: Array.from(values),
    conditionNumber: smallest > 0 ? largest / smallest : Number.POSITIVE_INFINITY,
  };
}
