import * as tf from '@tensorflow/tfjs-core';
import type { Reduction } from './reduction';

/**
 * Softmax cross-entropy of logits `z` `[N, C]` against targets `y` `[N, C]`, reduced, with one
 * fused backward: per example `ℓ = Σ_c y_c·(lse(z) − z_c)`, `lse(z) = m + log Σ_c exp(z_c − m)`,
 * `m = max_c z_c` (the same kernels as the any-order path, so the same values), and
 * `∂ℓ/∂z = (Σ_c y_c)·softmax(z) − y`, scaled by the incoming gradient and the reduction's factor
 * (`1/N` for `'mean'`). `softmax(z)` and `y` are kept from the forward pass while a tape records.
 * First-order only: this gradient is not differentiable again, and no gradient flows into `y`.
 * Internal to {@link softmaxCrossEntropy}.
 */
export function softmaxCrossEntropyFirstOrder(
  z: tf.Tensor2D,
  y: tf.Tensor2D,
  reduction: Reduction,
): tf.Tensor {
  const rows = z.shape[0];
  const loss = tf.customGrad((...args) => {
    const logits = args[0] as tf.Tensor2D;
    const save = args[1] as tf.GradSaveFunc;
    const m = tf.max(logits, -1, true);
    const e = tf.exp(tf.sub(logits, m));
    const s = tf.sum(e, -1, true);
    const lse = tf.add(m, tf.log(s));
    const perExample = tf.sum(tf.mul(y, tf.sub(lse, logits)), -1);
    if (tf.engine().state.gradientDepth > 0) save([tf.div(e, s), y]);
    return {
      value: reduce(perExample, reduction),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [p, targets] = saved as [tf.Tensor, tf.Tensor];
        const dz = tf.sub(tf.mul(tf.sum(targets, -1, true), p), targets);
        return tf.mul(dz, incoming(dy, reduction, rows));
      },
    };
  });
  return loss(z);
}

function reduce(perExample: tf.Tensor, reduction: Reduction): tf.Tensor {
  if (reduction === 'none') return perExample;
  if (reduction === 'sum') return tf.sum(perExample);
  return tf.mean(perExample);
}

/** The incoming gradient broadcast over `[N, C]`: one per example (`'none'`) or one scalar. */
function incoming(dy: tf.Tensor, reduction: Reduction, rows: number): tf.Tensor {
  if (reduction === 'none') return tf.reshape(dy, [rows, 1]);
  return reduction === 'mean' ? tf.div(dy, rows) : dy;
}
