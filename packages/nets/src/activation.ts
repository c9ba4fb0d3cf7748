import * as tf from '@tensorflow/tfjs-core';
import { DEFAULT_LEAKY_RELU_SLOPE } from '@descent/init';

/**
 * The nonlinearities a net can use between layers:
 * `relu`, `leakyRelu` (slope 0.01 for x < 0), `elu` (α = 1), `tanh`, `sigmoid`, `softplus`,
 * `erf` and `linear` (the identity).
 *
 * All of them are differentiable to **any order**, so Hessian-vector products and double-backprop
 * NTKs work on every net: tfjs 4.22's own gradients of `tanh`, `sigmoid`, `elu` and `leakyRelu`
 * cannot be differentiated again, so nets uses versions whose gradient recomputes from the input
 * with the same op (`tanh′ = 1 − tanh²`, `σ′ = σ(1 − σ)`, `elu′ = step + (1 − step)·(elu + 1)`) and
 * writes `leakyRelu(x) = relu(x) − a·relu(−x)`. Forward values equal tfjs's.
 */
export type Activation =
  | 'relu'
  | 'leakyRelu'
  | 'elu'
  | 'tanh'
  | 'sigmoid'
  | 'softplus'
  | 'erf'
  | 'linear';

/** Every {@link Activation}, in declaration order. */
export const ACTIVATIONS: readonly Activation[] = [
  'relu',
  'leakyRelu',
  'elu',
  'tanh',
  'sigmoid',
  'softplus',
  'erf',
  'linear',
];

const tanhAnyOrder: (x: tf.Tensor) => tf.Tensor = tf.customGrad((...args) => {
  const x = args[0] as tf.Tensor;
  (args[1] as tf.GradSaveFunc)([x]);
  return {
    value: tf.tanh(x),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
      tf.mul(dy, tf.sub(1, tf.square(tanhAnyOrder(saved[0] as tf.Tensor)))),
  };
});

const sigmoidAnyOrder: (x: tf.Tensor) => tf.Tensor = tf.customGrad((...args) => {
  const x = args[0] as tf.Tensor;
  (args[1] as tf.GradSaveFunc)([x]);
  return {
    value: tf.sigmoid(x),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const s = sigmoidAnyOrder(saved[0] as tf.Tensor);
      return tf.mul(dy, tf.mul(s, tf.sub(1, s)));
    },
  };
});

const eluAnyOrder: (x: tf.Tensor) => tf.Tensor = tf.customGrad((...args) => {
  const x = args[0] as tf.Tensor;
  (args[1] as tf.GradSaveFunc)([x]);
  return {
    value: tf.elu(x),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const input = saved[0] as tf.Tensor;
      // elu′(x) = 1 for x > 0, exp(x) = elu(x) + 1 otherwise; `step` has a (zero) gradient.
      const positive = tf.step(input);
      const negativePart = tf.mul(tf.sub(1, positive), tf.add(eluAnyOrder(input), 1));
      return tf.mul(dy, tf.add(positive, negativePart));
    },
  };
});

/** Applies `activation` element-wise (see {@link Activation}). Internal. */
export function activate(z: tf.Tensor, activation: Activation): tf.Tensor {
  switch (activation) {
    case 'relu':
      return tf.relu(z);
    case 'leakyRelu':
      return tf.sub(tf.relu(z), tf.mul(tf.relu(tf.neg(z)), DEFAULT_LEAKY_RELU_SLOPE));
    case 'elu':
      return eluAnyOrder(z);
    case 'tanh':
      return tanhAnyOrder(z);
    case 'sigmoid':
      return sigmoidAnyOrder(z);
    case 'softplus':
      return tf.softplus(z);
    case 'erf':
      return tf.erf(z);
    case 'linear':
      return z;
  }
}
