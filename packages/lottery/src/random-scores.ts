import type * as tf from '@tensorflow/tfjs-core';
import { type Params, type Rng, OptionReader, checkParams } from '@descent/core';

/** Options of {@link randomScores}. */
export interface RandomScoresOptions {
  /** The generator the scores are drawn from (required); it advances. */
  rng: Rng;
}

/**
 * Random scores `s ~ U[0, 1)` for every parameter: the random-pruning baseline of the lottery
 * ticket experiments (Frankle & Carbin 2019). The values come from core's {@link Rng}
 * (`rng.uniform`, drawn in the key order of `params`), so the same seed gives the same scores —
 * and the same masks — on every backend.
 *
 * @param params - The parameters; only their keys and shapes are used.
 * @param options - `rng` (required).
 * @returns new float32 tensors, keyed and shaped like `params`; the caller disposes them.
 * @throws DescentError `BAD_ARGUMENT` (params not a record of tensors, options not an object,
 *   `rng` not an `Rng`), `UNKNOWN_PARAM` (an unknown option), `DISPOSED`.
 * @example
 * ```ts
 * const scores = randomScores(net.params, { rng: new Rng(7) });
 * const masks = await prune(scores, { info: net.info, density: 0.1 });
 * ```
 * @see J. Frankle, M. Carbin, The Lottery Ticket Hypothesis, ICLR 2019 (random reinitialization
 *   and random pruning baselines).
 */
export function randomScores(params: Params, options: RandomScoresOptions): Params {
  checkParams('randomScores: params', params);
  const read = new OptionReader('randomScores', options, ['rng']);
  const rng = read.generator('rng');
  const out: Params = {};
  for (const [key, value] of Object.entries(params)) {
    out[key] = rng.uniform(value.shape) as tf.Tensor;
  }
  return out;
}
