import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { chain } from '../transform/chain';
import { runUpdate } from '../transform/run-update';
import { fromTransform } from '../optimizers/transform-optimizer';
import {
  expectMatchesReference,
  type ReferenceStep,
  expectNoLeaksOverSteps,
} from '../test-support/optimizer-harness';
import { clipByValue } from './clip-by-value';
import { scaleByLearningRate } from './scale-by-learning-rate';

function clippedSgdReference(lr: number, lo: number, hi: number): ReferenceStep {
  return (values, grads) => {
    values.forEach((theta, k) => {
      const g = grads[k] as Float64Array;
      for (let i = 0; i < theta.length; i++) {
        theta[i] = (theta[i] as number) - lr * Math.min(Math.max(g[i] as number, lo), hi);
      }
    });
  };
}

forEachBackend('clipByValue', () => {
  it('clips element-wise, symmetric and asymmetric, one-sided with ±Infinity', async () => {
    await expectNoLeaks(async () => {
      const u = { a: tf.tensor([-3, -0.5, 0, 0.25, 2]) };
      const cases: [ReturnType<typeof clipByValue>, number[]][] = [
        [clipByValue(1), [-1, -0.5, 0, 0.25, 1]],
        [clipByValue(-0.25, 0.5), [-0.25, -0.25, 0, 0.25, 0.5]],
        [clipByValue(Number.NEGATIVE_INFINITY, 0), [-3, -0.5, 0, 0, 0]],
        [clipByValue(0, Number.POSITIVE_INFINITY), [0, 0, 0, 0.25, 2]],
      ];
      for (const [t, expected] of cases) {
        const { updates } = runUpdate(t, u, t.init({}));
        await expectClose(updates.a as tf.Tensor, expected);
        tf.dispose(Object.values(updates));
      }
      tf.dispose(Object.values(u));
    });
  });

  it('matches clipped SGD in float64 over 6 steps (bounds [−0.6, 0.9]; rtol 1e-5)', async () => {
    await expectMatchesReference(
      () => fromTransform(chain(clipByValue(-0.6, 0.9), scaleByLearningRate(0.07))),
      clippedSgdReference(0.07, -0.6, 0.9),
    );
  });

  it('leaks nothing over 100 steps', async () => {
    await expectNoLeaksOverSteps(
      () => fromTransform(chain(clipByValue(0.5), scaleByLearningRate(0.01))),
      { steps: 100, name: 'clipv', steadyState: false },
    );
  });
});

it('clipByValue rejects bad bounds', () => {
  expect(() => clipByValue(-1)).toThrow(expect.objectContaining({ code: 'BAD_HYPERPARAM' }));
  expect(() => clipByValue(2, 1)).toThrow(/min must be ≤ max/);
  expect(() => clipByValue(Number.NaN)).toThrow(expect.objectContaining({ code: 'NON_FINITE' }));
  expect(() => clipByValue(0, Number.NaN)).toThrow(expect.objectContaining({ code: 'NON_FINITE' }));
  expect(() => clipByValue(Number.POSITIVE_INFINITY, 0)).toThrow(
    expect.objectContaining({ code: 'BAD_HYPERPARAM' }),
  );
});
