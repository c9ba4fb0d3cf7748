import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { expectDescentError, forEachBackend } from '@descent/core/testing';
import { layerNorm } from './layer-norm';
import { expectMatchesReference, sample } from './test-support/grad-check';
import { refLayerNorm } from './test-support/reference';

const SHAPE = [3, 2, 4, 5];
const X = sample(120, 11, 1.5, -0.3);

forEachBackend('layerNorm', () => {
  it('axis -1: equals the float64 reference, forward and gradients', async () => {
    const shape = [6, 20];
    await expectMatchesReference({
      inputs: [
        { shape, values: X },
        { shape: [20], values: sample(20, 12, 0.5, 1) },
        { shape: [20], values: sample(20, 13, 0.5) },
      ],
      op: (x, gamma, beta) => layerNorm(x as tf.Tensor, { gamma, beta }),
      reference: (x, gamma, beta) => refLayerNorm(x, shape, [1], 1e-3, { gamma, beta }),
    });
  });

  it('axes [1, 2, 3] of NHWC with γ, β of shape [H, W, C] and ε = 0.5', async () => {
    await expectMatchesReference({
      inputs: [
        { shape: SHAPE, values: X },
        { shape: [2, 4, 5], values: sample(40, 14, 0.5, 1) },
        { shape: [2, 4, 5], values: sample(40, 15, 0.5) },
      ],
      op: (x, gamma, beta) =>
        layerNorm(x as tf.Tensor, { gamma, beta }, { axis: [3, 1, 2], epsilon: 0.5 }),
      reference: (x, gamma, beta) => refLayerNorm(x, SHAPE, [1, 2, 3], 0.5, { gamma, beta }),
    });
  });

  it('non-contiguous axes [1, 3], no affine parameters', async () => {
    await expectMatchesReference({
      inputs: [{ shape: SHAPE, values: X }],
      op: (x) => layerNorm(x as tf.Tensor, {}, { axis: [1, -1] }),
      reference: (x) => refLayerNorm(x, SHAPE, [1, 3], 1e-3, {}),
    });
  });
});

it('layerNorm rejects bad parameters and axes', () => {
  const x = tf.zeros([2, 3, 4]);
  const g = tf.ones([3]);
  const before = tf.memory().numTensors;
  expectDescentError(
    () => layerNorm(x, { gamma: g }),
    'SHAPE_MISMATCH',
    'params.gamma',
    '[3]',
    '[4]',
  );
  expectDescentError(
    () => layerNorm(x, { gamma: g }, { axis: [2, 1] }),
    'SHAPE_MISMATCH',
    '[3, 4]',
  );
  expectDescentError(() => layerNorm(x, {}, { axis: 3 }), 'BAD_HYPERPARAM', 'axis');
  expectDescentError(
    () => layerNorm(x, {}, { axis: [1, -2] }),
    'BAD_HYPERPARAM',
    'same axis twice',
  );
  expectDescentError(() => layerNorm(x, {}, { axis: [] }), 'BAD_HYPERPARAM', 'at least one');
  expectDescentError(() => layerNorm(x, {}, { epsilon: -1 }), 'BAD_HYPERPARAM', 'epsilon');
  expectDescentError(() => layerNorm(x, { scale: g } as never), 'UNKNOWN_PARAM', 'scale');
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose([x, g]);
});
