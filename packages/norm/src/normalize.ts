import * as tf from '@tensorflow/tfjs-core';
import type { AffineParams } from './checks';

/**
 * Mean and biased variance of `x` over `axes` (kept as size-1 axes): `μ = mean(x)`,
 * `σ² = mean((x − μ)²)` — two passes, so no cancellation as in `E[x²] − μ²`.
 */
export function moments(
  x: tf.Tensor,
  axes: readonly number[],
): { mean: tf.Tensor; variance: tf.Tensor } {
  const mean = tf.mean(x, [...axes], true);
  const variance = tf.mean(tf.square(tf.sub(x, mean)), [...axes], true);
  return { mean, variance };
}

/**
 * `γ·(x − μ)/√(σ² + ε) + β`, with γ and β (when given) reshaped to `paramShape` for
 * broadcasting. ε sits inside the square root (as in every framework's batch/layer norm).
 */
export function normalizeAffine(
  x: tf.Tensor,
  mean: tf.Tensor,
  variance: tf.Tensor,
  epsilon: number,
  params: AffineParams,
  paramShape: readonly number[],
): tf.Tensor {
  const xHat = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, epsilon)));
  return affine(xHat, params, paramShape);
}

/** `γ·x̂ + β` with γ, β (when given) reshaped to `paramShape`. */
export function affine(
  xHat: tf.Tensor,
  params: AffineParams,
  paramShape: readonly number[],
): tf.Tensor {
  let y = xHat;
  if (params.gamma) y = tf.mul(y, tf.reshape(params.gamma, [...paramShape]));
  if (params.beta) y = tf.add(y, tf.reshape(params.beta, [...paramShape]));
  return y;
}
