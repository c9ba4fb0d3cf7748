import * as tf from '@tensorflow/tfjs-core';

/**
 * `a·b` whose backward multiplies by explicit transposes, `∂a = dy·transpose(b)` and
 * `∂b = transpose(a)·dy`, instead of tfjs's `matMul(dy, b, false, true)` and
 * `matMul(a, dy, true, false)`: tfjs-backend-wasm 4.22 runs a `BatchMatMul` with a transposed
 * operand about ten times slower than a transpose followed by a plain one (LeNet-300-100's first
 * layer at batch 64: `[64, 784]ᵀ·[64, 300]` 11.2 ms against 1.0 ms). First-order only: the
 * gradient is built from tensors saved outside the tape, so it is not differentiated again.
 */
export const matMulPlainBackward: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor = tf.customGrad(
  (...args) => {
    const [a, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
    save([a, b]);
    return {
      value: tf.matMul(a, b),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
        return [
          tf.matMul(dy as tf.Tensor2D, tf.transpose(sb)),
          tf.matMul(tf.transpose(sa), dy as tf.Tensor2D),
        ];
      },
    };
  },
);
