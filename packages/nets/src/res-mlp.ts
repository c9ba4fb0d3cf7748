import * as tf from '@tensorflow/tfjs-core';
import { DescentError, type Model, type Params, disposeParams } from '@descent/core';
import { fixup } from '@descent/init';
import { type Activation, activate } from './activation';
import { readApplyOptions } from './apply-options';
import { buildParams, checkApplyParams, checkInput, shapesOf } from './builder';
import { denseLayer } from './dense-layer';
import { type InitSpec, resolveInit } from './init-spec';
import type { Net } from './net';
import { type NormSpec, applyNorm, normLayerName, resolveNorm } from './norm-spec';
import {
  type SeedOptions,
  checkActivation,
  checkPositiveInteger,
  readOptions,
  rootRng,
} from './options';

/** Options of {@link resMlp}. */
export interface ResMlpOptions extends SeedOptions {
  /** Input features. */
  inputDim: number;
  /** Outputs (logits). */
  outputDim: number;
  /** Width of the residual stream and of every block's layers. */
  width: number;
  /** Number of residual blocks `L ≥ 1` (two dense layers each). */
  depth: number;
  /** Nonlinearity. Default `'relu'`. */
  activation?: Activation;
  /**
   * `'fixup'` (Zhang et al., 2019: the last layer of every branch and the head start at zero, the
   * first layer of every branch is He × `L^(−1/2)`, plus a scalar multiplier per branch) or any
   * {@link InitSpec}. Default `'fixup'` without norm, He normal (ReLU family) / Glorot with one.
   */
  init?: 'fixup' | InitSpec;
  /** Normalization after every dense layer of the stem and the blocks. Default `'none'`. */
  norm?: NormSpec;
}

const KEYS = [
  'inputDim',
  'outputDim',
  'width',
  'depth',
  'activation',
  'init',
  'norm',
  'seed',
] as const;

/** A residual MLP together with its residual branches (weight layer names, for `fixup`). */
export interface ResMlpNet extends Net {
  /** For each block, its weight layers in forward order (`[['block1/dense1', 'block1/dense2'], …]`). */
  branches: readonly (readonly string[])[];
}

/**
 * A residual MLP (He et al.'s ResNet block on dense layers):
 * ```
 * h₀ = φ(N(stem(x)))
 * hᵦ = φ(hᵦ₋₁ + m_b · N(dense2ᵦ(φ(N(dense1ᵦ(hᵦ₋₁))))))   for b = 1 … depth
 * y  = head(h_depth)
 * ```
 * with `N` the optional norm and `m_b` a scalar `block{b}/multiplier` (role `'scale'`, 1 at init)
 * that exists only with Fixup. Parameters: `stem/kernel` `[inputDim, width]`,
 * `block{b}/dense{1,2}/kernel` `[width, width]`, `head/kernel` `[width, outputDim]`, their biases
 * (zeros; none before a norm) and norm parameters `…_bn/*` / `…_ln/*`. `tap` sees `stem`,
 * `block1/dense1`, `block1/dense2`, …, `head`.
 *
 * With `init: 'fixup'` (the default without norm) the weights come from `@descent/init`'s
 * `fixup` (rules 1–3 of Zhang, Dauphin & Ma 2019 with `L = depth` branches of `m = 2` layers:
 * zero last branch layers and head, He normal × `L^(−1/(2m−2)) = L^(−1/2)` first branch layers,
 * He normal stem, scalar multipliers 1); per-unit biases stand in for the paper's scalar biases.
 * Fixup replaces normalization, so it cannot be combined with `norm`.
 *
 * @param options - `inputDim`, `outputDim`, `width`, `depth` (required), `activation`, `init`,
 *   `norm`, `seed` (0).
 * @returns a {@link ResMlpNet} (with `branches`); the caller owns `net.params`.
 * @throws DescentError `BAD_HYPERPARAM` (non-integer or non-positive sizes), `BAD_ARGUMENT`
 *   (unknown activation/init/norm, Fixup with a norm), `UNKNOWN_PARAM` — before any tensor is made.
 * @example
 * ```ts
 * const net = resMlp({ inputDim: 2, outputDim: 2, width: 64, depth: 8, seed: 0 }); // Fixup
 * ```
 * @see K. He, X. Zhang, S. Ren, J. Sun, Deep Residual Learning, CVPR 2016; H. Zhang, Y. Dauphin,
 *   T. Ma, Fixup Initialization, ICLR 2019; survey §4.3 (Sun, 2019).
 */
export function resMlp(options: ResMlpOptions): ResMlpNet {
  const fn = 'resMlp';
  if (options === undefined) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: options (inputDim, outputDim, width, depth) are required.`,
    );
  }
  const o = readOptions(fn, options, KEYS);
  const inputDim = checkPositiveInteger(`${fn}: options.inputDim`, o.inputDim);
  const outputDim = checkPositiveInteger(`${fn}: options.outputDim`, o.outputDim);
  const width = checkPositiveInteger(`${fn}: options.width`, o.width);
  const depth = checkPositiveInteger(`${fn}: options.depth`, o.depth);
  const activation = checkActivation(`${fn}: options.activation`, o.activation ?? 'relu');
  const norm = resolveNorm(fn, o.norm);
  const useFixup = o.init === 'fixup' || (o.init === undefined && norm.type === 'none');
  if (useFixup && norm.type !== 'none') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: init 'fixup' trains residual nets without normalization; it cannot be combined with norm '${norm.type}'.`,
    );
  }
  const init = useFixup ? undefined : resolveInit(fn, o.init, activation);
  const root = rootRng(fn, o.seed);
  const branches = Array.from({ length: depth }, (_, b) => [
    `block${b + 1}/dense1`,
    `block${b + 1}/dense2`,
  ]);
  const layers = ['stem', ...branches.flat(), 'head'];
  const hasNorm = norm.type !== 'none';
  const built = buildParams(
    root,
    init ?? ((shape) => tf.zeros([...shape])), // Fixup draws the real values below
    (b) => {
      b.dense('stem', inputDim, width, !hasNorm);
      b.norm('stem', norm, width);
      branches.forEach((branch, i) => {
        for (const layer of branch) {
          b.dense(layer, width, width, !hasNorm);
          b.norm(layer, norm, width);
        }
        if (useFixup) {
          b.constant(`block${i + 1}/multiplier`, [], 1, {
            role: 'scale',
            layer: `block${i + 1}`,
            layout: 'vector',
            fanIn: 1,
            fanOut: 1,
          });
        }
      });
      b.dense('head', width, outputDim);
    },
  );
  let params: Params = built.params;
  const info = built.info;
  const forward = (p: Params, x: tf.Tensor, opts: Parameters<Net['apply']>[2]) => {
    const a = readApplyOptions(`${fn}.apply`, opts);
    checkApplyParams(`${fn}.apply`, shapes, p);
    checkInput(`${fn}.apply`, x, [inputDim], `[N, ${inputDim}]`);
    const plainTap = opts?.tap === undefined;
    return tf.tidy(() => {
      const tapOf = (name: string) => (plainTap ? undefined : (z: tf.Tensor) => a.tap(name, z));
      const layer = (name: string, h: tf.Tensor, act: Activation) => {
        const kernel = p[`${name}/kernel`] as tf.Tensor;
        if (!hasNorm) return denseLayer(h, kernel, p[`${name}/bias`], act, tapOf(name));
        const z = denseLayer(h, kernel, undefined, 'linear', tapOf(name));
        const normed = applyNorm(normLayerName(name, norm), norm, p, z, a.training, a.stats);
        return activate(normed, act);
      };
      let h = layer('stem', x, activation);
      branches.forEach((branch, i) => {
        let r = layer(branch[1] as string, layer(branch[0] as string, h, activation), 'linear');
        if (useFixup) r = tf.mul(r, p[`block${i + 1}/multiplier`] as tf.Tensor);
        h = activate(tf.add(h, r), activation);
      });
      return denseLayer(h, p['head/kernel'] as tf.Tensor, p['head/bias'], 'linear', tapOf('head'));
    });
  };
  const shapes = shapesOf(params);
  if (useFixup) {
    const placeholder: Model = { params, info, apply: forward };
    try {
      params = fixup(placeholder, {
        branches,
        classifier: 'head',
        rng: root,
        ...(activation === 'leakyRelu' ? { nonlinearity: 'leakyRelu' as const } : {}),
      });
    } finally {
      disposeParams(placeholder.params);
    }
  }
  return { params, info, layers, branches, apply: forward };
}
