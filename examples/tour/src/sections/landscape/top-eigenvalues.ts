import { type Params, type Rng, disposeParams } from '@descent/core';
import { hessianEigs } from '@descent/landscape';
import type * as tf from '@tensorflow/tfjs-core';

/** The top of the Hessian spectrum of the landscape loss at one minimum. */
export interface TopEigenvalues {
  /** Largest first. */
  eigenvalues: number[];
  converged: boolean;
  /** Hessian-vector products Lanczos used. */
  iterations: number;
}

/** The `k` largest Hessian eigenvalues of `loss` at `params`, by Lanczos (`hessianEigs`). */
export async function topEigenvalues(
  loss: (params: Params) => tf.Scalar,
  params: Params,
  k: number,
  rng: Rng,
): Promise<TopEigenvalues> {
  const { eigenvalues, eigenvectors, converged, iterations } = await hessianEigs(loss, params, {
    k,
    method: 'lanczos',
    rng,
  });
  for (const vector of eigenvectors) disposeParams(vector);
  return { eigenvalues, converged, iterations };
}
