import * as tf from '@tensorflow/tfjs-core';
import { formatShape, segmentNorm, segmentNormPath } from '@descent/core';
import { broadcastShape, resolveAxes } from './axes';
import { type AffineParams, checkAffine, checkInput, epsilonOption, readOptions } from './checks';
import { emptyOutput } from './empty-input';
import { moments, normalizeAffine } from './normalize';

/** Options of {@link layerNorm}. */
export interface LayerNormOptions {
  /** The axis or axes normalized over (per sample). Default `-1` (the features). */
  axis?: number | number[];
  /** Added to the variance inside the square root. Default `1e-3` (Keras; torch uses `1e-5`). */
  epsilon?: number;
}

const KNOWN = ['axis', 'epsilon'] as const;

/**
 * Layer normalization (Ba, Kiros & Hinton, 2016): every sample is normalized over `axis`,
 * `y = γ·(x − μ)/√(σ² + ε) + β` with `μ`, `σ²` (biased) taken over the axes in `axis` and
 * separately for every index of the other axes. No running statistics: training and inference
 * are the same.
 *
 * `gamma` and `beta` have the shape of `x` on the normalized axes, in increasing axis order
 * (Keras' `LayerNormalization`): `[C]` for the default `axis: -1`, `[H, W, C]` for
 * `axis: [1, 2, 3]` on NHWC. Omit them for no scale/shift.
 *
 * Over the last axis only (the default), on wasm and webgpu, it runs descent's fused
 * segment-norm kernels (`segmentNorm` of `@descent/core`: one generated WASM-SIMD module call or
 * one WebGPU dispatch forward, and a fused backward through `tf.customGrad`); elsewhere, and for
 * other axes, the composable tfjs-ops version. Both compute the same function (tested to rtol
 * 1e-5). The fused gradient is first-order only; inside `withSecondOrder` of `@descent/core` (which
 * `@descent/landscape`'s `hvp` uses) the composable path runs instead, so gradients of gradients
 * are exact on every backend.
 *
 * An `x` without elements gives an empty result whose gradients are zero, on every backend.
 *
 * @throws DescentError `SHAPE_MISMATCH` (γ or β of the wrong shape), `BAD_HYPERPARAM` (bad or
 * repeated axis, ε ≤ 0), `NON_FINITE` (a NaN or ±∞ option), `BAD_ARGUMENT` (a non-tensor, params
 * or options not a plain object), `DTYPE_MISMATCH`, `DISPOSED`, `UNKNOWN_PARAM`.
 *
 * @example
 * ```ts
 * const y = layerNorm(h, { gamma: tf.ones([128]), beta: tf.zeros([128]) });   // h: [N, 128]
 * ```
 */
export function layerNorm(
  x: tf.Tensor,
  params: AffineParams,
  options: LayerNormOptions = {},
): tf.Tensor {
  const read = readOptions('layerNorm', options, KNOWN);
  checkInput('layerNorm: x', x, 1, 'the axes to normalize given by options.axis');
  const axes = resolveAxes(read.name('axis'), read.raw('axis') ?? -1, x.shape);
  const epsilon = epsilonOption(read);
  const shape = axes.map((a) => x.shape[a] as number);
  checkAffine(
    'layerNorm: params',
    params,
    shape,
    `x ${formatShape(x.shape)} on the normalized axes [${axes.join(', ')}]`,
  );
  if (x.size === 0) return emptyOutput(x, [params.gamma, params.beta]);
  const channels = x.shape[x.rank - 1] as number;
  if (axes.length === 1 && axes[0] === x.rank - 1 && segmentNormPath() !== 'reference') {
    const layout = { outer: x.size / channels, spatial: 1, groups: 1, groupSize: channels };
    return segmentNorm(x, params.gamma, params.beta, layout, epsilon);
  }
  return layerNormReference(x, params, axes, epsilon);
}

/**
 * The composable tfjs-ops layer norm (the reference the fused path is tested against, and the
 * path on cpu): `axes` resolved and sorted, arguments already validated. Internal.
 */
export function layerNormReference(
  x: tf.Tensor,
  params: AffineParams,
  axes: readonly number[],
  epsilon: number,
): tf.Tensor {
  return tf.tidy(() => {
    const { mean, variance } = moments(x, axes);
    return normalizeAffine(x, mean, variance, epsilon, params, broadcastShape(x.shape, axes));
  });
}
