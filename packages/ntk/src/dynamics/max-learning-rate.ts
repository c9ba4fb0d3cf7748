import type * as tf from '@tensorflow/tfjs-core';
import { OptionReader, symmetricEigenvalues } from '@descent/core';
import { checkSquareKernel, readSymmetricKernel } from './host-matrix';

/** Options of {@link maxLearningRate}. */
export interface MaxLearningRateOptions {
  /**
   * The number of training outputs `S` the loss averages over, an integer ≥ 1: `yTrain.size`
   * (`N · O`) for the loss `½‖f − y‖²/S` of `gradientDescentMse`. Default: `N`, the rows of `K`
   * (one output per example).
   */
  yCount?: number;
}

/**
 * The largest learning rate at which full-batch gradient descent on the mean squared error of a
 * linearized network converges: `2S / λ_max(K)`, neural-tangents' `predict.max_learning_rate`
 * (without momentum). A step `η` multiplies the error along the eigenvector of `λ` by
 * `1 − ηλ/S`, a contraction for every mode exactly when `η < 2S/λ_max`.
 *
 * Returns `Infinity` when `λ_max ≤ 0`: for the zero kernel no step diverges (a kernel with no
 * positive eigenvalue at all is not positive semi-definite; see `ntkSpectrum`).
 *
 * @param kTrainTrain - The NTK of the training inputs, `[N, N]`, symmetric within
 *   `1e-5 · max|K|`.
 * @param options - `yCount` (default `N`).
 * @returns `2 · yCount / λ_max`.
 * @throws DescentError before reading: `SHAPE_MISMATCH` (not square), `DTYPE_MISMATCH`,
 *   `BAD_ARGUMENT`, `DISPOSED`, `UNKNOWN_PARAM`, `BAD_HYPERPARAM` (`yCount` not an integer ≥ 1);
 *   after reading: `NON_FINITE`, `BAD_ARGUMENT` (not symmetric).
 * @example
 * ```ts
 * await maxLearningRate(tf.tensor2d([[2, 1], [1, 2]])); // 4/3 (λ_max = 3, N = 2)
 * ```
 */
export async function maxLearningRate(
  kTrainTrain: tf.Tensor,
  options: MaxLearningRateOptions = {},
): Promise<number> {
  const n = checkSquareKernel('maxLearningRate: kTrainTrain', kTrainTrain);
  const read = new OptionReader('maxLearningRate', options, ['yCount']);
  const yCount = read.integer('yCount', n, { min: 1 });
  const k = await readSymmetricKernel('maxLearningRate: kTrainTrain', kTrainTrain);
  const largest = symmetricEigenvalues(k, n)[0]!;
  return largest > 0 ? (2 * yCount) / largest : Number.POSITIVE_INFINITY;
}
