import * as tf from '@tensorflow/tfjs-core';
import { type Params, disposeParams } from '@descent/core';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { type NormSpec, mlp } from '@descent/nets';
import { expect, it } from 'vitest';
import { recomputeStats } from './recompute-stats';
import { type Matrix, averagedMoments, matrix } from './test-support/batch-norm-reference';

const SIZES = [3, 5, 4, 2];
/** Three batches of 4, 4 and 3 examples. */
const BATCH_ROWS = [4, 4, 3];

function batchInputs(): Matrix[] {
  let seed = 0;
  return BATCH_ROWS.map((rows) =>
    matrix(
      rows,
      3,
      Array.from({ length: rows * 3 }, () => {
        seed += 1;
        return Math.fround(Math.sin(seed * 2.3) * 2 + 0.5);
      }),
    ),
  );
}

async function kernelsOf(params: Params): Promise<Matrix[]> {
  return Promise.all(
    SIZES.slice(1).map(async (cols, l) =>
      matrix(SIZES[l] as number, cols, await (params[`dense${l + 1}/kernel`] as tf.Tensor).data()),
    ),
  );
}

function tensorBatches(inputs: readonly Matrix[]) {
  return inputs.map((m) => ({
    x: tf.tensor2d(Array.from(m.data), [m.rows, m.cols]),
    y: tf.zeros([m.rows], 'int32'),
  }));
}

forEachBackend('recomputeStats', () => {
  for (const [label, norm] of [
    ['momentum 0.99', 'batch'],
    ['momentum 0.9', { type: 'batch', momentum: 0.9 }],
    ['momentum 0', { type: 'batch', momentum: 0 }],
  ] as [string, NormSpec][]) {
    it(`averages each hidden layer's batch mean and variance over the batches (${label}; float64, 1e-4)`, async () => {
      const net = mlp({ sizes: SIZES, norm, seed: 3 });
      const inputs = batchInputs();
      const batches = tensorBatches(inputs);
      const expected = averagedMoments(inputs, await kernelsOf(net.params));
      const stats = await expectNoLeaks(async () => {
        const out = await recomputeStats(net.params, { model: net, batches: () => batches });
        const read: Record<string, Float32Array> = {};
        for (const [k, t] of Object.entries(out)) read[k] = (await t.data()) as Float32Array;
        disposeParams(out);
        return read;
      });
      expect(Object.keys(stats).sort()).toEqual([
        'dense1_bn/moving_mean',
        'dense1_bn/moving_variance',
        'dense2_bn/moving_mean',
        'dense2_bn/moving_variance',
      ]);
      for (const [layer, moments] of expected.entries()) {
        const name = `dense${layer + 1}_bn`;
        await expectClose(stats[`${name}/moving_mean`] as Float32Array, moments.mean, {
          rtol: 1e-4,
          atol: 1e-5,
        });
        await expectClose(stats[`${name}/moving_variance`] as Float32Array, moments.variance, {
          rtol: 1e-4,
          atol: 1e-5,
        });
      }
      for (const b of batches) tf.dispose([b.x, b.y]);
      disposeParams(net.params);
    });
  }

  it('ignores the running statistics it is given and leaves params unchanged', async () => {
    const net = mlp({ sizes: SIZES, norm: 'batch', seed: 3 });
    const batches = tensorBatches(batchInputs());
    const skewed: Params = {
      ...net.params,
      'dense1_bn/moving_mean': tf.fill([5], 7),
      'dense2_bn/moving_variance': tf.fill([4], 9),
    };
    const fromNet = await recomputeStats(net.params, { model: net, batches: () => batches });
    const fromSkewed = await recomputeStats(skewed, { model: net, batches: () => batches });
    for (const key of Object.keys(fromNet)) {
      await expectClose(fromSkewed[key] as tf.Tensor, fromNet[key] as tf.Tensor, { rtol: 1e-6 });
    }
    await expectClose(skewed['dense1_bn/moving_mean'] as tf.Tensor, [7, 7, 7, 7, 7], { rtol: 0 });
    disposeParams(fromNet);
    disposeParams(fromSkewed);
    tf.dispose([
      skewed['dense1_bn/moving_mean'] as tf.Tensor,
      skewed['dense2_bn/moving_variance'] as tf.Tensor,
    ]);
    for (const b of batches) tf.dispose([b.x, b.y]);
    disposeParams(net.params);
  });

  it('returns {} without reading the data for a model without statistics', async () => {
    const net = mlp({ sizes: [3, 4, 2], norm: 'layer', seed: 1 });
    let calls = 0;
    const out = await recomputeStats(net.params, {
      model: net,
      batches: () => {
        calls += 1;
        return [];
      },
    });
    expect(out).toEqual({});
    expect(calls).toBe(0);
    disposeParams(net.params);
  });

  it('reads asynchronous batches', async () => {
    const net = mlp({ sizes: SIZES, norm: 'batch', seed: 3 });
    const inputs = batchInputs();
    const batches = tensorBatches(inputs);
    async function* stream() {
      for (const b of batches) yield b;
    }
    const expected = averagedMoments(inputs, await kernelsOf(net.params));
    const out = await recomputeStats(net.params, { model: net, batches: stream });
    await expectClose(out['dense2_bn/moving_mean'] as tf.Tensor, expected[1]?.mean as number[], {
      rtol: 1e-4,
      atol: 1e-5,
    });
    disposeParams(out);
    for (const b of batches) tf.dispose([b.x, b.y]);
    disposeParams(net.params);
  });
});
