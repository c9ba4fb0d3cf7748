import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { expect, it } from 'vitest';
import { graspScores } from './grasp-scores';
import { KEYS, disposeCase, tinyCase, tol } from './test-support/tiny-case';

forEachBackend('graspScores', () => {
  it("equals −θ ⊙ (H g) of the float64 reference (double backprop through relu, matMul, add and core's cross-entropy)", async () => {
    await expectNoLeaks(async () => {
      const c = tinyCase();
      const scores = graspScores(c.model, { x: c.x, y: c.y });
      expect(Object.keys(scores)).toEqual([...KEYS]);
      for (const [i, key] of KEYS.entries()) {
        const ref = (c.theta[i] as number[]).map(
          (t, j) => -t * ((c.hg[i] as number[])[j] as number),
        );
        await expectClose(scores[key] as tf.Tensor, ref, tol(ref));
      }
      tf.dispose(Object.values(scores));
      disposeCase(c);
    });
  });
});

it('graspScores refuses a loss without a second-order gradient in tfjs (NO_GRADIENTS), no leaks', async () => {
  const c = tinyCase();
  const before = tf.memory().numTensors;
  let error: unknown;
  try {
    graspScores(
      c.model,
      { x: c.x, y: c.y },
      {
        loss: (z, y) => tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(y, 3), tf.logSoftmax(z)), -1))),
      },
    );
  } catch (e) {
    error = e;
  }
  expect(tf.memory().numTensors).toBe(before);
  expect((error as { code?: string }).code).toBe('NO_GRADIENTS');
  expect(String((error as Error).message)).toContain('graspScores');
  disposeCase(c);
});
