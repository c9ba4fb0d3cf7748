import * as tf from '@tensorflow/tfjs-core';

/**
 * `∂f/∂xᵢ` for every input, `undefined` for an input `f` does not depend on — where `tf.grads`
 * throws for the whole list. Differentiable again when called inside another gradient.
 */
export function gradientsOrNone(
  f: (...xs: tf.Tensor[]) => tf.Tensor,
  xs: readonly tf.Tensor[],
): Array<tf.Tensor | undefined> {
  const { grads } = tf.engine().gradients(() => f(...xs), [...xs], undefined, true);
  return grads.map((g) => g ?? undefined);
}
