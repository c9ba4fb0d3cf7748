import * as tf from '@tensorflow/tfjs-core';
import { formatShape } from '@descent/core';
import { type AffineParams, checkAffine, checkInput, epsilonOption, readOptions } from './checks';
import { emptyOutput } from './empty-input';
import { moments, normalizeAffine } from './normalize';

/** Options of {@link instanceNorm}. */
export interface InstanceNormOptions {
  /** Added to the variance inside the square root. Default `1e-3`. */
  epsilon?: number;
}

/**
 * Instance normalization (Ulyanov, Vedaldi & Lempitsky, 2016), channels-last: for `x` of shape
 * `[N, …spatial, C]` (NHWC for images), every sample and channel is normalized over the spatial
 * axes, `y = γ_c·(x − μ_{n,c})/√(σ²_{n,c} + ε) + β_c` (biased variance). No running
 * statistics. `gamma` and `beta` have shape `[C]`; omit them for no scale/shift. It is
 * {@link groupNorm} with `groups = C`.
 *
 * An `x` without elements (an empty batch) gives an empty result whose gradients are zero, on
 * every backend.
 *
 * @throws DescentError `SHAPE_MISMATCH` (rank < 3, γ or β not `[C]`), `BAD_HYPERPARAM` (ε ≤ 0),
 * `NON_FINITE` (a NaN or ±∞ ε), `BAD_ARGUMENT` (a non-tensor, params or options not a plain
 * object), `DTYPE_MISMATCH`, `DISPOSED`, `UNKNOWN_PARAM`.
 *
 * @example
 * ```ts
 * const y = instanceNorm(images, { gamma: tf.ones([3]), beta: tf.zeros([3]) });  // images: [N, H, W, 3]
 * ```
 */
export function instanceNorm(
  x: tf.Tensor,
  params: AffineParams,
  options: InstanceNormOptions = {},
): tf.Tensor {
  const read = readOptions('instanceNorm', options, ['epsilon']);
  checkInput('instanceNorm: x', x, 3, '[N, …spatial, C] (e.g. NHWC)');
  const epsilon = epsilonOption(read);
  const channels = x.shape[x.rank - 1] as number;
  checkAffine(
    'instanceNorm: params',
    params,
    [channels],
    `one per channel of x ${formatShape(x.shape)}`,
  );
  if (x.size === 0) return emptyOutput(x, [params.gamma, params.beta]);
  return tf.tidy(() => {
    const spatial = Array.from({ length: x.rank - 2 }, (_, i) => i + 1);
    const { mean, variance } = moments(x, spatial);
    const paramShape = x.shape.map((d, i) => (i === x.rank - 1 ? d : 1));
    return normalizeAffine(x, mean, variance, epsilon, params, paramShape);
  });
}
