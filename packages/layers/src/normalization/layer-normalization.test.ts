import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { layerNorm } from '@descent/norm';
import { LayerNormalization, layerNormalization } from './layer-normalization';
import { expectLayerMatchesOp, sampleTensor } from './test-support/layer-vs-op';

forEachBackend('layerNormalization', () => {
  it('output and gradients (x, gamma, beta) equal layerNorm over the last axis, bit for bit', async () => {
    const x = sampleTensor([3, 2, 16], 7, 2, 0.5);
    const layer = layerNormalization({ epsilon: 0.01 });
    await expectLayerMatchesOp(layer, x, (a, p) => layerNorm(a, p, { epsilon: 0.01 }), {
      rtol: 0,
      atol: 0,
    });
    layer.dispose();
    x.dispose();
  });

  it('output and gradients equal layerNorm over several axes', async () => {
    const x = sampleTensor([2, 3, 4, 5], 8, 1.3);
    const layer = layerNormalization({ axis: [-1, 2] });
    await expectLayerMatchesOp(layer, x, (a, p) => layerNorm(a, p, { axis: [2, 3] }), {
      rtol: 0,
      atol: 0,
    });
    expect(layer.getWeights()[0]?.shape).toEqual([4, 5]);
    layer.dispose();
    x.dispose();
  });

  // The fused kernels and tfjs's ops round differently: agreement to float32 precision.
  it('takes tfjs-layers LayerNormalization weights and gives its outputs and gradients (rtol 1e-4)', async () => {
    for (const axis of [-1, [1, 2]]) {
      const x = sampleTensor([4, 3, 8], 9, 1.7, 0.4);
      const theirs = tfl.layers.layerNormalization({ axis, epsilon: 1e-3 });
      tf.dispose(theirs.apply(x) as tf.Tensor);
      const shape = (theirs.getWeights()[0] as tf.Tensor).shape;
      const weights = [sampleTensor(shape, 10, 0.5, 1), sampleTensor(shape, 11, 0.5)];
      theirs.setWeights(weights);
      const ours = layerNormalization({ axis, epsilon: 1e-3 });
      tf.dispose(ours.apply(x) as tf.Tensor);
      ours.setWeights(theirs.getWeights());
      expect(ours.weights.map((w) => [w.originalName.split('/').pop(), w.shape])).toEqual(
        theirs.weights.map((w) => [w.originalName.split('/').pop(), w.shape]),
      );
      const dy = sampleTensor(x.shape, 12);
      const gradsOf = (layer: tfl.layers.Layer) =>
        tf.grad((a: tf.Tensor) => tf.sum(tf.mul(layer.apply(a) as tf.Tensor, dy)))(x);
      const [y, yTheirs] = [ours.apply(x) as tf.Tensor, theirs.apply(x) as tf.Tensor];
      const [g, gTheirs] = [gradsOf(ours), gradsOf(theirs)];
      await expectClose(y, yTheirs, { rtol: 1e-4, atol: 1e-5 });
      await expectClose(g, gTheirs, { rtol: 1e-4, atol: 1e-5 });
      tf.dispose([x, dy, y, yTheirs, g, gTheirs, ...weights]);
      ours.dispose();
      theirs.dispose();
    }
  });

  it('has tfjs-layers LayerNormalization config keys and defaults, and leaks nothing', async () => {
    const ours = new LayerNormalization();
    const theirs = tfl.layers.layerNormalization({});
    const x = sampleTensor([2, 6], 13);
    tf.dispose([ours.apply(x), theirs.apply(x)] as tf.Tensor[]);
    const strip = (c: tf.serialization.ConfigDict) => {
      const { name, axis, ...rest } = c;
      return rest;
    };
    expect(Object.keys(ours.getConfig()).sort()).toEqual(Object.keys(theirs.getConfig()).sort());
    expect(strip(ours.getConfig())).toEqual(strip(theirs.getConfig()));
    expect(ours.axis).toBe(-1);
    await expectNoLeaks(async () => {
      const y = ours.apply(x) as tf.Tensor;
      await y.data();
      y.dispose();
    });
    tf.dispose(x);
    ours.dispose();
    theirs.dispose();
  });
});
