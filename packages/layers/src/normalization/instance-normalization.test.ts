import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { instanceNorm } from '@descent/norm';
import { InstanceNormalization, instanceNormalization } from './instance-normalization';
import { expectLayerMatchesOp, sampleTensor } from './test-support/layer-vs-op';

forEachBackend('instanceNormalization', () => {
  it('output and gradients (x, gamma, beta) equal instanceNorm, bit for bit', async () => {
    const x = sampleTensor([2, 3, 2, 4], 4, 1.5, -0.2);
    const layer = instanceNormalization({ epsilon: 0.01 });
    await expectLayerMatchesOp(layer, x, (a, p) => instanceNorm(a, p, { epsilon: 0.01 }), {
      rtol: 0,
      atol: 0,
    });
    layer.dispose();
    x.dispose();
  });

  it('normalizes each sample and channel over the spatial axes (mean 0, variance 1/(1 + ε/σ²))', async () => {
    const x = sampleTensor([2, 5, 3], 5, 2, 1);
    const layer = instanceNormalization({ axis: 1 });
    const y = layer.apply(x) as tf.Tensor;
    const { mean, variance } = tf.moments(y, [2]);
    await expectClose(mean, tf.zeros([2, 5]), { atol: 1e-5 });
    const { variance: raw } = tf.moments(x, [2]);
    await expectClose(variance, tf.div(raw, tf.add(raw, 1e-3)), { rtol: 1e-4 });
    tf.dispose([x, y, mean, variance, raw]);
  });

  it('has weights [gamma, beta] of [C], defaults ε 1e-3, and leaks nothing', async () => {
    const layer = new InstanceNormalization();
    expect([layer.axis, layer.epsilon, layer.center, layer.scale]).toEqual([-1, 1e-3, true, true]);
    const x = sampleTensor([1, 4, 4, 3], 6);
    tf.dispose(layer.apply(x) as tf.Tensor);
    expect(layer.weights.map((w) => [w.originalName.split('/').pop(), w.shape])).toEqual([
      ['gamma', [3]],
      ['beta', [3]],
    ]);
    await expectNoLeaks(async () => {
      const y = layer.apply(x) as tf.Tensor;
      await y.data();
      y.dispose();
    });
    layer.dispose();
    x.dispose();
  });
});
