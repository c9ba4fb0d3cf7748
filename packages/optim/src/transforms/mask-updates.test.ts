import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { chain } from '../transform/chain';
import { runUpdate } from '../transform/run-update';
import { fromTransform } from '../optimizers/transform-optimizer';
import { adam } from '../optimizers/adam';
import { uniqueSuffix } from '../test-support/optimizer-harness';
import { maskUpdates } from './mask-updates';
import { scaleByAdam } from './scale-by-adam';
import { scaleByLearningRate } from './scale-by-learning-rate';

forEachBackend('maskUpdates', () => {
  it('multiplies by float, int and bool masks; names without a mask pass through', async () => {
    await expectNoLeaks(async () => {
      const masks = {
        a: tf.tensor([1, 0, 1]),
        b: tf.tensor([[0, 1]], [1, 2], 'int32'),
        c: tf.tensor([true, false], [2], 'bool'),
      };
      const u = {
        a: tf.tensor([1, 2, 3]),
        b: tf.tensor([[4, 5]]),
        c: tf.tensor([6, 7]),
        d: tf.tensor([8]),
      };
      const t = maskUpdates(masks);
      const { updates } = runUpdate(t, u, t.init({}));
      await expectClose(updates.a as tf.Tensor, [1, 0, 3]);
      await expectClose(updates.b as tf.Tensor, [0, 5]);
      await expectClose(updates.c as tf.Tensor, [6, 0]);
      expect(updates.d).toBe(u.d);
      tf.dispose([...Object.values(masks), ...Object.values(u), updates.a, updates.b, updates.c]);
    });
  });

  it('keeps pruned weights exactly fixed under Adam for 6 steps, and the rest on Adam’s trajectory', async () => {
    const suffix = uniqueSuffix();
    const init = [0.5, -1, 2, 0.25];
    const mask = tf.tensor([1, 0, 1, 0]);
    const w = tf.variable(tf.tensor(init), true, `masked${suffix}`);
    const free = tf.variable(tf.tensor(init), true, `free${suffix}`);
    const masked = fromTransform(
      chain(scaleByAdam({ beta1: 0.8 }), scaleByLearningRate(0.1), maskUpdates({ [w.name]: mask })),
    );
    const plain = adam({ learningRate: 0.1, beta1: 0.8 });
    for (let i = 0; i < 6; i++) {
      masked.minimize(
        () => tf.sum(tf.mul(tf.square(w), tf.tensor([1, 2, 3, 4]))) as tf.Scalar,
        false,
        [w],
      );
      plain.minimize(
        () => tf.sum(tf.mul(tf.square(free), tf.tensor([1, 2, 3, 4]))) as tf.Scalar,
        false,
        [free],
      );
    }
    const got = await w.data();
    const ref = await free.data();
    expect([got[1], got[3]]).toEqual([Math.fround(-1), Math.fround(0.25)]);
    await expectClose([got[0] as number, got[2] as number], [ref[0] as number, ref[2] as number], {
      rtol: 1e-6,
    });
    masked.dispose();
    plain.dispose();
    tf.dispose([w, free, mask]);
  });
});

it('maskUpdates checks masks: tensors, live, same shape as the update (before computing)', async () => {
  await tf.setBackend('cpu');
  expect(() => maskUpdates({ a: [1, 0] as never })).toThrow(
    expect.objectContaining({ code: 'BAD_ARGUMENT' }),
  );
  expect(() => maskUpdates(null as never)).toThrow(
    expect.objectContaining({ code: 'BAD_ARGUMENT' }),
  );
  const m = tf.tensor([1, 0]);
  const t = maskUpdates({ a: m });
  const u = { a: tf.tensor([1, 2, 3]) };
  expect(() => t.update(u, t.init({}))).toThrow(
    expect.objectContaining({ code: 'SHAPE_MISMATCH' }),
  );
  m.dispose();
  expect(() => t.update(u, t.init({}))).toThrow(expect.objectContaining({ code: 'DISPOSED' }));
  tf.dispose(Object.values(u));
});
