import * as tf from '@tensorflow/tfjs-core';
import { defineKernel, type KernelCallOptions, type KernelPath } from '../kernel/define-kernel';

/** The fused kernel behind {@link scaledSubtract}: `p ← p − α·g`. */
export const scaledSubtractKernel = defineKernel({
  name: 'descent.scaledSubtract',
  inouts: ['p'],
  inputs: ['g'],
  uniforms: ['alpha'],
  update: ({ p, g, alpha }, { sub, mul }) => ({ p: sub(p, mul(alpha, g)) }),
  reference: ({ p }, { g }, { alpha }) => ({ p: tf.sub(p, tf.mul(tf.scalar(alpha), g)) }),
});

/**
 * Updates a variable in place: `p ← p − α·g` (a plain gradient-descent step, the survey's §5.1
 * update `θ_{t+1} = θ_t − η ∇L(θ_t)` with `α = η`). One fused kernel on wasm (SIMD, in the tfjs
 * heap) and webgpu (one dispatch); tfjs ops elsewhere. `α` is rounded to float32, as in every path.
 *
 * @param p - the variable to update (float32)
 * @param g - a float32 tensor of the same shape
 * @param alpha - the step size (any finite number)
 * @returns which path ran
 * @throws DescentError `SHAPE_MISMATCH`, `DTYPE_MISMATCH`, `DISPOSED`, `BAD_HYPERPARAM` /
 *   `NON_FINITE` (alpha), `BAD_ARGUMENT` (not a variable, options that are no `{ path }`),
 *   `UNKNOWN_PARAM` (an unknown option) — before `p` changes.
 *
 * @example
 * ```ts
 * const w = tf.variable(tf.tensor([1, 2]));
 * scaledSubtract(w, tf.tensor([10, 10]), 0.1);   // w = [0, 1]
 * ```
 */
export function scaledSubtract(
  p: tf.Variable,
  g: tf.Tensor,
  alpha: number,
  options?: KernelCallOptions,
): KernelPath {
  return scaledSubtractKernel({ p }, { g }, { alpha }, options);
}
