import * as tf from '@tensorflow/tfjs-core';
import { type ParamInfo, type Params, Rng, softmaxCrossEntropy } from '@descent/core';
import { mlp } from '@descent/nets';

/** A 4-6-3 tanh MLP with softmax cross-entropy on 8 fixed examples (45 parameters). */
export function tinyMlpProblem(seed = 1): {
  params: Params;
  info: Record<string, ParamInfo>;
  loss: (p: Params) => tf.Tensor;
  dispose: () => void;
} {
  const net = mlp({ sizes: [4, 6, 3], activation: 'tanh', seed });
  const x = new Rng(seed).child('x').normal([8, 4]);
  const y = tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32');
  return {
    params: net.params,
    info: net.info,
    loss: (p) => softmaxCrossEntropy(net.apply(p, x), y),
    dispose: () => tf.dispose([...Object.values(net.params), x, y]),
  };
}

/** `½‖θ − c‖²` summed over every tensor (`c = 0` when absent). */
export function halfSquaredDistance(c?: Params): (p: Params) => tf.Tensor {
  return (p) =>
    tf.mul(
      0.5,
      tf.sum(
        tf.stack(
          Object.keys(p).map((k) => {
            const t = p[k] as tf.Tensor;
            return tf.sum(tf.square(c ? tf.sub(t, c[k] as tf.Tensor) : t));
          }),
        ),
      ),
    );
}

/** The row-major entries of every tensor, in the map's key order, as one float64 array. */
export async function flatValues(p: Params): Promise<number[]> {
  const out: number[] = [];
  for (const t of Object.values(p)) out.push(...((await t.data()) as Float32Array));
  return out;
}
