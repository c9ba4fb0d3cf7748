/**
 * Test support (not exported): small functional models that call `tap` on every layer's
 * pre-activation, as `@descent/nets` models do.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  type ApplyFn,
  type Model,
  type ParamInfo,
  type Params,
  inferParamInfo,
} from '@descent/core';

/** The activation between layers. */
export type Activation = 'relu' | 'linear' | 'tanh';

/** Makes a weight of `shape` for parameter `name`. */
export type WeightInit = (name: string, shape: number[]) => tf.Tensor;

function activate(z: tf.Tensor, activation: Activation): tf.Tensor {
  if (activation === 'relu') return tf.relu(z);
  if (activation === 'tanh') return tf.tanh(z);
  return z;
}

/**
 * A dense MLP `sizes[0] → … → sizes[L]` with layers `dense1 … denseL`
 * (`dense{i}/kernel` `[in, out]`, `dense{i}/bias` zeros), `activation` between layers and a
 * linear last layer (or `activation` after it too with `finalActivation`). `tap` sees each
 * `z = h·W + b`.
 */
export function mlp(
  sizes: number[],
  activation: Activation,
  init: WeightInit,
  options: { finalActivation?: boolean } = {},
): Model {
  const params: Params = {};
  const layers: string[] = [];
  for (let i = 1; i < sizes.length; i++) {
    const layer = `dense${i}`;
    layers.push(layer);
    params[`${layer}/kernel`] = init(`${layer}/kernel`, [sizes[i - 1]!, sizes[i]!]);
    params[`${layer}/bias`] = tf.zeros([sizes[i]!]);
  }
  const info: Record<string, ParamInfo> = {};
  for (const [key, t] of Object.entries(params)) info[key] = inferParamInfo(key, t.shape);
  const apply: ApplyFn = (p, x, opts) =>
    tf.tidy(() => {
      let h = x;
      layers.forEach((layer, i) => {
        let z = tf.add(tf.matMul(h, p[`${layer}/kernel`]!), p[`${layer}/bias`]!);
        if (opts?.tap) z = opts.tap(layer, z);
        h = i === layers.length - 1 && !options.finalActivation ? z : activate(z, activation);
      });
      return h;
    });
  return { params, info, apply };
}

/**
 * A residual MLP: `stem` (in → width), `blocks` residual blocks of `m` dense layers each
 * (`block{b}/dense{j}`, biases spread over [−0.8, 0.8], ReLU between them, the branch output times a scalar `block{b}/multiplier`
 * added to the input, then ReLU), and a linear `head` (width → out).
 */
export function residualMlp(
  spec: { input: number; width: number; output: number; blocks: number; m: number },
  init: WeightInit,
): { model: Model; branches: string[][] } {
  const params: Params = {};
  const info: Record<string, ParamInfo> = {};
  const dense = (layer: string, fanIn: number, fanOut: number) => {
    params[`${layer}/kernel`] = init(`${layer}/kernel`, [fanIn, fanOut]);
    params[`${layer}/bias`] = tf.linspace(-0.8, 0.8, fanOut);
    info[`${layer}/kernel`] = inferParamInfo(`${layer}/kernel`, [fanIn, fanOut]);
    info[`${layer}/bias`] = inferParamInfo(`${layer}/bias`, [fanOut]);
  };
  dense('stem', spec.input, spec.width);
  const branches: string[][] = [];
  for (let b = 0; b < spec.blocks; b++) {
    const branch: string[] = [];
    for (let j = 1; j <= spec.m; j++) {
      const layer = `block${b}/dense${j}`;
      dense(layer, spec.width, spec.width);
      branch.push(layer);
    }
    params[`block${b}/multiplier`] = tf.scalar(3);
    info[`block${b}/multiplier`] = {
      role: 'scale',
      layer: `block${b}`,
      layout: 'vector',
      fanIn: 1,
      fanOut: 1,
    };
    branches.push(branch);
  }
  dense('head', spec.width, spec.output);
  const apply: ApplyFn = (p, x, opts) =>
    tf.tidy(() => {
      const layer = (name: string, h: tf.Tensor) => {
        const z = tf.add(tf.matMul(h, p[`${name}/kernel`]!), p[`${name}/bias`]!);
        return opts?.tap ? opts.tap(name, z) : z;
      };
      let h = tf.relu(layer('stem', x));
      branches.forEach((branch, b) => {
        let r = h;
        branch.forEach((name, j) => {
          const z = layer(name, r);
          r = j === branch.length - 1 ? z : tf.relu(z);
        });
        h = tf.relu(tf.add(h, tf.mul(r, p[`block${b}/multiplier`]!)));
      });
      return layer('head', h);
    });
  return { model: { params, info, apply }, branches };
}

/** A model whose `apply` never calls `tap`. */
export function untappedModel(): Model {
  const params: Params = { 'd/kernel': tf.ones([2, 2]) };
  return {
    params,
    info: { 'd/kernel': inferParamInfo('d/kernel', [2, 2]) },
    apply: (p, x) => tf.matMul(x, p['d/kernel']!),
  };
}
