import * as tf from '@tensorflow/tfjs-core';
import { formatShape } from '@descent/core';
import { otherAxes } from './axes';
import { axisOption, checkInput, checkParamShape, readOptions } from './checks';
import { emptyOutput } from './empty-input';

/** Options of {@link weightNorm}. */
export interface WeightNormOptions {
  /**
   * The output-unit axis of `v`: one norm and one gain per index of it. Default `-1`, the output
   * units of tfjs dense `[in, out]` and conv `[kh, kw, in, out]` kernels (torch's `dim=0` for its
   * `[out, in, …]` layout).
   */
  axis?: number;
}

/**
 * Weight normalization (Salimans & Kingma, 2016): the reparameterization `W = g·v/‖v‖` of a
 * kernel by a direction `v` and a gain `g`, with one Euclidean norm per output unit,
 * `W[…, j] = g_j·v[…, j]/‖v[…, j]‖` (norm over all axes but `axis`). Differentiate the loss with
 * respect to `v` and `g`; the gradient with respect to `v` is orthogonal to `v` per unit, as in the
 * paper. No ε: a unit with `‖v‖ = 0` gives NaN (initialize `v` at random, `g = ‖v‖` to start at
 * the original kernel).
 *
 * @param v - the direction, rank ≥ 2 (e.g. `[in, out]` or `[kh, kw, in, out]`).
 * @param g - the gains, shape `[v.shape[axis]]`.
 * A `v` without elements gives an empty result whose gradients are zero.
 *
 * @throws DescentError `SHAPE_MISMATCH` (rank < 2, `g` of the wrong shape), `BAD_HYPERPARAM`
 * (bad axis), `BAD_ARGUMENT` (a non-tensor, options not a plain object), `DTYPE_MISMATCH`,
 * `DISPOSED`, `UNKNOWN_PARAM`.
 *
 * @example
 * ```ts
 * const w = weightNorm(v, g);                 // v: [784, 300], g: [300]
 * const y = tf.matMul(x, w);
 * ```
 */
export function weightNorm(v: tf.Tensor, g: tf.Tensor, options: WeightNormOptions = {}): tf.Tensor {
  const read = readOptions('weightNorm', options, ['axis']);
  checkInput('weightNorm: v', v, 2, 'a kernel such as [in, out] or [kh, kw, in, out]');
  const axis = axisOption(read, v.shape);
  const units = v.shape[axis] as number;
  checkParamShape(
    'weightNorm: g',
    g,
    [units],
    `one gain per output unit of v ${formatShape(v.shape)} on axis ${axis}`,
  );
  if (v.size === 0) return emptyOutput(v, [g]);
  return tf.tidy(() => {
    const norm = tf.sqrt(tf.sum(tf.square(v), otherAxes(v.rank, [axis]), true));
    const gain = tf.reshape(
      g,
      v.shape.map((d, i) => (i === axis ? d : 1)),
    );
    return tf.mul(tf.div(v, norm), gain);
  });
}
