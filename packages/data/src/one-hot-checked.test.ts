import * as tf from '@tensorflow/tfjs-core';
import { expectDescentErrorAsync, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { expect, it } from 'vitest';
import { oneHotChecked } from './one-hot-checked';

forEachBackend('oneHotChecked', () => {
  it('one-hot rows for ids in range; an id out of range is refused, not a zero row', async () => {
    const good = tf.tensor1d([2, 0], 'int32');
    const bad = tf.tensor1d([0, 5], 'int32');
    await expectNoLeaks(async () => {
      const y = await oneHotChecked(good, 3);
      expect(Array.from(await y.data())).toEqual([0, 0, 1, 1, 0, 0]);
      y.dispose();
      await expectDescentErrorAsync(() => oneHotChecked(bad, 3), 'BAD_ARGUMENT', '5');
    });
    tf.dispose([good, bad]);
  });
});
