import * as tf from '@tensorflow/tfjs-core';

// tfjs' own reductions over an empty tensor divide by zero on wasm, and the broadcast gradient of
// an empty product has the wrong shape on every backend, so an input without elements bypasses
// the statistics altogether.
const emptyWithZeroGradients = tf.customGrad((...args) => {
  const inputs = args.slice(0, -1) as tf.Tensor[];
  return {
    value: tf.clone(inputs[0] as tf.Tensor),
    gradFunc: () => inputs.map((t) => tf.zerosLike(t)),
  };
});

/**
 * The output of a normalization of an input `x` without elements: an empty tensor of `x`'s shape,
 * the same on every backend, whose gradient is zero for `x` and for every tensor of `params`
 * (a sum over no samples). Internal.
 */
export function emptyOutput(x: tf.Tensor, params: readonly (tf.Tensor | undefined)[]): tf.Tensor {
  const given = params.filter((t): t is tf.Tensor => t !== undefined);
  return emptyWithZeroGradients(x, ...given) as tf.Tensor;
}
