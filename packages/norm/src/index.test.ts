/**
 * The package entry: the exact list of runtime exports, and the ownership rule — every public op,
 * used as documented (dispose the old state, keep the new one), leaves no tensor behind.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@descent/core';
import { expect, it } from 'vitest';
import { expectNoLeaks, forEachBackend } from '@descent/core/testing';
import * as api from './index';
import { mlp } from './test-support/mlp';

it('exports exactly the documented functions', () => {
  expect(Object.keys(api).sort()).toEqual(
    [
      'batchNorm',
      'batchNormState',
      'batchRenorm',
      'checkBatchNormState',
      'disposeState',
      'groupNorm',
      'instanceNorm',
      'keepState',
      'layerNorm',
      'lipschitzUpperBound',
      'spectralNorm',
      'spectralNormState',
      'spectralNormValue',
      'switchableNorm',
      'weightNorm',
    ].sort(),
  );
});

forEachBackend('no leaks', () => {
  it('every op, in training and inference, with the state handed over as documented', async () => {
    const x = new Rng(1).normal([4, 2, 2, 4]);
    const gamma = tf.ones([4]);
    const beta = tf.zeros([4]);
    const logits = tf.zeros([3]);
    const kernel = new Rng(2).normal([3, 3, 4, 4]);
    const g = tf.ones([4]);
    const model = mlp([3, 5, 2], 3);
    await expectNoLeaks(async () => {
      let bn = api.batchNormState(4);
      let sn = api.spectralNormState(kernel.shape, new Rng(3));
      for (const training of [true, false]) {
        for (const op of [api.batchNorm, api.batchRenorm] as const) {
          const out = op(x, { gamma, beta }, bn, { training });
          api.disposeState(bn);
          bn = out.state;
          out.y.dispose();
        }
        const sw = api.switchableNorm(
          x,
          { gamma, beta, meanLogits: logits, varLogits: logits },
          bn,
          {
            training,
          },
        );
        api.disposeState(bn);
        bn = sw.state;
        sw.y.dispose();
        const s = api.spectralNorm(kernel, sn, { training });
        api.disposeState(sn);
        sn = s.state;
        s.w.dispose();
      }
      tf.dispose([
        api.layerNorm(x, { gamma, beta }),
        api.instanceNorm(x, { gamma, beta }),
        api.groupNorm(x, { gamma, beta }, { groups: 2 }),
        api.weightNorm(kernel, g),
      ]);
      await api.spectralNormValue(kernel);
      await api.lipschitzUpperBound(model);
      api.disposeState(bn);
      api.disposeState(sn);
    });
    tf.dispose([x, gamma, beta, logits, kernel, g, ...Object.values(model.params)]);
  });
});
