import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { runUpdate } from '../transform/run-update';
import { scaleByParamBlockRms } from './scale-by-param-block-rms';

forEachBackend('scaleByParamBlockRms', () => {
  it('multiplies by max(rms(θ), minScale) per tensor', async () => {
    const t = scaleByParamBlockRms(0.5);
    const params = { w: tf.tensor([3, 4, 0, 0]), tiny: tf.tensor([0.1, -0.1]) };
    const updates = { w: tf.tensor([1, 2, 3, 4]), tiny: tf.tensor([2, 4]) };
    await expectNoLeaks(async () => {
      const r = runUpdate(t, updates, t.init(params), params);
      // rms(w) = √(25/4) = 2.5; rms(tiny) = 0.1 < 0.5 → 0.5.
      await expectClose(r.updates.w as tf.Tensor, [2.5, 5, 7.5, 10], { rtol: 1e-6 });
      await expectClose(r.updates.tiny as tf.Tensor, [1, 2], { rtol: 1e-6 });
      tf.dispose(Object.values(r.updates));
    });
    tf.dispose([...Object.values(params), ...Object.values(updates)]);
  });
});

it('scaleByParamBlockRms rejects a negative minScale and a missing parameter', () => {
  expect(() => scaleByParamBlockRms(-1)).toThrow(/\[BAD_HYPERPARAM\] minScale/);
  const t = scaleByParamBlockRms();
  const g = tf.ones([2]);
  expect(() => t.update({ w: g }, t.init({}))).toThrow(
    /\[BAD_ARGUMENT\] scaleByParamBlockRms needs params/,
  );
  g.dispose();
});
