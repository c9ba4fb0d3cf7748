import * as tf from '@tensorflow/tfjs-core';
import { DescentError } from '../errors/descent-error';
import { gradientOfGradient } from '../gradients/second-order';
import { formatShape } from '../validate/format-shape';
import { checkKnownKeys, checkNumber } from '../validate/number-checks';
import { checkDtype, checkTensor, sameShape } from '../validate/tensor-checks';
import { type Reduction, readObject, readReduction } from './reduction';
import { logSumExpLastAxis } from './safe-log-softmax';
import { softmaxCrossEntropyFirstOrder } from './softmax-cross-entropy-first-order';

/** Options of {@link softmaxCrossEntropy}. */
export interface SoftmaxCrossEntropyOptions {
  /** `'mean'` (default) over examples, `'sum'`, or `'none'` (one loss per example). */
  reduction?: Reduction;
  /**
   * Label smoothing `α ∈ [0, 1]`: the targets become `(1 − α)·y + α/C` (Szegedy et al., 2016;
   * tfjs's and Keras' `labelSmoothing`). Default 0.
   */
  labelSmoothing?: number;
}

const KNOWN = ['reduction', 'labelSmoothing'] as const;

/**
 * Softmax cross-entropy between logits and labels, with a path that is differentiable to **any
 * order**, so Hessian-vector products (`grad` of `grad·v`) of a classification loss are exact —
 * tfjs 4.22's `tf.losses.softmaxCrossEntropy`, `tf.logSoftmax` and `tf.logSumExp` throw on a
 * gradient of a gradient.
 *
 * For logits `z` of shape `[…, C]` and targets `y` (`[…, C]`), per example
 * `ℓ = Σ_c y_c·(lse(z) − z_c)`, `lse(z) = m + log Σ_c exp(z_c − m)`, `m = max_c z_c` (the shift is
 * held constant in the backward pass; exp is {@link safeExp}). For a distribution `y` this is
 * `−Σ_c y_c log softmax(z)_c`. Gradient `∂ℓ/∂z = (Σ_c y_c)·softmax(z) − y`; Hessian
 * `(Σ_c y_c)·(diag(p) − ppᵀ)`, `p = softmax(z)`.
 *
 * Two paths, chosen automatically by {@link gradientOfGradient}: for first-order training (no
 * gradient of a gradient being taken) one fused backward computes `dz = (Σ_c y_c)·p − y` from the
 * `p` saved by the forward pass, times the incoming gradient and the reduction's factor — a few
 * kernels instead of the chain through the log-sum-exp; when a gradient of a gradient may be
 * taken (a nested `tf.grad`, {@link withSecondOrder}), the composable any-order path. Both give
 * the same values and, to rounding, the same gradients.
 *
 * Labels are either **int32 class ids** of shape `z.shape[:-1]` (turned into one-hot targets). Ids are
 * **not range-checked** here — that needs a read back from the device, which a synchronous loss
 * cannot do on webgpu in Node — and an id outside `[0, C)` gives an all-zero target and a zero
 * loss for its example; call `await checkLabels('labels', labels, C)` (one device read) where ids
 * may be out of range. or **float32 targets** of `z`'s shape (one-hot or probabilities).
 * No gradient flows into the labels.
 *
 * @param logits - float32 `[…, C]`, rank ≥ 1, `C ≥ 1` (not disposed).
 * @param labels - int32 ids `[…]` or float32 targets `[…, C]` (not disposed).
 * @param options - `reduction` (`'mean'`), `labelSmoothing` (0).
 * @returns a new float32 scalar (`'mean'`, `'sum'`) or a tensor of shape `z.shape[:-1]`
 *   (`'none'`); the caller disposes it.
 * @throws DescentError `DTYPE_MISMATCH` (logits not float32, labels neither int32 nor float32),
 *   `SHAPE_MISMATCH` (labels of neither shape, scalar logits), `BAD_ARGUMENT` (bad reduction),
 *   `BAD_HYPERPARAM` (labelSmoothing outside [0, 1]), `UNKNOWN_PARAM`, `DISPOSED`.
 * @example
 * ```ts
 * const loss = softmaxCrossEntropy(model.apply(params, x), tf.tensor1d([3, 1], 'int32'));
 * ```
 * @see C. Szegedy et al., Rethinking the Inception Architecture, CVPR 2016 (label smoothing);
 *   R. Sun, Optimization for Deep Learning (2019), §4 (curvature of the loss).
 */
export function softmaxCrossEntropy(
  logits: tf.Tensor,
  labels: tf.Tensor,
  options?: SoftmaxCrossEntropyOptions,
): tf.Tensor {
  const fn = 'softmaxCrossEntropy';
  const o = readObject(`${fn}: options`, options);
  checkKnownKeys(`${fn}: options`, Object.keys(o), KNOWN);
  const reduction = readReduction(`${fn}: options.reduction`, o.reduction);
  const smoothing = o.labelSmoothing ?? 0;
  checkNumber(`${fn}: options.labelSmoothing`, smoothing, { min: 0, max: 1 });
  checkDtype(`${fn}: logits`, logits, 'float32');
  if (logits.rank === 0 || logits.shape[logits.rank - 1] === 0) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `${fn}: logits must be [..., C] with rank ≥ 1 and C ≥ 1 classes, got ${formatShape(logits.shape)}.`,
    );
  }
  const classes = logits.shape[logits.rank - 1] as number;
  const batchShape = logits.shape.slice(0, -1);
  checkTensor(`${fn}: labels`, labels);
  if (labels.dtype === 'int32') {
    if (!sameShape(labels.shape, batchShape)) {
      throw new DescentError(
        'SHAPE_MISMATCH',
        `${fn}: int32 labels (class ids) must have shape ${formatShape(batchShape)} (logits ${formatShape(logits.shape)} without the class axis), got ${formatShape(labels.shape)}.`,
      );
    }
  } else if (labels.dtype === 'float32') {
    if (!sameShape(labels.shape, logits.shape)) {
      throw new DescentError(
        'SHAPE_MISMATCH',
        `${fn}: float32 labels (one-hot or probabilities) must have the logits' shape ${formatShape(logits.shape)}, got ${formatShape(labels.shape)}.`,
      );
    }
  } else {
    throw new DescentError(
      'DTYPE_MISMATCH',
      `${fn}: labels must be int32 class ids or float32 targets, got dtype ${labels.dtype}.`,
    );
  }
  return tf.tidy(() => {
    let targets =
      labels.dtype === 'int32'
        ? tf.cast(tf.oneHot(tf.reshape(labels, [-1]), classes), 'float32')
        : tf.reshape(labels, [-1, classes]);
    if (smoothing > 0) {
      targets = tf.add(tf.mul(targets, 1 - smoothing), smoothing / classes);
    }
    const z = tf.reshape(logits, [-1, classes]);
    if (!gradientOfGradient()) {
      const loss = softmaxCrossEntropyFirstOrder(
        z as tf.Tensor2D,
        targets as tf.Tensor2D,
        reduction,
      );
      return reduction === 'none' ? tf.reshape(loss, batchShape) : loss;
    }
    const lse = logSumExpLastAxis(z, true);
    const perExample = tf.sum(tf.mul(targets, tf.sub(lse, z)), -1);
    if (reduction === 'none') return tf.reshape(perExample, batchShape);
    if (reduction === 'sum') return tf.sum(perExample);
    return tf.mean(perExample);
  });
}
