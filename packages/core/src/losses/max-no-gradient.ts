import * as tf from '@tensorflow/tfjs-core';

/**
 * `max(x)` over the last axis (kept as size 1), treated as a constant by autodiff: its gradient is
 * zero and, since the `max` runs inside the custom op, tfjs records none of its internals (the
 * gradient of `tf.max` uses `Equal`, which has no gradient, so differentiating a second time
 * through it would throw). Internal to the losses: the shift of a log-sum-exp.
 */
export const maxLastAxisNoGradient: (x: tf.Tensor) => tf.Tensor = tf.customGrad((...args) => {
  const x = args[0] as tf.Tensor;
  const shape = [...x.shape];
  return {
    value: tf.max(x, -1, true),
    gradFunc: () => tf.zeros(shape),
  };
});
