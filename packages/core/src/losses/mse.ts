import * as tf from '@tensorflow/tfjs-core';
import { DescentError } from '../errors/descent-error';
import { formatShape } from '../validate/format-shape';
import { checkKnownKeys } from '../validate/number-checks';
import { checkDtype, sameShape } from '../validate/tensor-checks';
import { type Reduction, readObject, readReduction } from './reduction';

/** Options of {@link mse}. */
export interface MseOptions {
  /** `'mean'` (default) over all elements, `'sum'`, or `'none'` (the squared errors themselves). */
  reduction?: Reduction;
}

/**
 * Mean squared error `(1/n)·Σᵢ (predᵢ − targetᵢ)²` over all `n` elements (no ½ factor, like
 * `torch.nn.MSELoss` and `tf.losses.meanSquaredError`). Built from `sub` and `square`, which tfjs
 * differentiates to any order, so Hessian-vector products work. Gradient
 * `∂/∂pred = (2/n)·(pred − target)`; no gradient flows into `target`.
 *
 * @param pred - float32 predictions (not disposed).
 * @param target - float32 targets of the same shape (not disposed).
 * @param options - `reduction`: `'mean'` (default), `'sum'`, or `'none'` (element-wise squared
 *   errors, `pred`'s shape).
 * @returns a new float32 tensor; the caller disposes it.
 * @throws DescentError `SHAPE_MISMATCH` (shapes differ), `DTYPE_MISMATCH` (not float32),
 *   `BAD_ARGUMENT` (bad reduction), `UNKNOWN_PARAM`, `DISPOSED`.
 * @example
 * ```ts
 * mse(tf.tensor([1, 2]), tf.tensor([0, 0])); // 2.5
 * ```
 * @see C. F. Gauss, Theoria motus corporum coelestium, 1809 (least squares).
 */
export function mse(pred: tf.Tensor, target: tf.Tensor, options?: MseOptions): tf.Tensor {
  const o = readObject('mse: options', options);
  checkKnownKeys('mse: options', Object.keys(o), ['reduction']);
  const reduction = readReduction('mse: options.reduction', o.reduction);
  checkDtype('mse: pred', pred, 'float32');
  checkDtype('mse: target', target, 'float32');
  if (!sameShape(pred.shape, target.shape)) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `mse: pred has shape ${formatShape(pred.shape)} but target has shape ${formatShape(target.shape)}; they must match.`,
    );
  }
  return tf.tidy(() => {
    const squared = tf.square(tf.sub(pred, target));
    if (reduction === 'none') return squared;
    return reduction === 'sum' ? tf.sum(squared) : tf.mean(squared);
  });
}
