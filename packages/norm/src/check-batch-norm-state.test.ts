import * as tf from '@tensorflow/tfjs-core';
import { expectDescentErrorAsync, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { expect, it } from 'vitest';
import { checkBatchNormState } from './check-batch-norm-state';
import { batchNormState, disposeState } from './norm-state';

forEachBackend('checkBatchNormState', () => {
  it('accepts fresh running statistics and refuses a negative variance or a NaN mean', async () => {
    const fresh = batchNormState(3);
    const negative = { mean: tf.zeros([3]), variance: tf.tensor1d([1, -0.5, 1]) };
    const nan = { mean: tf.tensor1d([0, Number.NaN, 0]), variance: tf.ones([3]) };
    await expectNoLeaks(async () => {
      await expect(checkBatchNormState(fresh, 3)).resolves.toBeUndefined();
      await expectDescentErrorAsync(
        () => checkBatchNormState(negative),
        'BAD_ARGUMENT',
        'variance',
      );
      await expectDescentErrorAsync(() => checkBatchNormState(nan), 'NON_FINITE', 'mean');
    });
    for (const s of [fresh, negative, nan]) disposeState(s);
  });
});
