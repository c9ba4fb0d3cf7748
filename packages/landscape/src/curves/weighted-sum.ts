import * as tf from '@tensorflow/tfjs-core';
import type { Params } from '@descent/core';

/**
 * `Σᵢ wᵢ·pointᵢ[k]` for every key `k`, made in the caller's `tf.tidy` (or
 * gradient tape). Terms of weight 0 are skipped when `skipZeros`, so a one-hot `w` gives its point
 * bit for bit (`-0` and all). Internal.
 */
export function weightedSum(
  weights: readonly number[],
  points: readonly Readonly<Params>[],
  keys: readonly string[],
  skipZeros: boolean,
): Params {
  const out: Params = {};
  for (const key of keys) {
    let sum: tf.Tensor | undefined;
    weights.forEach((w, i) => {
      if (skipZeros && w === 0) return;
      const term = tf.mul(points[i]?.[key] as tf.Tensor, w);
      sum = sum === undefined ? term : tf.add(sum, term);
    });
    out[key] = sum ?? tf.zerosLike(points[0]?.[key] as tf.Tensor);
  }
  return out;
}
