import * as tf from '@tensorflow/tfjs-core';
import {
  expectClose,
  expectDescentError,
  expectNoLeaks,
  forEachBackend,
} from '@descent/core/testing';
import { expect, it } from 'vitest';
import { oneHot } from './one-hot';

forEachBackend('oneHot', () => {
  it('encodes an Int32Array as float32 unit rows', async () => {
    await expectNoLeaks(async () => {
      const t = oneHot(new Int32Array([2, 0, 1, 2]), 3);
      expect(t.dtype).toBe('float32');
      expect(t.shape).toEqual([4, 3]);
      await expectClose(t, [0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1], { atol: 0, rtol: 0 });
      t.dispose();
    });
  });

  it('encodes an int32 tensor of any rank, leaking nothing', async () => {
    const labels = tf.tensor(
      [
        [1, 0],
        [3, 2],
      ],
      [2, 2],
      'int32',
    );
    const before = tf.memory().numTensors;
    const t = oneHot(labels, 4);
    expect(tf.memory().numTensors - before, 'only the result is new').toBe(1);
    expect(t.shape).toEqual([2, 2, 4]);
    expect(t.dtype).toBe('float32');
    await expectClose(t, [0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0], { atol: 0, rtol: 0 });
    t.dispose();
    labels.dispose();
  });

  it('rejects bad labels and class counts', () => {
    expectDescentError(
      () => oneHot(new Int32Array([0, 3]), 3),
      'BAD_ARGUMENT',
      'oneHot.labels[1]',
      '3',
    );
    expectDescentError(() => oneHot(new Int32Array([0]), 1), 'BAD_HYPERPARAM', 'oneHot.numClasses');
    const f = tf.tensor([0, 1], [2], 'float32');
    expectDescentError(() => oneHot(f, 2), 'DTYPE_MISMATCH', 'oneHot.labels', 'float32');
    f.dispose();
    expectDescentError(() => oneHot([0, 1] as never, 2), 'BAD_ARGUMENT', 'oneHot.labels');
  });
});
