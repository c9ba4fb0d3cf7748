import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { expectClose, expectDescentError, forEachBackend } from '@descent/core/testing';
import { groupNorm } from './group-norm';
import { instanceNorm } from './instance-norm';
import { layerNorm } from './layer-norm';
import { expectMatchesReference, sample } from './test-support/grad-check';
import { refGroupNorm } from './test-support/reference';

const SHAPE = [2, 3, 2, 6]; // NHWC, C = 6
const X = sample(72, 21, 1.2, 0.4);
const GAMMA = sample(6, 22, 0.5, 1);
const BETA = sample(6, 23, 0.5);

forEachBackend('groupNorm and instanceNorm', () => {
  for (const groups of [1, 2, 3, 6]) {
    it(`groupNorm with ${groups} group(s) of ${6 / groups} channel(s) equals the reference, forward and gradients`, async () => {
      await expectMatchesReference({
        inputs: [
          { shape: SHAPE, values: X },
          { shape: [6], values: GAMMA },
          { shape: [6], values: BETA },
        ],
        op: (x, gamma, beta) =>
          groupNorm(x as tf.Tensor, { gamma, beta }, { groups, epsilon: 0.01 }),
        reference: (x, gamma, beta) => refGroupNorm(x, SHAPE, groups, 0.01, { gamma, beta }),
      });
    });
  }

  it('groupNorm on [N, C] (no spatial axes)', async () => {
    const shape = [4, 6];
    await expectMatchesReference({
      inputs: [{ shape, values: X.slice(0, 24) }],
      op: (x) => groupNorm(x as tf.Tensor, {}, { groups: 2 }),
      reference: (x) => refGroupNorm(x, shape, 2, 1e-3, {}),
    });
  });

  it('instanceNorm equals the reference (stats over H, W per sample and channel), forward and gradients', async () => {
    await expectMatchesReference({
      inputs: [
        { shape: SHAPE, values: X },
        { shape: [6], values: GAMMA },
        { shape: [6], values: BETA },
      ],
      op: (x, gamma, beta) => instanceNorm(x as tf.Tensor, { gamma, beta }, { epsilon: 0.01 }),
      reference: (x, gamma, beta) => refGroupNorm(x, SHAPE, 6, 0.01, { gamma, beta }),
    });
  });

  it('instanceNorm = groupNorm(groups = C); groupNorm(groups = 1) = layerNorm over H, W, C', async () => {
    const x = tf.tensor(X, SHAPE);
    const a = instanceNorm(x, {});
    const b = groupNorm(x, {}, { groups: 6 });
    const c = groupNorm(x, {}, { groups: 1 });
    const d = layerNorm(x, {}, { axis: [1, 2, 3] });
    await expectClose(a, b, { rtol: 1e-5, atol: 1e-5 });
    await expectClose(c, d, { rtol: 1e-5, atol: 1e-5 });
    tf.dispose([x, a, b, c, d]);
  });
});

it('groupNorm needs C divisible by groups; both reject bad shapes', () => {
  const x = tf.zeros([2, 4, 4, 6]);
  const g = tf.ones([4]);
  const x2 = tf.zeros([2, 6]);
  const before = tf.memory().numTensors;
  expectDescentError(
    () => groupNorm(x, {}, { groups: 4 }),
    'BAD_HYPERPARAM',
    'groups = 4',
    'C = 6',
    '[2, 4, 4, 6]',
  );
  expectDescentError(() => groupNorm(x, {}), 'BAD_HYPERPARAM', 'groups = 32', 'C = 6');
  expectDescentError(() => groupNorm(x, {}, { groups: 0 }), 'BAD_HYPERPARAM', 'groups');
  expectDescentError(() => groupNorm(x, {}, { groups: 1.5 }), 'BAD_HYPERPARAM', 'groups');
  expectDescentError(
    () => groupNorm(x, { gamma: g }, { groups: 2 }),
    'SHAPE_MISMATCH',
    'gamma',
    '[4]',
    '[6]',
  );
  expectDescentError(() => instanceNorm(x2, {}), 'SHAPE_MISMATCH', 'rank 2', 'NHWC');
  expectDescentError(() => instanceNorm(x, { beta: g }), 'SHAPE_MISMATCH', 'beta', '[6]');
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose([x, g, x2]);
});
