/**
 * Test support (not exported): a normalization layer against the `@descent/norm` op it wraps,
 * forward and gradients.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { AffineParams } from '@descent/norm';
import { type Tolerance, expectClose } from '@descent/core/testing';

/** Deterministic values in `[offset − scale, offset + scale]`, varied enough to catch a wrong axis. */
export function sample(n: number, seed: number, scale = 1, offset = 0): number[] {
  return Array.from(
    { length: n },
    (_, i) => offset + scale * Math.sin(seed * 12.9898 + i * 78.233 + ((i * i) % 7)),
  );
}

/** A float32 tensor of `shape` with {@link sample} values. */
export function sampleTensor(shape: number[], seed: number, scale = 1, offset = 0): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(sample(size, seed, scale, offset), shape);
}

/**
 * Builds `layer` on `x`, gives `gamma` and `beta` non-trivial values, and asserts that the
 * layer's output and the gradients of `⟨y, dy⟩` with respect to `x`, `gamma` and `beta`
 * (through `layer.apply` in `tf.variableGrads`) equal `op`'s (through `tf.grads`) within `tol`.
 * `op` runs before the layer's graded call (a stateful layer's `op` reads the state then).
 */
export async function expectLayerMatchesOp(
  layer: tfl.layers.Layer,
  x: tf.Tensor,
  op: (x: tf.Tensor, params: AffineParams) => tf.Tensor,
  tol: Tolerance,
  kwargs: { training?: boolean } = {},
): Promise<void> {
  tf.dispose(layer.apply(x, kwargs) as tf.Tensor);
  const shape = (layer.getWeights()[0] as tf.Tensor).shape;
  const gamma = sampleTensor(shape, 31, 0.4, 1);
  const beta = sampleTensor(shape, 32, 0.3);
  layer.setWeights([gamma, beta, ...layer.getWeights().slice(2)]);
  const dy = sampleTensor(x.shape, 33);
  const expectedY = op(x, { gamma, beta });
  const expected = tf.grads((a, g, b) =>
    tf.sum(tf.mul(op(a as tf.Tensor, { gamma: g, beta: b }), dy)),
  )([x, gamma, beta]);
  const xVar = tf.variable(x);
  const variables = [xVar, ...layer.trainableWeights.map((w) => w.read() as tf.Variable)];
  let y: tf.Tensor | undefined;
  const { value, grads } = tf.variableGrads(() => {
    y = tf.keep(layer.apply(xVar, kwargs) as tf.Tensor);
    return tf.sum(tf.mul(y, dy)) as tf.Scalar;
  }, variables);
  await expectClose(y as tf.Tensor, expectedY, tol);
  for (const [i, v] of variables.entries()) {
    await expectClose(grads[v.name] as tf.Tensor, expected[i] as tf.Tensor, tol);
  }
  tf.dispose([gamma, beta, dy, expectedY, ...expected, xVar, y as tf.Tensor, value]);
  tf.dispose(Object.values(grads));
}
