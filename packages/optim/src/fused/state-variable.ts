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

/**
 * A slot as a state variable: the previous step's tensor (made a variable in place), or a new
 * one shaped like `like` filled with `initial` (the chain's `initSlots`) before the first step.
 */
export function slotVariable(
  previous: tf.Tensor | number | undefined,
  like: tf.Tensor,
  initial = 0,
): tf.Variable {
  if (previous === undefined || typeof previous === 'number') {
    return asStateVariable(initial === 0 ? tf.zerosLike(like) : tf.fill(like.shape, initial));
  }
  return asStateVariable(previous);
}

function isVariable(tensor: tf.Tensor): tensor is tf.Variable {
  return typeof (tensor as Partial<tf.Variable>).assign === 'function' && 'trainable' in tensor;
}
