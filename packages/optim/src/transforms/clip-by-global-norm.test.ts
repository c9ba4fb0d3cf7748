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
import { clipByGlobalNorm } from './clip-by-global-norm';
import { scaleByLearningRate } from './scale-by-learning-rate';

/** SGD on gradients clipped to a global norm, in float64 (optax's clip_by_global_norm). */
function clippedSgdReference(lr: number, maxNorm: number): ReferenceStep {
  return (values, grads) => {
    let sq = 0;
    for (const g of grads) for (const x of g) sq += x * x;
    const norm = Math.sqrt(sq);
    const scale = norm < maxNorm ? 1 : maxNorm / norm;
    values.forEach((theta, k) => {
      const g = grads[k] as Float64Array;
      for (let i = 0; i < theta.length; i++) {
        theta[i] = (theta[i] as number) - lr * scale * (g[i] as number);
      }
    });
  };
}

forEachBackend('clipByGlobalNorm', () => {
  it('rescales all updates together to the global norm (closed form: ‖[3, 4, 12]‖ = 13)', async () => {
    await expectNoLeaks(async () => {
      const updates = { a: tf.tensor([3, 4]), b: tf.tensor([[0, 12]]) };
      const t = clipByGlobalNorm(6.5);
      const { updates: out, state } = runUpdate(t, updates, t.init({}));
      await expectClose(out.a as tf.Tensor, [1.5, 2], { rtol: 1e-6 });
      await expectClose(out.b as tf.Tensor, [0, 6], { rtol: 1e-6 });
      expect(out.b?.shape).toEqual([1, 2]);
      expect(state.slots).toEqual({});
      tf.dispose([...Object.values(updates), ...Object.values(out)]);
    });
  });

  it('returns updates below the threshold unchanged, and zero updates as zeros', async () => {
    const updates = { a: tf.tensor([0.3, -0.4]), z: tf.zeros([3]) };
    const t = clipByGlobalNorm(0.5000001);
    const { updates: out } = runUpdate(t, updates, t.init({}));
    expect(Array.from(await (out.a as tf.Tensor).data())).toEqual(
      Array.from(await updates.a.data()),
    );
    await expectClose(out.z as tf.Tensor, [0, 0, 0]);
    tf.dispose([...Object.values(updates), ...Object.values(out)]);
  });

  it('matches clipped SGD in float64 over 6 steps (clipping active; rtol 1e-5)', async () => {
    await expectMatchesReference(
      () => fromTransform(chain(clipByGlobalNorm(1.7), scaleByLearningRate(0.05))),
      clippedSgdReference(0.05, 1.7),
    );
  });

  it('leaks nothing over 100 steps and after dispose()', async () => {
    await expectNoLeaksOverSteps(
      () => fromTransform(chain(clipByGlobalNorm(1), scaleByLearningRate(0.01))),
      { steps: 100, name: 'clipgn', steadyState: false },
    );
  });
});

it('clipByGlobalNorm rejects a maxNorm that is not > 0', () => {
  expect(() => clipByGlobalNorm(0)).toThrow(expect.objectContaining({ code: 'BAD_HYPERPARAM' }));
  expect(() => clipByGlobalNorm(-1)).toThrow(/maxNorm/);
  expect(() => clipByGlobalNorm(Number.NaN)).toThrow(
    expect.objectContaining({ code: 'NON_FINITE' }),
  );
});
