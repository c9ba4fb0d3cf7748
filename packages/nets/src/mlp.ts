import * as tf from '@tensorflow/tfjs-core';
import { DescentError, type Rng, describeValue } from '@descent/core';
import { type Activation, activate } from './activation';
import { readApplyOptions } from './apply-options';
import { buildParams, checkApplyParams, checkInput, dropout, shapesOf } from './builder';
import { denseLayer } from './dense-layer';
import { type InitFn, type InitSpec, type WeightInit, resolveInit } from './init-spec';
import type { Net } from './net';
import {
  type NormSpec,
  type ResolvedNorm,
  applyNorm,
  normLayerName,
  resolveNorm,
} from './norm-spec';
import {
  type SeedOptions,
  checkActivation,
  checkDropout,
  checkPositiveInteger,
  readOptions,
  rootRng,
} from './options';

/** Options of {@link mlp}. */
export interface MlpOptions extends SeedOptions {
  /** Layer widths `[input, hidden₁, …, output]`: at least 2 positive integers. */
  sizes: readonly number[];
  /** The hidden layers' nonlinearity (the output layer is linear). Default `'relu'`. */
  activation?: Activation;
  /** Weight init (see {@link InitSpec}). Default He normal for the ReLU family, Glorot uniform otherwise. */
  init?: InitSpec;
  /** Normalization after each hidden layer's affine map (see {@link NormSpec}). Default `'none'`. */
  norm?: NormSpec;
  /** Identity skip `h ← h + φ(z)` on every hidden layer whose input and output widths are equal. Default `false`. */
  residual?: boolean;
  /** Dropout rate in [0, 1) after each hidden activation, training mode only. Default 0. */
  dropout?: number;
}

const MLP_KEYS = ['sizes', 'activation', 'init', 'norm', 'residual', 'dropout', 'seed'] as const;

/**
 * A multilayer perceptron `x ↦ W_L·φ(… φ(W₁x + b₁) …) + b_L` as a functional core `Model`.
 *
 * Layer `l` (1-based) is `dense{l}`: kernel `dense{l}/kernel` `[sizes[l−1], sizes[l]]` (tfjs
 * layout), bias `dense{l}/bias` (zeros). Each hidden layer computes `z = hW + b`, calls
 * `tap('dense{l}', z)`, then the optional norm (`dense{l}_bn` / `dense{l}_ln`, no bias before it),
 * the activation, the optional residual add and the optional dropout. The last layer is linear
 * (logits). Weights are drawn from `new Rng(seed).child(key)` by the `init` scheme, so the same
 * seed gives bit-identical parameters on every backend.
 *
 * `apply(params, x, { training, tap, stats, rng })` takes `x` `[N, sizes[0]]` and returns
 * `[N, sizes[L]]`. Dropout (inverted, rate `p`, masks drawn in JavaScript from the net's own
 * `Rng` — `new Rng(seed).child('dropout')`, advanced by each training call — or from
 * `options.rng`) and batch norm's batch statistics are active only with `training: true`; batch
 * norm's running statistics live in `params` (role `'stat'`) and are updated through
 * `options.stats` (see {@link NetApplyOptions}).
 *
 * @param options - `sizes` (required), `activation` (`'relu'`), `init`, `norm` (`'none'`),
 *   `residual` (false), `dropout` (0), `seed` (0).
 * @returns a {@link Net}; the caller owns (and disposes) `net.params`.
 * @throws DescentError `BAD_HYPERPARAM` (fewer than 2 sizes, a non-integer or non-positive width,
 *   a dropout rate outside [0, 1)), `BAD_ARGUMENT` (unknown activation, init or norm),
 *   `UNKNOWN_PARAM` (an unknown option) — before any tensor is made; for what a custom `init`
 *   returns, `BAD_ARGUMENT` (no tensor), `DISPOSED`, `DTYPE_MISMATCH` (not float32) or
 *   `SHAPE_MISMATCH`, naming the parameter, after freeing what was made. The net keeps copies of
 *   what `init` returns (see {@link InitFn}). `apply` throws as described in {@link Net}.
 * @example
 * ```ts
 * const net = mlp({ sizes: [784, 256, 10], activation: 'relu', dropout: 0.1, seed: 1 });
 * const logits = net.apply(net.params, x, { training: true });
 * ```
 * @see D. E. Rumelhart, G. E. Hinton, R. J. Williams, Learning representations by
 *   back-propagating errors, Nature 1986; survey §4 (Sun, 2019).
 */
export function mlp(options: MlpOptions): Net {
  return denseNet('mlp', options);
}

/** {@link mlp} with another function name in messages and another default init. Internal. */
export function denseNet(
  fn: string,
  options: MlpOptions,
  fallbackInit?: (a: Activation) => WeightInit,
): Net {
  if (options === undefined) {
    throw new DescentError('BAD_ARGUMENT', `${fn}: options with sizes are required.`);
  }
  const o = readOptions(fn, options, MLP_KEYS);
  const sizes = checkSizes(fn, o.sizes);
  const activation = checkActivation(`${fn}: options.activation`, o.activation ?? 'relu');
  const init = resolveInit(fn, o.init, activation, fallbackInit?.(activation));
  const norm = resolveNorm(fn, o.norm);
  const residual = o.residual ?? false;
  if (typeof residual !== 'boolean') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: options.residual must be a boolean, got ${describeValue(residual)}.`,
    );
  }
  const rate = checkDropout(`${fn}: options.dropout`, o.dropout ?? 0);
  const root = rootRng(fn, o.seed);
  const L = sizes.length - 1;
  const layers = Array.from({ length: L }, (_, i) => `dense${i + 1}`);
  const { params, info } = buildParams(root, init, (b) => {
    layers.forEach((layer, i) => {
      const hidden = i < L - 1;
      const normed = hidden && norm.type !== 'none';
      b.dense(layer, sizes[i] as number, sizes[i + 1] as number, !normed);
      if (normed) b.norm(layer, norm, sizes[i + 1] as number);
    });
  });
  const shapes = shapesOf(params);
  const dropoutRng = root.child('dropout');
  return {
    params,
    info,
    layers,
    apply(p, x, opts) {
      const a = readApplyOptions(`${fn}.apply`, opts);
      checkApplyParams(`${fn}.apply`, shapes, p);
      checkInput(`${fn}.apply`, x, [sizes[0] as number], `[N, ${sizes[0]}]`);
      const rng: Rng | undefined = a.training && rate > 0 ? (a.rng ?? dropoutRng) : undefined;
      const plainTap = opts?.tap === undefined;
      return tf.tidy(() => {
        let h = x;
        for (let i = 0; i < L; i++) {
          const layer = layers[i] as string;
          const kernel = p[`${layer}/kernel`] as tf.Tensor;
          const bias = shapes[`${layer}/bias`] !== undefined ? p[`${layer}/bias`] : undefined;
          const tap = plainTap ? undefined : (z: tf.Tensor) => a.tap(layer, z);
          if (i === L - 1) return denseLayer(h, kernel, bias, 'linear', tap);
          let out =
            norm.type === 'none'
              ? denseLayer(h, kernel, bias, activation, tap)
              : activate(
                  hiddenNorm(
                    layer,
                    norm,
                    p,
                    denseLayer(h, kernel, bias, 'linear', tap),
                    a.training,
                    a.stats,
                  ),
                  activation,
                );
          if (residual && sizes[i] === sizes[i + 1]) out = tf.add(h, out);
          if (rng !== undefined) out = dropout(out, rate, rng);
          h = out;
        }
        return h;
      });
    },
  };
}

function hiddenNorm(
  layer: string,
  norm: ResolvedNorm,
  p: Record<string, tf.Tensor>,
  z: tf.Tensor,
  training: boolean,
  stats: Record<string, tf.Tensor> | undefined,
): tf.Tensor {
  if (norm.type === 'none') return z;
  return applyNorm(normLayerName(layer, norm), norm, p, z, training, stats);
}

function checkSizes(fn: string, sizes: unknown): number[] {
  if (!Array.isArray(sizes) || sizes.length < 2) {
    throw new DescentError(
      'BAD_HYPERPARAM',
      `${fn}: options.sizes must list at least 2 layer widths [input, …, output], got ${describeValue(sizes)}.`,
    );
  }
  sizes.forEach((s, i) => {
    checkPositiveInteger(`${fn}: options.sizes[${i}]`, s);
  });
  return [...sizes] as number[];
}
