import * as tf from '@tensorflow/tfjs-core';

/**
 * A state tensor as a (non-trainable) variable, so fused kernels can update it in place: a
 * variable is returned as is; a plain tensor becomes a variable over the same buffer and its old
 * handle is released, leaving the variable the buffer's only owner.
 */
export function asStateVariable(tensor: tf.Tensor): tf.Variable {
  if (isVariable(tensor)) return tensor;
  const variable = tf.variable(tensor, false);
  tensor.dispose();
  return variable;
}

/** A zero-filled state variable shaped like `like`. */
export function zeroStateVariable(like: tf.Tensor): tf.Variable {
  return asStateVariable(tf.zerosLike(like));
}

function isVariable(tensor: tf.Tensor): tensor is tf.Variable {
  return typeof (tensor as Partial<tf.Variable>).assign === 'function' && 'trainable' in tensor;
}
