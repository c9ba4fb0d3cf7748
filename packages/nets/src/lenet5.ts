import * as tf from '@tensorflow/tfjs-core';
import {
  DescentError,
  type Rng,
  describeValue,
  formatShape,
  registerWasmConv2DBackpropFilter,
} from '@descent/core';
import { type Activation, activate } from './activation';
import { readApplyOptions } from './apply-options';
import { buildParams, checkApplyParams, checkInputTensor, dropout, shapesOf } from './builder';
import { denseLayer } from './dense-layer';
import { type InitSpec, resolveInit } from './init-spec';
import type { Net } from './net';
import { type SeedOptions, checkActivation, checkDropout, readOptions, rootRng } from './options';

/** Options of {@link lenet5}. */
export interface Lenet5Options extends SeedOptions {
  /** Nonlinearity after every layer but the last. Default `'relu'`. */
  activation?: Activation;
  /** Subsampling: `'max'` (default, the modern choice) or `'avg'` (LeCun et al.'s averaging). */
  pooling?: 'max' | 'avg';
  /** Weight init. Default He normal for the ReLU family, Glorot uniform otherwise. */
  init?: InitSpec;
  /** Dropout rate after the two hidden dense layers, training only. Default 0. */
  dropout?: number;
}

/**
 * LeNet-5 for 28×28 grey images (LeCun et al., 1998), modernized as usual (ReLU, max pooling,
 * full C3 connectivity, a linear 10-way output):
 *
 * | layer | op | output |
 * | --- | --- | --- |
 * | `conv1` | 5×5 conv, 6 filters, **`'same'`** padding, stride 1 | 28×28×6 |
 * | pool | 2×2, stride 2 | 14×14×6 |
 * | `conv2` | 5×5 conv, 16 filters, **`'valid'`** padding | 10×10×16 |
 * | pool | 2×2, stride 2 | 5×5×16 → flatten (h, w, c order) 400 |
 * | `dense1`, `dense2`, `dense3` | 400 → 120 → 84 → 10 | logits |
 *
 * Padding: the original network reads 32×32 inputs with `'valid'` convolutions; padding the 28×28
 * MNIST digit by 2 on each side (`'same'` for a 5×5 kernel) reproduces its 28×28 C1 and 5×5×16 S4
 * maps exactly, so every later layer keeps LeCun's sizes (61 706 parameters). Kernels are tfjs
 * `[kh, kw, in, out]`; biases zero.
 *
 * `apply(params, x)` takes `x` `[N, 28, 28, 1]` or flattened `[N, 784]`; `tap` sees `conv1`,
 * `conv2` (`[N, H, W, C]` pre-activations), `dense1`, `dense2`, `dense3`.
 *
 * Building it calls core's `registerWasmConv2DBackpropFilter()` (idempotent), because
 * tfjs-backend-wasm 4.22 has no filter gradient for `conv2d`; with it, LeNet-5 trains on wasm too.
 *
 * @param options - `seed` (0), `activation` (`'relu'`), `pooling` (`'max'`), `init`, `dropout` (0).
 * @returns a {@link Net}; the caller owns `net.params`.
 * @throws DescentError `BAD_ARGUMENT` (unknown activation, pooling or init), `BAD_HYPERPARAM`
 *   (dropout outside [0, 1)), `UNKNOWN_PARAM`; `apply` throws `SHAPE_MISMATCH` for other inputs.
 * @example
 * ```ts
 * const net = lenet5({ seed: 0 });
 * const logits = net.apply(net.params, tf.reshape(x, [-1, 28, 28, 1])); // [N, 10]
 * ```
 * @see Y. LeCun, L. Bottou, Y. Bengio, P. Haffner, Gradient-based learning applied to document
 *   recognition, Proc. IEEE 1998.
 */
export function lenet5(options?: Lenet5Options): Net {
  const fn = 'lenet5';
  const o = readOptions(fn, options, ['seed', 'activation', 'pooling', 'init', 'dropout']);
  const activation = checkActivation(`${fn}: options.activation`, o.activation ?? 'relu');
  const pooling = o.pooling ?? 'max';
  if (pooling !== 'max' && pooling !== 'avg') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: options.pooling must be 'max' or 'avg', got ${describeValue(pooling)}.`,
    );
  }
  const init = resolveInit(fn, o.init, activation);
  const rate = checkDropout(`${fn}: options.dropout`, o.dropout ?? 0);
  const root = rootRng(fn, o.seed);
  registerWasmConv2DBackpropFilter();
  const layers = ['conv1', 'conv2', 'dense1', 'dense2', 'dense3'];
  const { params, info } = buildParams(root, init, (b) => {
    b.conv('conv1', 5, 5, 1, 6);
    b.conv('conv2', 5, 5, 6, 16);
    b.dense('dense1', 400, 120);
    b.dense('dense2', 120, 84);
    b.dense('dense3', 84, 10);
  });
  const shapes = shapesOf(params);
  const dropoutRng = root.child('dropout');
  const pool = (h: tf.Tensor4D) =>
    pooling === 'max' ? tf.maxPool(h, 2, 2, 'valid') : tf.avgPool(h, 2, 2, 'valid');
  return {
    params,
    info,
    layers,
    apply(p, x, opts) {
      const a = readApplyOptions(`${fn}.apply`, opts);
      checkApplyParams(`${fn}.apply`, shapes, p);
      checkImages(`${fn}.apply`, x);
      const rng: Rng | undefined = a.training && rate > 0 ? (a.rng ?? dropoutRng) : undefined;
      const plainTap = opts?.tap === undefined;
      return tf.tidy(() => {
        const conv = (layer: string, h: tf.Tensor4D, pad: 'same' | 'valid') => {
          const z = tf.add(
            tf.conv2d(h, p[`${layer}/kernel`] as tf.Tensor4D, 1, pad),
            p[`${layer}/bias`] as tf.Tensor,
          );
          return pool(activate(a.tap(layer, z), activation) as tf.Tensor4D);
        };
        const dense = (layer: string, h: tf.Tensor, act: Activation) =>
          denseLayer(
            h,
            p[`${layer}/kernel`] as tf.Tensor,
            p[`${layer}/bias`] as tf.Tensor,
            act,
            plainTap ? undefined : (z) => a.tap(layer, z),
          );
        const images = x.rank === 2 ? tf.reshape(x, [-1, 28, 28, 1]) : x;
        let h: tf.Tensor = conv('conv1', images as tf.Tensor4D, 'same');
        h = conv('conv2', h as tf.Tensor4D, 'valid');
        h = tf.reshape(h, [-1, 400]);
        for (const layer of ['dense1', 'dense2']) {
          h = dense(layer, h, activation);
          if (rng !== undefined) h = dropout(h, rate, rng);
        }
        return dense('dense3', h, 'linear');
      });
    },
  };
}

function checkImages(fn: string, x: unknown): void {
  checkInputTensor(fn, x, '[N, 28, 28, 1] or [N, 784]');
  const ok =
    (x.rank === 4 && x.shape[1] === 28 && x.shape[2] === 28 && x.shape[3] === 1) ||
    (x.rank === 2 && x.shape[1] === 784);
  if (!ok) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `${fn}: x must be [N, 28, 28, 1] images or [N, 784] flattened ones, got ${formatShape(x.shape)}.`,
    );
  }
}
