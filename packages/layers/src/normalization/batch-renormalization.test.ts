import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
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

  // With rMax 1 and dMax 0 the layer is batch normalization: fit must move every weight, the
  // moving statistics included, as it moves tfjs-layers' BatchNormalization's (float32 rounding
  // of the two formulations apart: rtol 1e-4).
  it('with rMax 1 and dMax 0, model.fit trains and updates moving statistics as tfjs BatchNormalization', async () => {
    const build = (norm: tfl.layers.Layer) => {
      const model = tfl.sequential();
      model.add(tfl.layers.dense({ inputShape: [3], units: 4 }));
      model.add(norm);
      model.add(tfl.layers.dense({ units: 1 }));
      model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
      return model;
    };
    const ours = build(batchRenormalization({ momentum: 0.8, rMax: 1, dMax: 0 }));
    const theirs = build(tfl.layers.batchNormalization({ momentum: 0.8 }));
    theirs.setWeights(ours.getWeights());
    const xs = sampleTensor([16, 3], 25, 2, 0.5);
    const ys = sampleTensor([16, 1], 26);
    for (const model of [ours, theirs]) {
      await model.fit(xs, ys, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0 });
    }
    const [a, b] = [ours.getWeights(), theirs.getWeights()];
    for (const [i, w] of a.entries())
      await expectClose(w, b[i] as tf.Tensor, { rtol: 1e-4, atol: 1e-6 });
    const moved = tf.sub(a[5] as tf.Tensor, 1);
    expect(Math.max(...Array.from(await moved.data(), Math.abs))).toBeGreaterThan(0.1);
    tf.dispose([xs, ys, moved]);
    ours.dispose();
    theirs.dispose();
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
