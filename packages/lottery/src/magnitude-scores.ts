import * as tf from '@tensorflow/tfjs-core';
import { type Params, checkParams } from '@descent/core';

/**
 * Magnitude scores `s = |θ|`, element by element, for every parameter: the score of magnitude
 * pruning (Han et al. 2015), by which lottery tickets are found (Frankle & Carbin 2019): the
 * weights of smallest magnitude are removed first. Pass the result to `prune`.
 *
 * @param params - The parameters (any keys; `prune` picks the eligible ones by their info).
 * @returns new tensors, keyed like `params`; the caller disposes them.
 * @throws DescentError `BAD_ARGUMENT` if `params` is not a record of tensors, `DISPOSED`.
 * @example
 * ```ts
 * const scores = magnitudeScores(net.params);
 * const masks = await prune(scores, { info: net.info, rate: 0.2 });
 * disposeParams(scores);
 * ```
 * @see J. Frankle, M. Carbin, The Lottery Ticket Hypothesis: Finding Sparse, Trainable Neural
 *   Networks, ICLR 2019.
 */
export function magnitudeScores(params: Params): Params {
  checkParams('magnitudeScores: params', params);
  const out: Params = {};
  for (const [key, value] of Object.entries(params)) out[key] = tf.abs(value);
  return out;
}
