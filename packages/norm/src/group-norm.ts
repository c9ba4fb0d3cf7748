import * as tf from '@tensorflow/tfjs-core';
import { DescentError, formatShape, segmentNorm, segmentNormPath } from '@descent/core';
import { type AffineParams, checkAffine, checkInput, epsilonOption, readOptions } from './checks';
import { emptyOutput } from './empty-input';
import { affine, moments } from './normalize';

/** Options of {@link groupNorm}. */
export interface GroupNormOptions {
  /** Number of channel groups `G`; must divide the channel count `C`. Default `32` (Wu & He; Keras). */
  groups?: number;
  /** Added to the variance inside the square root. Default `1e-3` (Keras; torch uses `1e-5`). */
  epsilon?: number;
}

/**
 * Group normalization (Wu & He, 2018), channels-last: the `C` channels of `x` (`[N, …spatial, C]`,
 * NHWC for images, or `[N, C]`) are split into `G` groups of `C/G` consecutive channels, and every
 * sample and group is normalized over its spatial positions and channels,
 * `y = γ_c·(x − μ_{n,g})/√(σ²_{n,g} + ε) + β_c` (biased variance). No running statistics.
 * `G = 1` is layer norm over (spatial, C); `G = C` is {@link instanceNorm}. `gamma` and `beta`
 * have shape `[C]`; omit them for no scale/shift.
 *
 * On wasm and webgpu it runs descent's fused segment-norm kernels (`segmentNorm` of
 * `@descent/core`, layout `[N, H·W, G, C/G]`: one generated WASM-SIMD module call or one WebGPU
 * dispatch forward, and a fused backward through `tf.customGrad`); elsewhere the composable
 * tfjs-ops version. Both compute the same function (tested to rtol 1e-5). The fused gradient is
 * first-order only; inside `withSecondOrder` of `@descent/core` (which `@descent/landscape`'s
 * `hvp` uses) the composable path runs instead, so gradients of gradients are exact on every
 * backend.
 *
 * An `x` without elements (an empty batch) gives an empty result whose gradients are zero, on
 * every backend.
 *
 * @throws DescentError `BAD_HYPERPARAM` when `groups` does not divide `C` (naming both) or is not
 * an integer ≥ 1, or ε ≤ 0; `NON_FINITE` (a NaN or ±∞ option); `SHAPE_MISMATCH` (rank < 2, γ or
 * β not `[C]`); `BAD_ARGUMENT` (a non-tensor, params or options not a plain object);
 * `DTYPE_MISMATCH`, `DISPOSED`, `UNKNOWN_PARAM`.
 *
 * @example
 * ```ts
 * const y = groupNorm(feature, { gamma: tf.ones([64]), beta: tf.zeros([64]) }, { groups: 8 });
 * ```
 */
export function groupNorm(
  x: tf.Tensor,
  params: AffineParams,
  options: GroupNormOptions = {},
): tf.Tensor {
  const read = readOptions('groupNorm', options, ['groups', 'epsilon']);
  checkInput('groupNorm: x', x, 2, '[N, …spatial, C] (e.g. NHWC) or [N, C]');
  const groups = read.integer('groups', 32, { min: 1 });
  const epsilon = epsilonOption(read);
  const channels = x.shape[x.rank - 1] as number;
  if (channels % groups !== 0) {
    throw new DescentError(
      'BAD_HYPERPARAM',
      `${read.name('groups')} = ${groups} does not divide the C = ${channels} channels of x ` +
        `${formatShape(x.shape)}; choose a divisor of ${channels}.`,
    );
  }
  checkAffine(
    'groupNorm: params',
    params,
    [channels],
    `one per channel of x ${formatShape(x.shape)}`,
  );
  if (x.size === 0) return emptyOutput(x, [params.gamma, params.beta]);
  if (segmentNormPath() !== 'reference') {
    const layout = {
      outer: x.shape[0] as number,
      spatial: x.size / (x.shape[0] as number) / channels,
      groups,
      groupSize: channels / groups,
    };
    return segmentNorm(x, params.gamma, params.beta, layout, epsilon);
  }
  return groupNormReference(x, params, groups, epsilon);
}

/**
 * The composable tfjs-ops group norm (the reference the fused path is tested against, and the
 * path on cpu); arguments already validated. Internal.
 */
export function groupNormReference(
  x: tf.Tensor,
  params: AffineParams,
  groups: number,
  epsilon: number,
): tf.Tensor {
  const channels = x.shape[x.rank - 1] as number;
  return tf.tidy(() => {
    const n = x.shape[0] as number;
    const spatial = x.shape.slice(1, -1).reduce((p, d) => p * d, 1);
    const grouped = tf.reshape(x, [n, spatial, groups, channels / groups]);
    const { mean, variance } = moments(grouped, [1, 3]);
    const xHat = tf.div(tf.sub(grouped, mean), tf.sqrt(tf.add(variance, epsilon)));
    const paramShape = x.shape.map((d, i) => (i === x.rank - 1 ? d : 1));
    return affine(tf.reshape(xHat, x.shape), params, paramShape);
  });
}
