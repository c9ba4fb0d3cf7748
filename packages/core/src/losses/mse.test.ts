import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { expectClose } from '../testing/expect-close';
import { expectDescentError } from '../testing/expect-descent-error';
import { expectNoLeaks } from '../testing/expect-no-leaks';
import { forEachBackend } from '../testing/for-each-backend';
import { mse } from './mse';

const PRED = [0.5, -1.25, 2, 3.5, 0, -0.75];
const TARGET = [1, -1, 0.5, 3, 0.25, 1];
const SQ = PRED.map((p, i) => (p - (TARGET[i] as number)) ** 2);
const SUM = SQ.reduce((a, b) => a + b, 0);

forEachBackend('mse', () => {
  it('is the mean (sum, element-wise) squared error, no ½ (rtol 1e-6)', async () => {
    const p = tf.tensor2d(PRED, [2, 3]);
    const t = tf.tensor2d(TARGET, [2, 3]);
    await expectNoLeaks(async () => {
      const mean = mse(p, t);
      const sum = mse(p, t, { reduction: 'sum' });
      const none = mse(p, t, { reduction: 'none' });
      expect(none.shape).toEqual([2, 3]);
      await expectClose(mean, SUM / 6, { rtol: 1e-6 });
      await expectClose(sum, SUM, { rtol: 1e-6 });
      await expectClose(none, SQ, { rtol: 1e-6 });
      tf.dispose([mean, sum, none]);
    });
    tf.dispose([p, t]);
  });

  it('has gradient (2/n)(pred − target) and Hessian (2/n)·I (HVP = (2/n)·v)', async () => {
    const p = tf.tensor1d(PRED);
    const t = tf.tensor1d(TARGET);
    const v = tf.tensor1d([1, -2, 3, 0.5, -1, 2]);
    const g = tf.grad((x: tf.Tensor) => mse(x, t))(p);
    await expectClose(
      g,
      PRED.map((pi, i) => (2 / 6) * (pi - (TARGET[i] as number))),
      { rtol: 1e-6 },
    );
    const hv = tf.grad((x: tf.Tensor) =>
      tf.sum(tf.mul(tf.grad((y: tf.Tensor) => mse(y, t))(x), v)),
    )(p);
    await expectClose(
      hv,
      [1, -2, 3, 0.5, -1, 2].map((vi) => (2 / 6) * vi),
      { rtol: 1e-6 },
    );
    tf.dispose([p, t, v, g, hv]);
  });

  it('rejects mismatched shapes, dtypes and options', () => {
    const p = tf.zeros([2, 3]);
    expectDescentError(() => mse(p, tf.zeros([3, 2])), 'SHAPE_MISMATCH', '[2, 3]', '[3, 2]');
    expectDescentError(() => mse(p, tf.zeros([2, 3], 'int32')), 'DTYPE_MISMATCH', 'target');
    expectDescentError(
      () => mse(p, p, { reduction: 'avg' as 'mean' }),
      'BAD_ARGUMENT',
      'reduction',
    );
    expectDescentError(() => mse(p, p, { weights: 2 } as never), 'UNKNOWN_PARAM', 'weights');
    tf.dispose(p);
  });
});
