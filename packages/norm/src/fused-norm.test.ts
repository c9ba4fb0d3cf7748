import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { segmentNormPath } from '@descent/core';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { groupNorm, groupNormReference } from './group-norm';
import { layerNorm, layerNormReference } from './layer-norm';
import { sample } from './test-support/grad-check';

const FUSED = { cpu: 'reference', wasm: 'wasm-simd', webgpu: 'webgpu' } as const;

const maxAbs = (a: ArrayLike<number>) =>
  Array.from(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/**
 * Asserts `op` and `reference` agree in value and in the gradients of `Σ c·y` with respect to x,
 * γ and β (rtol 1e-5, atol 1e-5 of the largest magnitude), without leaks.
 */
async function expectSameAsReference(
  shape: number[],
  channels: number,
  op: (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => tf.Tensor,
  reference: (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => tf.Tensor,
): Promise<void> {
  const size = shape.reduce((a, b) => a * b, 1);
  await expectNoLeaks(async () => {
    const x = tf.tensor(sample(size, 31, 1.3, 0.2), shape);
    const gamma = tf.tensor(sample(channels, 32, 0.3, 1));
    const beta = tf.tensor(sample(channels, 33, 0.3));
    const c = tf.tensor(sample(size, 34), shape);
    const both = [op, reference].map((f) => {
      const y = f(x, gamma, beta);
      const grads = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(f(a, g, b), c)),
      )([x, gamma, beta]);
      return [y, ...grads];
    });
    const [fused, ref] = both as [tf.Tensor[], tf.Tensor[]];
    for (let k = 0; k < 4; k++) {
      const e = await (ref[k] as tf.Tensor).data();
      await expectClose(fused[k] as tf.Tensor, e, { rtol: 1e-5, atol: 1e-5 * maxAbs(e) });
    }
    tf.dispose([x, gamma, beta, c, ...fused, ...ref]);
  });
}

forEachBackend('fused layerNorm and groupNorm', (backend) => {
  it(`run the ${FUSED[backend]} path`, () => {
    expect(segmentNormPath()).toBe(FUSED[backend]);
  });

  for (const shape of [
    [4, 7],
    [3, 2, 16],
    [2, 300],
  ]) {
    it(`layerNorm over the last axis of [${shape.join(', ')}] equals the tfjs-ops reference, forward and gradients`, async () => {
      const c = shape[shape.length - 1] as number;
      await expectSameAsReference(
        shape,
        c,
        (x, gamma, beta) => layerNorm(x, { gamma, beta }, { epsilon: 1e-5 }),
        (x, gamma, beta) => layerNormReference(x, { gamma, beta }, [x.rank - 1], 1e-5),
      );
    });
  }

  for (const [shape, groups] of [
    [[2, 3, 3, 8], 2],
    [[2, 4, 4, 6], 1],
    [[2, 4, 4, 6], 6],
    [[3, 10], 5],
    [[1, 5, 5, 12], 3],
  ] as [number[], number][]) {
    it(`groupNorm of [${shape.join(', ')}] with ${groups} group(s) equals the tfjs-ops reference, forward and gradients`, async () => {
      const c = shape[shape.length - 1] as number;
      await expectSameAsReference(
        shape,
        c,
        (x, gamma, beta) => groupNorm(x, { gamma, beta }, { groups, epsilon: 1e-3 }),
        (x, gamma, beta) => groupNormReference(x, { gamma, beta }, groups, 1e-3),
      );
    });
  }
});
