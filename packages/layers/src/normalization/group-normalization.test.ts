import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { groupNorm } from '@descent/norm';
import { GroupNormalization, groupNormalization } from './group-normalization';
import { expectLayerMatchesOp, sampleTensor } from './test-support/layer-vs-op';

forEachBackend('groupNormalization', () => {
  it('output and gradients (x, gamma, beta) equal groupNorm, bit for bit', async () => {
    const x = sampleTensor([2, 3, 2, 8], 1, 1.5, 0.3);
    const layer = groupNormalization({ groups: 4, epsilon: 0.01 });
    await expectLayerMatchesOp(layer, x, (a, p) => groupNorm(a, p, { groups: 4, epsilon: 0.01 }), {
      rtol: 0,
      atol: 0,
    });
    layer.dispose();
    x.dispose();
  });

  it('a channel axis other than the last normalizes the same groups as channels last', async () => {
    const x = sampleTensor([2, 6, 3], 2, 2);
    const first = groupNormalization({ groups: 3, axis: 1 });
    const last = groupNormalization({ groups: 3 });
    const y = first.apply(x) as tf.Tensor;
    const xt = tf.transpose(x, [0, 2, 1]);
    const yt = last.apply(xt) as tf.Tensor;
    await expectClose(tf.transpose(yt, [0, 2, 1]), y, { rtol: 1e-5, atol: 1e-6 });
    expect(first.getWeights()[0]?.shape).toEqual([6]);
    tf.dispose([x, y, xt, yt]);
  });

  it('keeps Keras defaults and weight order, and leaks nothing', async () => {
    const layer = new GroupNormalization();
    expect([layer.groups, layer.axis, layer.epsilon, layer.center, layer.scale]).toEqual([
      32,
      -1,
      1e-3,
      true,
      true,
    ]);
    const x = sampleTensor([2, 5, 64], 3);
    tf.dispose(layer.apply(x) as tf.Tensor);
    expect(layer.weights.map((w) => w.originalName.split('/').pop())).toEqual(['gamma', 'beta']);
    await expectNoLeaks(async () => {
      const y = layer.apply(x) as tf.Tensor;
      const m = tf.mean(y);
      expect(Math.abs((await m.data())[0] as number)).toBeLessThan(1e-5);
      tf.dispose([y, m]);
    });
    layer.dispose();
    x.dispose();
  });
});
