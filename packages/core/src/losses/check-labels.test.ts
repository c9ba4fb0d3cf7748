import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { expectDescentErrorAsync } from '../testing/expect-descent-error';
import { expectNoLeaks } from '../testing/expect-no-leaks';
import { forEachBackend } from '../testing/for-each-backend';
import { checkLabels } from './check-labels';

forEachBackend('checkLabels', () => {
  it('accepts ids in [0, C) and names the first id outside it, reading with await data()', async () => {
    const good = tf.tensor1d([0, 1, 2, 2], 'int32');
    const bad = tf.tensor2d([0, 1, 7, -1], [2, 2], 'int32');
    await expectNoLeaks(async () => {
      await expect(checkLabels('labels', good, 3)).resolves.toBeUndefined();
      await expectDescentErrorAsync(
        () => checkLabels('labels', bad, 3),
        'BAD_ARGUMENT',
        'labels',
        '7',
        'flat index 2',
      );
    });
    tf.dispose([good, bad]);
  });
});
