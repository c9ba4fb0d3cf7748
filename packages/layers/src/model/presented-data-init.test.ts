import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { forEachBackend } from '@descent/core/testing';
import { expect, it } from 'vitest';
import { weightNormalization } from '../wrappers/weight-normalization';
import { fromLayersModel } from './from-layers-model';

forEachBackend('weightNormalization({ dataInit }) under fromLayersModel', () => {
  it("an apply in training mode does not count as the wrapper's data initialization", async () => {
    const model = tfl.sequential();
    const layer = weightNormalization({
      layer: tfl.layers.dense({ units: 3, inputShape: [4] }),
      dataInit: true,
    });
    model.add(layer);
    const x = tf.tensor2d([1, 2, 0, -1, 3, 1, -2, 0.5, 0, 1, 1, 2], [3, 4]);
    const weight = (suffix: string) => {
      const found = layer.weights.find((w) => w.name.endsWith(suffix));
      if (!found) throw new Error(`no weight ending in ${suffix}`);
      return found.read();
    };
    const before = Array.from(await weight('/g').data());
    const descent = fromLayersModel(model);
    tf.dispose(descent.apply(descent.params, x, { training: true }));
    expect(Array.from(await weight('/g').data())).toEqual(before);

    tf.dispose(layer.apply(x, { training: true }) as tf.Tensor);
    const t = tf.tidy(() => {
      const v = weight('/kernel');
      return tf.matMul(x, tf.div(v, tf.norm(v, 'euclidean', 0)));
    });
    // Data init: g = 1/σ of each unit's pre-activation t = x·v/‖v‖ over the batch.
    const { variance } = tf.moments(t, 0);
    const expected = Array.from(await variance.data()).map((s2) => 1 / Math.sqrt(s2));
    const after = Array.from(await weight('/g').data());
    for (const [i, g] of after.entries()) expect(g).toBeCloseTo(expected[i] as number, 3);
    tf.dispose([x, t, variance]);
    model.dispose();
  });
});
