import * as tf from '@tensorflow/tfjs-core';
import { tensorArith } from './arith';
import { type Step, propagate } from './recursion';

/**
 * The kernels with tfjs ops in float32, every pair at once (call inside `tf.tidy`). `x2 = null`
 * is the symmetric kernel of `x1`: its diagonal uses the diagonal formulas after every
 * nonlinearity (an `arccos` of a cosine rounded below 1 would be off by ~3e-4), and the result is
 * symmetrized as `(K + Kᵀ)/2`, so it is exactly symmetric.
 */
export function float32Kernels(
  steps: readonly Step[],
  x1: tf.Tensor2D,
  x2: tf.Tensor2D | null,
): { nngp: tf.Tensor2D; ntk: tf.Tensor2D } {
  const dim = x1.shape[1];
  const other = x2 ?? x1;
  const cross = tf.div(tf.matMul(x1, other, false, true), dim);
  const var1 = tf.div(tf.sum(tf.square(x1), 1, true), dim);
  const var2 = tf.reshape(x2 === null ? var1 : tf.div(tf.sum(tf.square(x2), 1), dim), [1, -1]);
  let onDiagonal = (c: tf.Tensor, _d: tf.Tensor) => c;
  if (x2 === null) {
    const eye = tf.eye(x1.shape[0]);
    const off = tf.sub(1, eye);
    onDiagonal = (c, d) => tf.add(tf.mul(c, off), tf.mul(eye, d));
  }
  const k = propagate(
    tensorArith,
    steps,
    { cross: onDiagonal(cross, var1), var1, var2 },
    dim,
    onDiagonal,
  );
  const symmetric = (t: tf.Tensor) => (x2 === null ? tf.mul(tf.add(t, tf.transpose(t)), 0.5) : t);
  return { nngp: symmetric(k.nngp) as tf.Tensor2D, ntk: symmetric(k.ntk) as tf.Tensor2D };
}
