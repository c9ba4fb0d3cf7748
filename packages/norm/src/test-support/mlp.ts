/**
 * Test support (not exported): a small functional ReLU MLP as a core `Model`, with the `tap`
 * hook, and He-initialized weights from a seeded `Rng`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type ApplyFn, type Model, type Params, Rng, inferParamInfo } from '@descent/core';

/** A ReLU MLP `sizes[0] → … → sizes[last]` (no activation on the output). */
export function mlp(sizes: readonly number[], seed: number): Model {
  const rng = new Rng(seed);
  const params: Params = {};
  for (let l = 1; l < sizes.length; l++) {
    const fanIn = sizes[l - 1] as number;
    const fanOut = sizes[l] as number;
    params[`dense${l}/kernel`] = rng.normal([fanIn, fanOut], 0, Math.sqrt(2 / fanIn));
    params[`dense${l}/bias`] = tf.zeros([fanOut]);
  }
  const info = Object.fromEntries(
    Object.entries(params).map(([k, t]) => [k, inferParamInfo(k, t.shape)]),
  );
  const layers = sizes.length - 1;
  const apply: ApplyFn = (p, x, opts) =>
    tf.tidy(() => {
      let h = x;
      for (let l = 1; l <= layers; l++) {
        let z = tf.add(
          tf.matMul(h, p[`dense${l}/kernel`] as tf.Tensor),
          p[`dense${l}/bias`] as tf.Tensor,
        );
        if (opts?.tap) z = opts.tap(`dense${l}`, z);
        h = l < layers ? tf.relu(z) : z;
      }
      return h;
    });
  return { params, info, apply };
}
