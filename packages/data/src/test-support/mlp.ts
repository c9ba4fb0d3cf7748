import * as tf from '@tensorflow/tfjs-core';
import { type Model, type ParamInfo, type Params, Rng, computeFans } from '@descent/core';

/** A small test-only MLP (no nets package yet): dense layers `dense1 … denseL`, `tap` supported. */
export function testMlp(options: {
  sizes: number[];
  activation?: 'tanh' | 'relu';
  seed?: number;
}): Model {
  const { sizes, activation = 'tanh', seed = 0 } = options;
  const rng = new Rng(seed);
  const params: Params = {};
  const info: Record<string, ParamInfo> = {};
  for (let l = 1; l < sizes.length; l++) {
    const fanIn = sizes[l - 1] as number;
    const fanOut = sizes[l] as number;
    const layer = `dense${l}`;
    params[`${layer}/kernel`] = rng
      .child(`${layer}/kernel`)
      .normal([fanIn, fanOut], 0, 1 / Math.sqrt(fanIn));
    params[`${layer}/bias`] = rng.child(`${layer}/bias`).normal([fanOut], 0, 0.1);
    info[`${layer}/kernel`] = {
      role: 'weight',
      layer,
      layout: 'dense',
      ...computeFans([fanIn, fanOut], 'dense'),
    };
    info[`${layer}/bias`] = {
      role: 'bias',
      layer,
      layout: 'vector',
      ...computeFans([fanOut], 'vector'),
    };
  }
  const layers = sizes.length - 1;
  return {
    params,
    info,
    apply: (p, x, opts = {}) =>
      tf.tidy(() => {
        let h = x;
        for (let l = 1; l <= layers; l++) {
          const layer = `dense${l}`;
          let z = tf.add(
            tf.matMul(h, p[`${layer}/kernel`] as tf.Tensor2D),
            p[`${layer}/bias`] as tf.Tensor,
          );
          if (opts.tap) z = opts.tap(layer, z);
          h = l < layers ? (activation === 'tanh' ? tf.tanh(z) : tf.relu(z)) : z;
        }
        return h;
      }),
  };
}

/** The same MLP's forward pass in float64 JavaScript, for row-major `x` of `n` rows. */
export async function mlpReference(
  model: Model,
  x: Float32Array,
  n: number,
  activation: 'tanh' | 'relu' = 'tanh',
): Promise<Float64Array> {
  const layers = Object.keys(model.params).filter((k) => k.endsWith('/kernel')).length;
  let h = Float64Array.from(x);
  let width = x.length / n;
  for (let l = 1; l <= layers; l++) {
    const kernel = model.params[`dense${l}/kernel`] as tf.Tensor;
    const w = await kernel.data();
    const b = await (model.params[`dense${l}/bias`] as tf.Tensor).data();
    const out = kernel.shape[1] as number;
    const next = new Float64Array(n * out);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < out; j++) {
        let s = b[j] as number;
        for (let q = 0; q < width; q++)
          s += (h[i * width + q] as number) * (w[q * out + j] as number);
        next[i * out + j] =
          l < layers ? (activation === 'tanh' ? Math.tanh(s) : Math.max(0, s)) : s;
      }
    }
    h = next;
    width = out;
  }
  return h;
}

/** Releases a test model's parameters. */
export function disposeModel(model: Model): void {
  for (const t of Object.values(model.params)) t.dispose();
}
