import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { type BatchNormState, batchNormState, batchRenorm, disposeState } from '@descent/norm';
import { BatchRenormalization, batchRenormalization } from './batch-renormalization';
import { expectLayerMatchesOp, sampleTensor } from './test-support/layer-vs-op';

const OPTIONS = { rMax: 1.5, dMax: 0.5, momentum: 0.8, epsilon: 0.01 };

function movingState(layer: BatchRenormalization): BatchNormState {
  return {
    mean: (layer.movingMean as tfl.LayerVariable).read(),
    variance: (layer.movingVariance as tfl.LayerVariable).read(),
  };
}

forEachBackend('batchRenormalization', () => {
  it('in training, output and gradients (x, gamma, beta) equal batchRenorm, bit for bit', async () => {
    const x = sampleTensor([6, 2, 4], 14, 2, 1.5);
    const layer = batchRenormalization(OPTIONS);
    const op = (a: tf.Tensor, params: { gamma?: tf.Tensor; beta?: tf.Tensor }) => {
      const { y, state } = batchRenorm(a, params, movingState(layer), {
        training: true,
        ...OPTIONS,
      });
      disposeState(state);
      return y;
    };
    await expectLayerMatchesOp(layer, x, op, { rtol: 0, atol: 0 }, { training: true });
    layer.dispose();
    x.dispose();
  });

  it('updates the moving statistics in training as batchRenorm updates its state, and infers with them', async () => {
    const layer = batchRenormalization(OPTIONS);
    let state = batchNormState(4);
    for (let step = 0; step < 3; step++) {
      const x = sampleTensor([8, 4], 15 + step, 1 + step, step - 1);
      tf.dispose(layer.apply(x, { training: true }) as tf.Tensor);
      const next = batchRenorm(x, {}, state, { training: true, ...OPTIONS });
      next.y.dispose();
      disposeState(state);
      state = next.state;
      x.dispose();
    }
    const moving = movingState(layer);
    await expectClose(moving.mean, state.mean, { rtol: 0, atol: 0 });
    await expectClose(moving.variance, state.variance, { rtol: 0, atol: 0 });
    const initial = batchNormState(4);
    const moved = tf.max(tf.abs(tf.sub(moving.variance, initial.variance)));
    expect((await moved.data())[0]).toBeGreaterThan(0.1);
    const x = sampleTensor([5, 4], 20, 2);
    const inferred = layer.apply(x) as tf.Tensor;
    const [gamma, beta] = layer.getWeights();
    const expected = batchRenorm(x, { gamma, beta }, state, { training: false, ...OPTIONS });
    await expectClose(inferred, expected.y, { rtol: 0, atol: 0 });
    await expectClose(movingState(layer).mean, state.mean, { rtol: 0, atol: 0 });
    tf.dispose([x, inferred, expected.y, moved]);
    disposeState(expected.state);
    disposeState(state);
    disposeState(initial);
    layer.dispose();
  });

  it('has weights [gamma, beta, moving_mean, moving_variance], the moving ones not trainable', () => {
    const layer = new BatchRenormalization();
    expect([layer.momentum, layer.epsilon, layer.rMax, layer.dMax, layer.axis]).toEqual([
      0.99, 1e-3, 3, 5, -1,
    ]);
    const x = sampleTensor([4, 3], 21);
    tf.dispose(layer.apply(x, { training: true }) as tf.Tensor);
    expect(layer.weights.map((w) => [w.originalName.split('/').pop(), w.trainable])).toEqual([
      ['gamma', true],
      ['beta', true],
      ['moving_mean', false],
      ['moving_variance', false],
    ]);
    x.dispose();
    layer.dispose();
  });

  it('rMax and dMax may be changed between steps: rMax 1 and dMax 0 are batch normalization', async () => {
    const layer = batchRenormalization({ momentum: 0.5 });
    const warm = sampleTensor([8, 3], 22, 3, 2);
    tf.dispose(layer.apply(warm, { training: true }) as tf.Tensor);
    layer.rMax = 1;
    layer.dMax = 0;
    const x = sampleTensor([8, 3], 23, 1, -1);
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    const { mean, variance } = tf.moments(x, [0]);
    const plain = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-3)));
    await expectClose(y, plain, { rtol: 1e-5, atol: 1e-6 });
    expect(layer.getConfig()).toMatchObject({ rMax: 1, dMax: 0 });
    tf.dispose([warm, x, y, mean, variance, plain]);
    layer.dispose();
  });

  it('leaks nothing in training and inference calls', async () => {
    const layer = batchRenormalization();
    const x = sampleTensor([4, 2, 3], 24);
    tf.dispose(layer.apply(x) as tf.Tensor);
    for (const training of [true, false]) {
      await expectNoLeaks(async () => {
        const y = layer.apply(x, { training }) as tf.Tensor;
        await y.data();
        y.dispose();
      });
    }
    x.dispose();
    layer.dispose();
  });
});
