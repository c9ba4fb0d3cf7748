import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import type { Params } from '@descent/core';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { runUpdate } from '../transform/run-update';
import { disposeState, type TransformState } from '../transform/transform-state';
import { scaleByMomentum } from './scale-by-momentum';

forEachBackend('scaleByMomentum', () => {
  it('starts each parameter with b = g (no dampening on the first step), also one first seen later', async () => {
    await expectNoLeaks(async () => {
      const t = scaleByMomentum({ momentum: 0.5, dampening: 0.5 });
      let state: TransformState = t.init({});
      const a1 = tf.tensor([2, -4]);
      let r = runUpdate(t, { a: a1 }, state);
      state = r.state;
      await expectClose(r.updates.a as tf.Tensor, [2, -4]); // b = g
      tf.dispose(Object.values(r.updates));
      const a2 = tf.tensor([1, 1]);
      const b1 = tf.tensor([10]);
      r = runUpdate(t, { a: a2, b: b1 }, state);
      state = r.state;
      await expectClose(r.updates.a as tf.Tensor, [1.5, -1.5]); // 0.5·[2, −4] + 0.5·[1, 1]
      await expectClose(r.updates.b as tf.Tensor, [10]); // first step of b: b = g
      tf.dispose(Object.values(r.updates));
      tf.dispose([a1, a2, b1]);
      disposeState(state);
    });
  });

  it('hands out updates the caller may dispose without freeing the state', async () => {
    await expectNoLeaks(async () => {
      const t = scaleByMomentum({ momentum: 0.9 });
      const g = tf.tensor([1, 2]);
      const first = runUpdate(t, { w: g }, t.init({}));
      tf.dispose(Object.values(first.updates));
      const second = runUpdate(t, { w: g }, first.state);
      await expectClose(second.updates.w as tf.Tensor, [1.9, 3.8]);
      tf.dispose(Object.values(second.updates));
      tf.dispose(g);
      disposeState(second.state);
    });
  });

  it('passes updates through unchanged and keeps no state when momentum is 0', async () => {
    const t = scaleByMomentum({ momentum: 0 });
    const g = tf.tensor([1, 2]);
    const updates: Params = { w: g };
    const r = runUpdate(t, updates, t.init({ w: g }));
    expect(r.updates.w).toBe(g);
    expect(r.state.slots).toEqual({});
    g.dispose();
  });
});
