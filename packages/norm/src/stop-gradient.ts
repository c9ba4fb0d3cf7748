import * as tf from '@tensorflow/tfjs-core';

const identityWithZeroGradient = tf.customGrad((...args) => ({
  value: tf.clone(args[0] as tf.Tensor),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
}));

/**
 * `x` with its gradient cut: the value of `x`, but a zero gradient flows back through it (tfjs
 * has no `stopGradient` op; this is TensorFlow's `tf.stop_gradient` built with `tf.customGrad`).
 * Internal: used where a paper treats a quantity as a constant in the backward pass.
 */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return identityWithZeroGradient(x) as T;
}
