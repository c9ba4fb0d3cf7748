import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { chain } from '../transform/chain';
import { runUpdate } from '../transform/run-update';
import { disposeState } from '../transform/transform-state';
import { fromTransform } from '../optimizers/transform-optimizer';
import {
  expectMatchesReference,
  type ReferenceStep,
  uniqueSuffix,
} from '../test-support/optimizer-harness';
import { scaleByLearningRate } from './scale-by-learning-rate';
import { scaleBySign } from './scale-by-sign';

/** signSGD in float64: θ ← θ − η·sign(g). */
function signSgdReference(lr: number): ReferenceStep {
  return (values, grads) => {
    values.forEach((theta, k) => {
      const g = grads[k] as Float64Array;
      for (let i = 0; i < theta.length; i++)
        theta[i] = (theta[i] as number) - lr * Math.sign(g[i] as number);
    });
  };
}

forEachBackend('scaleBySign', () => {
  it('maps every update to −1, 0 or 1 (exactly, tiny values too; NaN stays NaN) and keeps no state', async () => {
    await expectNoLeaks(async () => {
      const t = scaleBySign();
      const state = t.init({});
      const g = tf.tensor([-3, 0, 0.25, -1e-20, 7, 3e-8, Number.NaN]);
      const { updates, state: next } = runUpdate(t, { w: g }, state);
      await expectClose(updates.w as tf.Tensor, [-1, 0, 1, -1, 1, 1, Number.NaN], { atol: 0 });
      expect(next.slots).toEqual({});
      tf.dispose([g, updates.w as tf.Tensor]);
      disposeState(next);
    });
  });

  it('gives signSGD in a chain over 6 steps (rtol 1e-6)', async () => {
    await expectMatchesReference(
      () => fromTransform(chain(scaleBySign(), scaleByLearningRate(0.05))),
      signSgdReference(0.05),
      { rtol: 1e-6, prefix: `sign${uniqueSuffix()}` },
    );
  });
});
