import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { expectBadInput, forEachBackend } from '@descent/core/testing';
import { BatchRenormalization, batchRenormalization } from './batch-renormalization';
import { GroupNormalization, groupNormalization } from './group-normalization';
import { InstanceNormalization, instanceNormalization } from './instance-normalization';
import { LayerNormalization, layerNormalization } from './layer-normalization';
import { sampleTensor } from './test-support/layer-vs-op';

/** Asserts that applying `layer` to `x` is refused and leaves the layer unbuilt, without weights. */
async function expectRefusedBuild(
  layer: tfl.layers.Layer,
  shape: number[],
  code: 'SHAPE_MISMATCH' | 'BAD_HYPERPARAM',
  mentions: string[],
): Promise<void> {
  const x = tf.zeros(shape);
  await expectBadInput(() => layer.apply(x), { code, mentions });
  expect(layer.built).toBe(false);
  expect(layer.weights).toEqual([]);
  x.dispose();
}

/** Asserts that applying a built `layer` to `x` is refused and leaves every weight as it was. */
async function expectRefusedCall(
  layer: tfl.layers.Layer,
  x: tf.Tensor,
  kwargs: { training?: boolean },
  code: 'SHAPE_MISMATCH' | 'BAD_HYPERPARAM',
  mentions: string[],
): Promise<void> {
  const weights = layer.weights.map((w) => w.read());
  await expectBadInput(() => layer.apply(x, kwargs), { code, mentions, unchanged: weights });
}

forEachBackend('normalization layers refuse bad input', () => {
  it('groupNormalization / GroupNormalization: groups, epsilon, axis, initializers, the input', async () => {
    await expectBadInput(() => groupNormalization({ groups: 0 }), {
      code: 'BAD_HYPERPARAM',
      mentions: ['groups', '0'],
    });
    await expectBadInput(() => new GroupNormalization({ groups: 2.5 }), {
      code: 'BAD_HYPERPARAM',
      mentions: ['groups', '2.5'],
    });
    await expectBadInput(() => groupNormalization({ epsilon: 0 }), {
      code: 'BAD_HYPERPARAM',
      mentions: ['epsilon', '0'],
    });
    await expectBadInput(() => groupNormalization({ epsilon: Number.NaN }), {
      code: 'NON_FINITE',
      mentions: ['epsilon'],
    });
    await expectBadInput(() => groupNormalization({ gammaInitializer: 'nope' as never }), {
      code: 'BAD_ARGUMENT',
      mentions: ['gammaInitializer', 'nope'],
    });
    await expectBadInput(() => groupNormalization({ betaRegularizer: 'ones' as never }), {
      code: 'BAD_ARGUMENT',
      mentions: ['betaRegularizer', 'regularizer'],
    });
    await expectBadInput(() => groupNormalization({ center: 'yes' as never }), {
      code: 'BAD_HYPERPARAM',
      mentions: ['center'],
    });
    await expectRefusedBuild(groupNormalization({ groups: 3 }), [2, 4, 8], 'BAD_HYPERPARAM', [
      'groups = 3',
      'C = 8',
    ]);
    await expectRefusedBuild(groupNormalization({ groups: 1 }), [4], 'SHAPE_MISMATCH', [
      '[4]',
      'rank ≥ 2',
    ]);
    await expectRefusedBuild(
      groupNormalization({ groups: 1, axis: 3 }),
      [2, 4, 8],
      'BAD_HYPERPARAM',
      ['axis = 3'],
    );
    const layer = groupNormalization({ groups: 2 });
    const x = sampleTensor([2, 3, 4], 50);
    tf.dispose(layer.apply(x) as tf.Tensor);
    const other = tf.zeros([2, 3, 6]);
    await expectRefusedCall(layer, other, {}, 'SHAPE_MISMATCH', ['gamma', '[6]', '[4]']);
    tf.dispose([x, other]);
    layer.dispose();
  });

  it('instanceNormalization / InstanceNormalization: epsilon, axis, the input rank', async () => {
    await expectBadInput(() => instanceNormalization({ epsilon: -1 }), {
      code: 'BAD_HYPERPARAM',
      mentions: ['epsilon', '-1'],
    });
    await expectBadInput(() => new InstanceNormalization({ axis: 0.5 }), {
      code: 'BAD_HYPERPARAM',
      mentions: ['axis', '0.5'],
    });
    await expectRefusedBuild(instanceNormalization(), [2, 8], 'SHAPE_MISMATCH', [
      '[2, 8]',
      'rank ≥ 3',
    ]);
    await expectRefusedBuild(instanceNormalization({ axis: 0 }), [2, 3, 8], 'BAD_HYPERPARAM', [
      'axis = 0',
      'batch',
    ]);
  });

  it('layerNormalization / LayerNormalization: axis, epsilon', async () => {
    await expectBadInput(() => layerNormalization({ axis: 1.5 }), {
      code: 'BAD_HYPERPARAM',
      mentions: ['axis', '1.5'],
    });
    await expectBadInput(() => new LayerNormalization({ axis: [] }), {
      code: 'BAD_HYPERPARAM',
      mentions: ['axis = []'],
    });
    await expectBadInput(() => layerNormalization({ epsilon: Number.POSITIVE_INFINITY }), {
      code: 'NON_FINITE',
      mentions: ['epsilon'],
    });
    await expectRefusedBuild(layerNormalization({ axis: [1, -2] }), [2, 3, 4], 'BAD_HYPERPARAM', [
      'repeats',
    ]);
    await expectRefusedBuild(layerNormalization({ axis: 3 }), [2, 3, 4], 'BAD_HYPERPARAM', [
      'axis 3',
      'rank 3',
    ]);
  });

  it('batchRenormalization / BatchRenormalization: momentum, rMax, dMax, epsilon, the batch', async () => {
    await expectBadInput(() => batchRenormalization({ momentum: 1.5 }), {
      code: 'BAD_HYPERPARAM',
      mentions: ['momentum', '1.5'],
    });
    await expectBadInput(() => new BatchRenormalization({ momentum: -0.1 }), {
      code: 'BAD_HYPERPARAM',
      mentions: ['momentum', '-0.1'],
    });
    await expectBadInput(() => batchRenormalization({ rMax: 0.5 }), {
      code: 'BAD_HYPERPARAM',
      mentions: ['rMax', '0.5'],
    });
    await expectBadInput(() => batchRenormalization({ dMax: -1 }), {
      code: 'BAD_HYPERPARAM',
      mentions: ['dMax', '-1'],
    });
    await expectBadInput(() => batchRenormalization({ epsilon: 0 }), {
      code: 'BAD_HYPERPARAM',
      mentions: ['epsilon'],
    });
    await expectBadInput(
      () => batchRenormalization({ movingVarianceInitializer: 'nonNeg' as never }),
      {
        code: 'BAD_ARGUMENT',
        mentions: ['movingVarianceInitializer', 'initializer'],
      },
    );
    await expectRefusedBuild(batchRenormalization(), [5], 'SHAPE_MISMATCH', ['rank ≥ 2']);
    const layer = batchRenormalization({ rMax: 2 });
    await expectBadInput(
      () => {
        layer.rMax = 0.9;
      },
      { code: 'BAD_HYPERPARAM', mentions: ['rMax', '0.9'] },
    );
    expect(layer.rMax).toBe(2);
    const x = sampleTensor([4, 3], 51);
    tf.dispose(layer.apply(x, { training: true }) as tf.Tensor);
    const one = tf.ones([1, 3]);
    await expectRefusedCall(layer, one, { training: true }, 'SHAPE_MISMATCH', [
      '[1, 3]',
      'at least 2',
    ]);
    tf.dispose([x, one]);
    layer.dispose();
  });
});
