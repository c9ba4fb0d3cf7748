import * as tf from '@tensorflow/tfjs-core';
import { type Params, checkSameStructure, withSecondOrder } from '@descent/core';
import {
  type LossFn,
  checkFloatParams,
  checkLossFn,
  guardedLoss,
  throwIfFailed,
} from '../loss/loss-fn';
import { gradientsOrNone } from '../loss/gradients';

/**
 * A Hessian-vector operator bound to one loss and one point `θ`: `apply(v)` returns `H(θ)·v`.
 * Arguments are checked once, when it is made; spectrum methods call it many times.
 */
export interface HvpOperator {
  /** The parameter names, in the order `θ` lists them. */
  readonly keys: readonly string[];
  /** `H·v` for a direction of `θ`'s structure (checked by the caller); new tensors. */
  apply(v: Params): Params;
}

/**
 * Checks `loss`, `params` and makes the operator `v ↦ H·v` of {@link hvp}. Internal: the
 * direction's structure is the caller's to check.
 */
export function hvpOperator(fn: string, loss: unknown, params: unknown): HvpOperator {
  checkLossFn(fn, loss);
  checkFloatParams(`${fn}: params`, params);
  const keys = Object.keys(params);
  const xs = keys.map((k) => params[k] as tf.Tensor);
  return {
    keys,
    apply(v) {
      const vs = keys.map((k) => v[k] as tf.Tensor);
      const failure: { error?: unknown } = {};
      const out = withSecondOrder(() =>
        tf.tidy(() => {
          const f = guardedLoss(fn, loss, keys, failure);
          const gradDotV = (...ys: tf.Tensor[]): tf.Scalar => {
            const grads = gradientsOrNone(f, ys);
            const terms = grads.flatMap((g, i) =>
              g ? [tf.sum(tf.mul(g, vs[i] as tf.Tensor))] : [],
            );
            // a loss linear in every parameter has a constant gradient: H = 0
            return (terms.length > 0 ? tf.addN(terms) : tf.scalar(0)) as tf.Scalar;
          };
          const hv = gradientsOrNone(gradDotV, xs);
          const result: Params = {};
          keys.forEach((k, i) => {
            result[k] = hv[i] ?? tf.zerosLike(xs[i] as tf.Tensor);
          });
          return result;
        }),
      );
      if (failure.error !== undefined) tf.dispose(Object.values(out));
      throwIfFailed(failure);
      return out;
    },
  };
}

/**
 * The Hessian-vector product `H(θ)·v = ∇_θ (∇_θ L(θ) · v)` by double backpropagation
 * (Pearlmutter, 1994): two reverse passes through the loss, exact to float32 rounding, never
 * forming `H` (`P²` numbers for `P` parameters).
 *
 * Exact through the ops users write — `tf.relu`, `tf.tanh`, `tf.sigmoid`, `tf.softplus`, `tf.exp`,
 * `tf.elu`, `tf.softmax`, `tf.matMul`, `tf.conv2d`, `tf.avgPool`, `@descent/core`'s
 * `softmaxCrossEntropy` and `mse`, and `@descent/norm`'s ops: it runs inside core's
 * `withSecondOrder`, which gives tfjs 4.22's kernels whose own gradients cannot be differentiated
 * again gradients that can, and routes the fused normalization kernels to their composable path.
 * Not differentiable twice in tfjs: `tf.logSoftmax`, `tf.logSumExp`,
 * `tf.losses.softmaxCrossEntropy` (use core's `softmaxCrossEntropy` / `safeLogSoftmax`) and
 * `tf.maxPool`. A parameter the gradient does not depend on gets a zero row.
 *
 * @param loss - `(params) => L`, a float32 scalar tensor made from `params` with tfjs ops.
 * @param params - `θ`: the point, a non-empty map of float32 tensors (not modified).
 * @param v - the direction: the same names and shapes as `params`.
 * @returns `H·v` as new tensors keyed like `params`; the caller disposes them.
 * @throws DescentError `BAD_ARGUMENT` (loss not a function, or it returned no tensor),
 *   `SHAPE_MISMATCH` (the loss is not a float32 scalar; `v` shaped unlike `params`),
 *   `UNKNOWN_PARAM` (names of `v` differ), `DTYPE_MISMATCH` (non-float32 params), `DISPOSED`,
 *   `NO_GRADIENTS` (tfjs has no gradients registered: `await useBackend()` first). An exception
 *   the loss itself throws passes through unchanged, after the tape has freed its tensors.
 * @example
 * ```ts
 * const loss = (p: Params) => mse(tf.matMul(x, p.w), y);
 * const hv = hvp(loss, { w }, { w: v }); // Xᵀ X v · 2/n for the mean squared error
 * ```
 * @see B. A. Pearlmutter, Fast exact multiplication by the Hessian, Neural Computation 6 (1994);
 *   R. Sun, Optimization for Deep Learning: Theory and Algorithms (2019), §6.1.
 */
export function hvp(loss: LossFn, params: Params, v: Params): Params {
  const op = hvpOperator('hvp', loss, params);
  checkSameStructure('hvp: params', params, 'hvp: v', v);
  return op.apply(v);
}
