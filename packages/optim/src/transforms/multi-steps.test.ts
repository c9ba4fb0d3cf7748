import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { expectClose, forEachBackend } from '@descent/core/testing';
import { chain } from '../transform/chain';
import { runUpdate } from '../transform/run-update';
import { disposeState } from '../transform/transform-state';
import { fromTransform } from '../optimizers/transform-optimizer';
import {
  expectMatchesReference,
  type ReferenceStep,
  runWithSampleGradients,
  sampleParams,
  uniqueSuffix,
  expectNoLeaksOverSteps,
} from '../test-support/optimizer-harness';
import { expectResumes } from '../test-support/resume-harness';
import { multiSteps } from './multi-steps';
import { scaleByAdam } from './scale-by-adam';
import { scaleByLearningRate } from './scale-by-learning-rate';

/** optax MultiSteps(adam, k) in float64: Adam on the mean of every k gradients, nothing between. */
function multiStepAdamReference(
  k: number,
  o: { lr: number; b1: number; b2: number; eps: number },
): ReferenceStep {
  const acc: Float64Array[] = [];
  const m: Float64Array[] = [];
  const v: Float64Array[] = [];
  return (values, grads, step) => {
    values.forEach((theta, p) => {
      acc[p] ??= new Float64Array(theta.length);
      const a = acc[p] as Float64Array;
      const g = grads[p] as Float64Array;
      for (let i = 0; i < theta.length; i++) a[i] = (a[i] as number) + (g[i] as number);
      if ((step + 1) % k !== 0) return;
      const t = (step + 1) / k;
      m[p] ??= new Float64Array(theta.length);
      const mp = m[p] as Float64Array;
      v[p] ??= new Float64Array(theta.length);
      const vp = v[p] as Float64Array;
      for (let i = 0; i < theta.length; i++) {
        const mean = (a[i] as number) / k;
        mp[i] = o.b1 * (mp[i] as number) + (1 - o.b1) * mean;
        vp[i] = o.b2 * (vp[i] as number) + (1 - o.b2) * mean * mean;
        const mHat = (mp[i] as number) / (1 - o.b1 ** t);
        const vHat = (vp[i] as number) / (1 - o.b2 ** t);
        theta[i] = (theta[i] as number) - (o.lr * mHat) / (Math.sqrt(vHat) + o.eps);
        a[i] = 0;
      }
    });
  };
}

const o = { lr: 0.05, b1: 0.7, b2: 0.9, eps: 1e-6 };
const inner = () =>
  chain(scaleByAdam({ beta1: o.b1, beta2: o.b2, epsilon: o.eps }), scaleByLearningRate(o.lr));

forEachBackend('multiSteps', () => {
  it('matches optax MultiSteps(adam, k = 3) in float64 over 9 steps (rtol 1e-5)', async () => {
    await expectMatchesReference(
      () => fromTransform(multiSteps(inner(), { everyK: 3 })),
      multiStepAdamReference(3, o),
      { steps: 9 },
    );
  });

  it('leaves the variables exactly unchanged between inner steps', async () => {
    const params = sampleParams(`ms${uniqueSuffix()}`);
    const opt = fromTransform(multiSteps(inner(), { everyK: 3 }));
    const after = await runWithSampleGradients(opt, params, 2);
    opt.dispose();
    expect(after.map((a) => Array.from(a))).toEqual(
      params.map((p) => Array.from(Float32Array.from(p.values))),
    );
  });

  it('everyK = 1 is the inner transformation itself', async () => {
    await expectMatchesReference(
      () => fromTransform(multiSteps(inner(), { everyK: 1 })),
      multiStepAdamReference(1, o),
    );
  });

  it('resumes exactly from getWeights/setWeights in the middle of a window', async () => {
    await expectResumes(() => fromTransform(multiSteps(inner(), { everyK: 3 })), {
      steps: 8,
      splitAt: 4,
    });
  });

  it('leaks nothing over 100 steps and after dispose()', async () => {
    await expectNoLeaksOverSteps(() => fromTransform(multiSteps(inner(), { everyK: 4 })), {
      steps: 100,
      name: 'msleak',
      steadyState: false,
    });
  });
});

it('multiSteps counts mini-steps per parameter and keeps slots acc, miniStep and scalars', async () => {
  await tf.setBackend('cpu');
  const t = multiSteps(scaleByLearningRate(1), { everyK: 2 });
  const a = tf.tensor([1, 2]);
  const b = tf.tensor([10]);
  let state = t.init({});
  const r1 = runUpdate(t, { a }, state); // a: 1 of 2
  const r2 = runUpdate(t, { a, b }, r1.state); // a: emits −mean; b: 1 of 2
  await expectClose(r1.updates.a as tf.Tensor, [0, 0]);
  await expectClose(r2.updates.a as tf.Tensor, [-1, -2]);
  await expectClose(r2.updates.b as tf.Tensor, [0]);
  const r3 = runUpdate(t, { b: tf.tensor([20]) }, r2.state); // b emits −15
  await expectClose(r3.updates.b as tf.Tensor, [-15]);
  state = r3.state;
  expect(state.scalars).toEqual({ count: 3, gradientStep: 2 });
  expect(state.slots.a?.miniStep).toBe(0);
  expect(state.slots.b?.miniStep).toBe(0);
  await expectClose(state.slots.b?.acc as tf.Tensor, [0]);
  expect(state.inner[0]?.scalars.count).toBe(2);
  tf.dispose([a, b, ...[r1, r2, r3].flatMap((r) => Object.values(r.updates))]);
  disposeState(state);
});

it('multiSteps validates its arguments', () => {
  expect(() => multiSteps(inner(), { everyK: 0 })).toThrow(
    expect.objectContaining({ code: 'BAD_HYPERPARAM' }),
  );
  expect(() => multiSteps(inner(), { everyK: 2.5 })).toThrow(/everyK/);
  expect(() => multiSteps(inner(), {} as never)).toThrow(/everyK/);
  expect(() => multiSteps({} as never, { everyK: 2 })).toThrow(
    expect.objectContaining({ code: 'BAD_ARGUMENT' }),
  );
});
