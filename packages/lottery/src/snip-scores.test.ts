import * as tf from '@tensorflow/tfjs-core';
import { softmaxCrossEntropy } from '@descent/core';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { expect, it } from 'vitest';
import { snipScores } from './snip-scores';
import { C, KEYS, N, disposeCase, tinyCase, tol } from './test-support/tiny-case';

forEachBackend('snipScores', () => {
  it('equals |θ ⊙ ∂L/∂θ| of the float64 reference (2-layer ReLU net, mean cross-entropy)', async () => {
    await expectNoLeaks(async () => {
      const c = tinyCase();
      const scores = snipScores(c.model, { x: c.x, y: c.y });
      expect(Object.keys(scores)).toEqual([...KEYS]);
      for (const [i, key] of KEYS.entries()) {
        const ref = (c.theta[i] as number[]).map((t, j) =>
          Math.abs(t * ((c.g[i] as number[])[j] as number)),
        );
        expect(scores[key]?.shape).toEqual(c.model.params[key]?.shape);
        await expectClose(scores[key] as tf.Tensor, ref, tol(ref));
      }
      tf.dispose(Object.values(scores));
      disposeCase(c);
    });
  });

  it('takes float32 targets and a custom loss (sum reduction = n × the mean scores)', async () => {
    const c = tinyCase();
    const oneHot = tf.cast(tf.oneHot(c.y, C), 'float32');
    const before = tf.memory().numTensors;
    const mean = snipScores(c.model, { x: c.x, y: oneHot });
    const sum = snipScores(
      c.model,
      { x: c.x, y: oneHot },
      {
        loss: (z, y) => softmaxCrossEntropy(z, y, { reduction: 'sum' }),
      },
    );
    expect(tf.memory().numTensors - before).toBe(2 * KEYS.length);
    for (const [i, key] of KEYS.entries()) {
      const ref = (c.theta[i] as number[]).map((t, j) =>
        Math.abs(t * ((c.g[i] as number[])[j] as number)),
      );
      await expectClose(mean[key] as tf.Tensor, ref, tol(ref));
      await expectClose(
        sum[key] as tf.Tensor,
        ref.map((v) => v * N),
        tol(ref.map((v) => v * N)),
      );
    }
    tf.dispose([...Object.values(mean), ...Object.values(sum), oneHot]);
    disposeCase(c);
  });
});
