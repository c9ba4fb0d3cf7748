import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import type { Schedule } from '@descent/core';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { runUpdate } from '../transform/run-update';
import { scale } from './scale';

const halving = Object.assign((step: number) => 2 * 0.5 ** step, {
  config: { type: 'test' },
}) as unknown as Schedule;

forEachBackend('scale', () => {
  it('multiplies by a constant or a schedule of its update count, keeping the sign', async () => {
    const u = { w: tf.tensor([1, -2]) };
    await expectNoLeaks(async () => {
      const neg = scale(-3);
      const r = runUpdate(neg, u, neg.init({}));
      await expectClose(r.updates.w as tf.Tensor, [-3, 6], { rtol: 0, atol: 0 });
      tf.dispose(Object.values(r.updates));
      const s = scale(halving);
      let state = s.init({});
      for (const factor of [2, 1, 0.5]) {
        const step = runUpdate(s, u, state);
        state = step.state;
        await expectClose(step.updates.w as tf.Tensor, [factor, -2 * factor], { rtol: 0, atol: 0 });
        tf.dispose(Object.values(step.updates));
      }
    });
    tf.dispose(Object.values(u));
  });
});

it('scale rejects a non-finite factor', () => {
  expect(() => scale(Number.NaN)).toThrow(/\[NON_FINITE\] factor/);
  expect(() => scale('2' as never)).toThrow(/\[BAD_ARGUMENT\] factor/);
});
