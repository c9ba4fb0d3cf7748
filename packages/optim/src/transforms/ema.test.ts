import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { chain } from '../transform/chain';
import { runUpdate } from '../transform/run-update';
import { disposeState } from '../transform/transform-state';
import { fromTransform } from '../optimizers/transform-optimizer';
import {
  expectMatchesReference,
  type ReferenceStep,
  expectNoLeaksOverSteps,
} from '../test-support/optimizer-harness';
import { expectResumes } from '../test-support/resume-harness';
import { ema } from './ema';
import { scaleByLearningRate } from './scale-by-learning-rate';

/** SGD on optax's ema of the gradients, in float64. */
function emaSgdReference(lr: number, decay: number, debias: boolean): ReferenceStep {
  const state: Float64Array[] = [];
  return (values, grads, step) => {
    const t = step + 1;
    values.forEach((theta, k) => {
      state[k] ??= new Float64Array(theta.length);
      const e = state[k] as Float64Array;
      const g = grads[k] as Float64Array;
      for (let i = 0; i < theta.length; i++) {
        e[i] = decay * (e[i] as number) + (1 - decay) * (g[i] as number);
        const u = debias ? (e[i] as number) / (1 - decay ** t) : (e[i] as number);
        theta[i] = (theta[i] as number) - lr * u;
      }
    });
  };
}

forEachBackend('ema', () => {
  it('debiased EMA of a constant is the constant; without debias it is (1 − decayᵗ)·c', async () => {
    await expectNoLeaks(async () => {
      const c = { w: tf.tensor([2, -4]) };
      for (const debias of [true, false]) {
        const t = ema(0.6, { debias });
        let state = t.init({});
        for (let step = 1; step <= 3; step++) {
          const r = runUpdate(t, c, state);
          state = r.state;
          const factor = debias ? 1 : 1 - 0.6 ** step;
          await expectClose(r.updates.w as tf.Tensor, [2 * factor, -4 * factor], { rtol: 1e-6 });
          tf.dispose(Object.values(r.updates));
        }
        disposeState(state);
      }
      tf.dispose(Object.values(c));
    });
  });

  it('matches optax ema (debias) + SGD in float64 over 6 steps (decay 0.7; rtol 1e-5)', async () => {
    await expectMatchesReference(
      () => fromTransform(chain(ema(0.7), scaleByLearningRate(0.05))),
      emaSgdReference(0.05, 0.7, true),
    );
  });

  it('matches optax ema (debias: false) + SGD in float64 over 6 steps (decay 0.3)', async () => {
    await expectMatchesReference(
      () => fromTransform(chain(ema(0.3, { debias: false }), scaleByLearningRate(0.05))),
      emaSgdReference(0.05, 0.3, false),
    );
  });

  it('resumes exactly from getWeights/setWeights', async () => {
    await expectResumes(() => fromTransform(chain(ema(0.8), scaleByLearningRate(0.1))));
  });

  it('leaks nothing over 100 steps and after dispose()', async () => {
    await expectNoLeaksOverSteps(
      () => fromTransform(chain(ema(0.9, { debias: false }), scaleByLearningRate(0.01))),
      { steps: 100, name: 'ema', steadyState: false },
    );
  });
});

it('ema rejects a decay outside [0, 1)', () => {
  expect(() => ema(1)).toThrow(expect.objectContaining({ code: 'BAD_HYPERPARAM' }));
  expect(() => ema(-0.1)).toThrow(/decay/);
  expect(() => ema(Number.NaN)).toThrow(expect.objectContaining({ code: 'NON_FINITE' }));
});
