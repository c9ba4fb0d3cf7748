import * as tf from '@tensorflow/tfjs-core';
import type { SegmentNormLayout } from './segment-norm-layout';

const dims = (l: SegmentNormLayout) => [l.outer, l.spatial, l.groups, l.groupSize];
const channelShape = (l: SegmentNormLayout) => [1, 1, l.groups, l.groupSize];
const statShape = (l: SegmentNormLayout) => [l.outer, 1, l.groups, 1];

/**
 * The tfjs-ops reference of the segment-norm forward (differentiable by tfjs's autodiff, to any
 * order): `y = (x − μ)/√(σ² + ε)·γ + β` per segment, two-pass moments. Returns y in x's shape.
 */
export function segmentNormReference(
  x: tf.Tensor,
  gamma: tf.Tensor | undefined,
  beta: tf.Tensor | undefined,
  layout: SegmentNormLayout,
  epsilon: number,
): tf.Tensor {
  return tf.tidy(() => {
    const v = tf.reshape(x, dims(layout));
    const mean = tf.mean(v, [1, 3], true);
    const centered = tf.sub(v, mean);
    const variance = tf.mean(tf.square(centered), [1, 3], true);
    let y = tf.div(centered, tf.sqrt(tf.add(variance, tf.scalar(epsilon))));
    if (gamma) y = tf.mul(y, tf.reshape(gamma, channelShape(layout)));
    if (beta) y = tf.add(y, tf.reshape(beta, channelShape(layout)));
    return tf.reshape(y, x.shape);
  });
}

/** Forward in tfjs ops that also returns the statistics `mean`, `rstd` (`[A, B]`) for the backward. */
export function segmentNormForwardOps(
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  layout: SegmentNormLayout,
  epsilon: number,
): { y: tf.Tensor; mean: tf.Tensor; rstd: tf.Tensor } {
  return tf.tidy(() => {
    const v = tf.reshape(x, dims(layout));
    const mean = tf.mean(v, [1, 3], true);
    const centered = tf.sub(v, mean);
    const rstd = tf.rsqrt(tf.add(tf.mean(tf.square(centered), [1, 3], true), tf.scalar(epsilon)));
    const y = tf.add(
      tf.mul(tf.mul(centered, rstd), tf.reshape(gamma, channelShape(layout))),
      tf.reshape(beta, channelShape(layout)),
    );
    const stats = [layout.outer, layout.groups];
    return {
      y: tf.reshape(y, x.shape),
      mean: tf.reshape(mean, stats),
      rstd: tf.reshape(rstd, stats),
    };
  });
}

/**
 * The closed-form backward in tfjs ops (used when the fused backward cannot run):
 * `x̂ = (x−μ)·rstd`, `g = dy·γ`, `dx = rstd·(g − mean(g) − x̂·mean(g·x̂))` (means over the segment),
 * `dγ = Σ_{a,s} dy·x̂`, `dβ = Σ_{a,s} dy`.
 */
export function segmentNormBackwardOps(
  x: tf.Tensor,
  gamma: tf.Tensor,
  mean: tf.Tensor,
  rstd: tf.Tensor,
  dy: tf.Tensor,
  layout: SegmentNormLayout,
): { dx: tf.Tensor; dGamma: tf.Tensor; dBeta: tf.Tensor } {
  return tf.tidy(() => {
    const v = tf.reshape(x, dims(layout));
    const d = tf.reshape(dy, dims(layout));
    const r = tf.reshape(rstd, statShape(layout));
    const xHat = tf.mul(tf.sub(v, tf.reshape(mean, statShape(layout))), r);
    const g = tf.mul(d, tf.reshape(gamma, channelShape(layout)));
    const m1 = tf.mean(g, [1, 3], true);
    const m2 = tf.mean(tf.mul(g, xHat), [1, 3], true);
    const dx = tf.mul(r, tf.sub(tf.sub(g, m1), tf.mul(xHat, m2)));
    const channels = [layout.groups * layout.groupSize];
    return {
      dx: tf.reshape(dx, x.shape),
      dGamma: tf.reshape(tf.sum(tf.mul(d, xHat), [0, 1]), channels),
      dBeta: tf.reshape(tf.sum(d, [0, 1]), channels),
    };
  });
}
