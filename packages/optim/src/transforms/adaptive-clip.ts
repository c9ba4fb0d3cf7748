import * as tf from '@tensorflow/tfjs-core';
import {
  checkNumber,
  checkParamInfo,
  checkSameShape,
  DescentError,
  formatShape,
  type ParamInfo,
  type Params,
  checkOptions,
  describeValue,
} from '@descent/core';
import { checkedTransformation } from '../transform/check-update';
import { isPlainRecord } from '../transform/plain-record';
import type { GradientTransformation } from '../transform/gradient-transformation';
import { requireParam } from '../transform/require-param';
import { EMPTY_STATE } from '../transform/transform-state';

/** Options of {@link adaptiveClip}. */
export interface AdaptiveClipOptions {
  /**
   * Layouts by parameter name. A parameter listed here is split into units by its `layout`
   * (`dense` and `conv2d`: one unit per slice of the last axis; `vector`: the whole tensor); a
   * parameter not listed is split by its rank, as optax does (see {@link adaptiveClip}).
   */
  info?: Record<string, ParamInfo>;
}

/**
 * Adaptive gradient clipping (AGC; Brock et al., 2021, "High-Performance Large-Scale Image
 * Recognition Without Normalization"; optax's `adaptive_grad_clip`): clips each *unit's* update
 * relative to the norm of that unit's weights. Needs `params`.
 *
 * ```
 * ‖W_i‖, ‖G_i‖  unit-wise Frobenius norms (unit i = one output unit)
 * max_i = λ · max(‖W_i‖, ε)
 * G_i ← G_i                              if ‖G_i‖ < max_i
 * G_i ← G_i · max_i / max(‖G_i‖, 1e-6)   otherwise
 * ```
 *
 * Units follow tfjs (Keras) layouts — output units on the **last** axis:
 * - dense kernel `[in, out]`: one unit per output column (norm over axis 0);
 * - conv2d kernel `[kh, kw, in, out]`: one unit per filter (norm over axes 0, 1, 2);
 * - vectors and scalars (biases, norm gains): the whole tensor is one unit.
 * Without `info`, the rank decides, exactly as optax: a tensor whose shape without its size-1
 * axes has rank ≤ 1 is one unit (so a `[1, n]` kernel counts as a vector); rank 2 and 3 reduce
 * axis 0 (rank 3 = multi-head dense `[in, heads, out]`); rank ≥ 4 reduces every axis but the last
 * (optax raises above rank 4). With `info`, the layout decides (`dense` → axis 0, `conv2d` → axes
 * 0–2, `vector` → whole) and must agree with the rank. Because the layouts are tfjs's, this is the
 * same clipping as optax's on HWIO kernels; PyTorch ports (timm's `adaptive_clip_grad`, OIHW) reduce
 * every axis but the *first*.
 *
 * The paper recommends not clipping the final classifier layer: route it elsewhere with
 * {@link partition}. Stateless; nothing is read back from the device. A unit whose norm is not
 * finite (a NaN or ±∞ in its update, or a NaN weight) is left unclipped, so the non-finite value
 * stays in its own element; wrap the chain in `applyIfFinite` to skip such steps.
 *
 * @param clipping - `λ` > 0, the largest allowed ratio of update norm to weight norm (paper:
 *   0.01–0.16 depending on batch size).
 * @param eps - `ε` ≥ 0: weights with a smaller norm count as `ε` (so zero-initialized units can
 *   still move). Default 1e-3 (optax, paper).
 * @throws DescentError `UNKNOWN_PARAM` for an unknown option, `BAD_HYPERPARAM`/`NON_FINITE` for
 *   bad numbers; at update, `BAD_ARGUMENT`
 *   without `params`, `SHAPE_MISMATCH` for a parameter whose shape differs from its update or
 *   whose rank does not fit its layout, and the argument checks of every transformation
 *   (`DTYPE_MISMATCH`, `UNKNOWN_PARAM`, `DISPOSED`, …).
 *
 * @example
 * ```ts
 * const opt = fromTransform(chain(adaptiveClip(0.01), scaleByMomentum(0.9), scaleByLearningRate(0.1)));
 * ```
 */
export function adaptiveClip(
  clipping: number,
  eps = 1e-3,
  options: AdaptiveClipOptions = {},
): GradientTransformation {
  checkOptions('adaptiveClip', options, ['info'] satisfies (keyof AdaptiveClipOptions)[]);
  checkNumber('clipping', clipping, { min: 0, minExclusive: true });
  checkNumber('eps', eps, { min: 0 });
  const info = options.info ?? {};
  if (!isPlainRecord(info)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `adaptiveClip: info must be an object of ParamInfo, got ${describeValue(info)}.`,
    );
  }
  for (const [name, entry] of Object.entries(info)) checkParamInfo(`info["${name}"]`, entry);
  return checkedTransformation('adaptiveClip', {
    init: () => EMPTY_STATE,
    update(updates: Params, _state, params?: Params) {
      // Validate everything before computing anything.
      const axes: Record<string, number[] | null> = {};
      for (const [name, u] of Object.entries(updates)) {
        const p = requireParam('adaptiveClip', params, name);
        checkSameShape(`params["${name}"]`, p, `updates["${name}"]`, u);
        axes[name] = unitAxes(name, u.shape, info[name]);
      }
      const next: Params = {};
      for (const [name, u] of Object.entries(updates)) {
        if (u.size === 0) {
          next[name] = u; // nothing to clip; reductions over empty tensors are unsafe on wasm/webgpu
          continue;
        }
        const p = params?.[name] as tf.Tensor;
        const axis = axes[name] ?? null;
        const pNorm = unitNorm(p, axis);
        const gNorm = unitNorm(u, axis);
        const maxNorm = tf.mul(tf.maximum(pNorm, eps), clipping);
        const clipped = tf.mul(u, tf.div(maxNorm, tf.maximum(gNorm, 1e-6)));
        // Clip only a finite unit norm at or above a finite bound: a NaN or ±∞ in the update (or
        // a NaN parameter) leaves the unit unclipped, so it stays in its own element.
        const clip = tf.logicalAnd(
          tf.greaterEqual(gNorm, maxNorm),
          tf.less(gNorm, Number.POSITIVE_INFINITY),
        );
        next[name] = tf.where(clip, clipped, u);
      }
      return { updates: next, state: EMPTY_STATE };
    },
  });
}

/** The axes whose norm makes one unit's norm (`null`: the whole tensor). */
function unitAxes(name: string, shape: number[], info: ParamInfo | undefined): number[] | null {
  const rank = shape.length;
  if (info) {
    const expected = info.layout === 'dense' ? [2] : info.layout === 'conv2d' ? [4] : [0, 1];
    if (!expected.includes(rank)) {
      throw new DescentError(
        'SHAPE_MISMATCH',
        `adaptiveClip: "${name}" has shape ${formatShape(shape)}, which does not fit its layout ` +
          `'${info.layout}' (rank ${expected.join(' or ')}).`,
      );
    }
    if (info.layout === 'vector') return null;
    return info.layout === 'dense' ? [0] : [0, 1, 2];
  }
  if (shape.filter((d) => d !== 1).length <= 1) return null;
  if (rank === 2 || rank === 3) return [0];
  return Array.from({ length: rank - 1 }, (_, i) => i);
}

/** Unit-wise L2 norms, shaped to broadcast against `x`. */
function unitNorm(x: tf.Tensor, axes: number[] | null): tf.Tensor {
  const squares = tf.square(x);
  return tf.sqrt(axes === null ? tf.sum(squares) : tf.sum(squares, axes, true));
}
