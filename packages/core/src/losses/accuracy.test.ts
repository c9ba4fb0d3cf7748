import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { expectDescentError } from '../testing/expect-descent-error';
import { expectNoLeaks } from '../testing/expect-no-leaks';
import { forEachBackend } from '../testing/for-each-backend';
import { accuracy } from './accuracy';

// Row argmaxes: 2, 0, 1 (tie of 1 and 2: the lower index), 3, 0.
const LOGITS = [
  [0.1, 0.2, 0.9, -1],
  [3, 1, 2, 0],
  [0, 5, 5, 1],
  [-1, -2, -3, -0.5],
  [0.4, 0.3, 0.2, 0.1],
];

forEachBackend('accuracy', () => {
  it('counts argmax hits for int32 ids and one-hot labels, ties to the lower index', async () => {
    const z = tf.tensor2d(LOGITS);
    const ids = tf.tensor1d([2, 0, 2, 3, 1], 'int32'); // hits: 1, 1, 0 (tie → 1), 1, 0
    const oneHot = tf.oneHot(tf.tensor1d([2, 0, 1, 0, 0], 'int32'), 4); // hits: 1, 1, 1, 0, 1
    const oneHotF = tf.cast(oneHot, 'float32');
    await expectNoLeaks(async () => {
      expect(await accuracy(z, ids)).toBeCloseTo(3 / 5, 7);
      expect(await accuracy(z, oneHotF)).toBeCloseTo(4 / 5, 7);
    });
    tf.dispose([z, ids, oneHot, oneHotF]);
  });

  it('rejects bad labels synchronously', () => {
    const z = tf.tensor2d(LOGITS);
    expectDescentError(() => accuracy(z, tf.tensor1d([1, 2], 'int32')), 'SHAPE_MISMATCH', '[5]');
    expectDescentError(() => accuracy(z, tf.zeros([5], 'bool')), 'DTYPE_MISMATCH', 'labels');
    expectDescentError(
      () => accuracy(tf.scalar(1), tf.scalar(1, 'int32')),
      'SHAPE_MISMATCH',
      'rank',
    );
    tf.dispose(z);
  });
});
