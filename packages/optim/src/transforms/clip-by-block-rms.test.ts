import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { runUpdate } from '../transform/run-update';
import { clipByBlockRms } from './clip-by-block-rms';

forEachBackend('clipByBlockRms', () => {
  it('divides each tensor by max(1, rms/d), independently', async () => {
    const t = clipByBlockRms(2);
    const updates = { big: tf.tensor([3, -4, 12, 0], [2, 2]), small: tf.tensor([1, -1]) };
    await expectNoLeaks(async () => {
      const r = runUpdate(t, updates, t.init({}));
      // rms(big) = √(169/4) = 6.5 → divided by 3.25; rms(small) = 1 ≤ 2 → unchanged.
      await expectClose(r.updates.big as tf.Tensor, [3 / 3.25, -4 / 3.25, 12 / 3.25, 0], {
        rtol: 1e-6,
      });
      await expectClose(r.updates.small as tf.Tensor, [1, -1], { rtol: 0, atol: 0 });
      tf.dispose(Object.values(r.updates));
    });
    tf.dispose(Object.values(updates));
  });
});

it('clipByBlockRms rejects a threshold ≤ 0', () => {
  expect(() => clipByBlockRms(0)).toThrow(/\[BAD_HYPERPARAM\] threshold/);
  expect(() => clipByBlockRms(Number.POSITIVE_INFINITY)).toThrow(/\[NON_FINITE\] threshold/);
});
