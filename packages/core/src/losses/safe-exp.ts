import * as tf from '@tensorflow/tfjs-core';
import { checkDtype } from '../validate/tensor-checks';

/**
 * `exp` whose gradient `dy·exp(x)` is recomputed from the saved **input** by this same op, so
 * every derivative is again differentiable (tfjs's `Exp` gradient reuses its saved output, and
 * its gradient-of-gradient throws).
 */
export const expAnyOrder: (x: tf.Tensor) => tf.Tensor = tf.customGrad((...args) => {
  const x = args[0] as tf.Tensor;
  const save = args[1] as tf.GradSaveFunc;
  save([x]);
  return {
    value: tf.exp(x),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, expAnyOrder(saved[0] as tf.Tensor)),
  };
});

/**
 * `exp(x)` element-wise, differentiable to **any order** in tfjs. tfjs 4.22's `tf.exp` computes
 * its gradient from its saved output, and the gradient of that gradient throws; `safeExp`
 * recomputes `exp(x)` from the saved input with itself, so `tf.grad` of a `tf.grad` — a
 * Hessian-vector product — works and is exact. Same forward values as `tf.exp`.
 *
 * Math: `dⁿ/dxⁿ exp(x) = exp(x)` for every `n`.
 *
 * @param x - a float32 tensor (not disposed or modified).
 * @returns a new float32 tensor of `x`'s shape; the caller disposes it.
 * @throws DescentError `BAD_ARGUMENT` / `DISPOSED` for a non-tensor or disposed `x`,
 *   `DTYPE_MISMATCH` unless `x` is float32.
 * @example
 * ```ts
 * const d2 = tf.grad((x) => tf.grad((y) => tf.sum(safeExp(y)))(x))(tf.tensor([0, 1])); // [1, e]
 * ```
 * @see R. Sun, Optimization for Deep Learning: Theory and Algorithms (2019), §4 (Hessian-based
 *   analysis needs exact second derivatives).
 */
export function safeExp(x: tf.Tensor): tf.Tensor {
  checkDtype('safeExp: x', x, 'float32');
  return expAnyOrder(x);
}
