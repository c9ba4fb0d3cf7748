import * as tf from '@tensorflow/tfjs-core';
import { DescentError, checkNumber, describeValue } from '@descent/core';
import { type Activation, activate } from './activation';
import { readApplyOptions } from './apply-options';
import { buildParams, checkApplyParams, checkInput, shapesOf } from './builder';
import { denseLayer } from './dense-layer';
import type { Net } from './net';
import {
  type SeedOptions,
  checkActivation,
  checkPositiveInteger,
  readOptions,
  rootRng,
} from './options';

/** Options of {@link wideMlp}. */
export interface WideMlpOptions extends SeedOptions {
  /** Input dimension `d`. */
  inputDim: number;
  /** Output dimension. Default 1. */
  outputDim?: number;
  /** Width `n` of every hidden layer. */
  width: number;
  /** Number of hidden layers `≥ 1`. */
  depth: number;
  /** `'ntk'` (default) or `'standard'`. */
  parameterization?: 'ntk' | 'standard';
  /** Hidden nonlinearity. Default `'relu'`. */
  activation?: Activation;
  /** `σ_w > 0`. Default 1. */
  weightStd?: number;
  /** `σ_b ≥ 0`, or `null` for no bias parameters at all. Default 0 (biases present, scaled by 0 under NTK). */
  biasStd?: number | null;
}

const KEYS = [
  'inputDim',
  'outputDim',
  'width',
  'depth',
  'parameterization',
  'activation',
  'weightStd',
  'biasStd',
  'seed',
] as const;

/**
 * A wide fully connected network in the **NTK** or the **standard** parameterization, as in
 * neural-tangents' `stax.Dense` — the model behind infinite-width (NNGP/NTK) kernels.
 *
 * With `n_l` the fan-in of layer `l` (`d`, then `width`):
 * - `'ntk'` (Jacot et al., 2018): parameters `W ~ N(0, 1)`, `b ~ N(0, 1)`, and the forward pass
 *   scales them, `z = (σ_w/√n_l)·h·W + σ_b·b`;
 * - `'standard'`: `W ~ N(0, σ_w²/n_l)`, `b ~ N(0, σ_b²)`, `z = h·W + b`.
 *
 * Both give the same function at initialization (same seed → same `z`); they differ in how
 * gradients scale with the width (under NTK the training dynamics converge to kernel gradient
 * descent with the NTK as `width → ∞`). Layers `dense1 … dense{depth+1}`, hidden ones followed by
 * the activation, the last linear. Draws are untruncated normals from
 * `new Rng(seed).child(key)`. `tap` sees each scaled pre-activation `z`.
 *
 * @param options - `inputDim`, `width`, `depth` (required), `outputDim` (1), `parameterization`
 *   (`'ntk'`), `activation` (`'relu'`), `weightStd` (1), `biasStd` (0), `seed` (0).
 * @returns a {@link Net}; the caller owns `net.params`.
 * @throws DescentError `BAD_HYPERPARAM` (bad sizes or standard deviations), `BAD_ARGUMENT`
 *   (unknown parameterization or activation), `UNKNOWN_PARAM`.
 * @example
 * ```ts
 * const net = wideMlp({ inputDim: 2, width: 4096, depth: 1, parameterization: 'ntk', seed: 0 });
 * ```
 * @see A. Jacot, F. Gabriel, C. Hongler, Neural Tangent Kernel, NeurIPS 2018; R. Novak et al.,
 *   Neural Tangents, ICLR 2020; survey §6.1 (Sun, 2019).
 */
export function wideMlp(options: WideMlpOptions): Net {
  const fn = 'wideMlp';
  if (options === undefined) {
    throw new DescentError('BAD_ARGUMENT', `${fn}: options (inputDim, width, depth) are required.`);
  }
  const o = readOptions(fn, options, KEYS);
  const inputDim = checkPositiveInteger(`${fn}: options.inputDim`, o.inputDim);
  const outputDim = checkPositiveInteger(`${fn}: options.outputDim`, o.outputDim ?? 1);
  const width = checkPositiveInteger(`${fn}: options.width`, o.width);
  const depth = checkPositiveInteger(`${fn}: options.depth`, o.depth);
  const parameterization = o.parameterization ?? 'ntk';
  if (parameterization !== 'ntk' && parameterization !== 'standard') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: options.parameterization must be 'ntk' or 'standard', got ${describeValue(parameterization)}.`,
    );
  }
  const activation = checkActivation(`${fn}: options.activation`, o.activation ?? 'relu');
  const weightStd = o.weightStd ?? 1;
  checkNumber(`${fn}: options.weightStd`, weightStd, { min: 0, minExclusive: true });
  const biasStd = o.biasStd === undefined ? 0 : o.biasStd;
  if (biasStd !== null) checkNumber(`${fn}: options.biasStd`, biasStd, { min: 0 });
  const root = rootRng(fn, o.seed);
  const sizes = [inputDim, ...Array.from({ length: depth }, () => width), outputDim];
  const layers = Array.from({ length: depth + 1 }, (_, i) => `dense${i + 1}`);
  const ntk = parameterization === 'ntk';
  // Standard normal draws, scaled in float64 (then rounded once) for the standard parameterization.
  const draw = (key: string, shape: number[], std: number) => {
    const z = root.child(key).normalArray(shape.reduce((a, b) => a * b, 1));
    if (std !== 1) for (let i = 0; i < z.length; i++) z[i] = (z[i] as number) * std;
    return tf.tensor(z, shape);
  };
  const { params, info } = buildParams(
    root,
    (shape, c) => draw(c.name, [...shape], ntk ? 1 : weightStd / Math.sqrt(shape[0] as number)),
    (b) => {
      layers.forEach((layer, i) => {
        b.weight(`${layer}/kernel`, [sizes[i] as number, sizes[i + 1] as number], 'dense');
        if (biasStd !== null) {
          const key = `${layer}/bias`;
          const shape = [sizes[i + 1] as number];
          b.put(key, draw(key, shape, ntk ? 1 : biasStd), {
            role: 'bias',
            layer,
            layout: 'vector',
            fanIn: shape[0] as number,
            fanOut: shape[0] as number,
          });
        }
      });
    },
  );
  const shapes = shapesOf(params);
  return {
    params,
    info,
    layers,
    apply(p, x, opts) {
      const a = readApplyOptions(`${fn}.apply`, opts);
      checkApplyParams(`${fn}.apply`, shapes, p);
      checkInput(`${fn}.apply`, x, [inputDim], `[N, ${inputDim}]`);
      const plainTap = opts?.tap === undefined;
      return tf.tidy(() => {
        let h = x;
        layers.forEach((layer, i) => {
          const act = i === layers.length - 1 ? 'linear' : activation;
          if (!ntk) {
            const tap = plainTap ? undefined : (z: tf.Tensor) => a.tap(layer, z);
            const bias = biasStd === null ? undefined : p[`${layer}/bias`];
            h = denseLayer(h, p[`${layer}/kernel`] as tf.Tensor, bias, act, tap);
            return;
          }
          let z = tf.matMul(h, p[`${layer}/kernel`] as tf.Tensor);
          if (ntk) z = tf.mul(z, weightStd / Math.sqrt(sizes[i] as number));
          if (biasStd !== null) {
            const bias = p[`${layer}/bias`] as tf.Tensor;
            z = tf.add(z, ntk ? tf.mul(bias, biasStd) : bias);
          }
          z = a.tap(layer, z);
          h = i === layers.length - 1 ? z : activate(z, activation);
        });
        return h;
      });
    },
  };
}
