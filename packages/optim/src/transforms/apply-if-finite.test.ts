import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { chain } from '../transform/chain';
import { runUpdate } from '../transform/run-update';
import { disposeState } from '../transform/transform-state';
import { fromTransform } from '../optimizers/transform-optimizer';
import {
  type Float64Param,
  sampleGradient,
  sampleParams,
  uniqueSuffix,
} from '../test-support/optimizer-harness';
import { expectResumes } from '../test-support/resume-harness';
import { applyIfFinite } from './apply-if-finite';
import { ema } from './ema';
import { scaleByAdam } from './scale-by-adam';
import { scaleByLearningRate } from './scale-by-learning-rate';

/** Sample gradients, with NaN (step 1) and −Infinity (steps 3, 4) in one element of one parameter. */
function poisoned(p: Float64Param, index: number, step: number): Float64Array {
  const g = sampleGradient(p, index, step);
  if (step === 1 && index === 1) g[2] = Number.NaN;
  if ((step === 3 || step === 4) && index === 0) g[7] = Number.NEGATIVE_INFINITY;
  return g;
}
const BAD_STEPS = new Set([1, 3, 4]);

forEachBackend('applyIfFinite', () => {
  it('skips non-finite steps entirely: the trajectory equals EMA-SGD over the finite steps only (float64)', async () => {
    const params = sampleParams(`aif${uniqueSuffix()}`);
    const variables = params.map((p) =>
      tf.variable(tf.tensor(Float32Array.from(p.values), p.shape), true, p.name),
    );
    const opt = fromTransform(
      applyIfFinite(chain(ema(0.6, { debias: false }), scaleByLearningRate(0.1))),
    );
    const steps = 7;
    for (let step = 0; step < steps; step++) {
      const grads: tf.NamedTensorMap = {};
      params.forEach((p, i) => {
        grads[p.name] = tf.tensor(Float32Array.from(poisoned(p, i, step)), p.shape);
      });
      opt.applyGradients(grads);
      tf.dispose(Object.values(grads));
    }
    // float64 reference that never sees the bad steps
    const values = params.map((p) => Float64Array.from(p.values));
    const e = params.map((p) => new Float64Array(p.values.length));
    for (let step = 0; step < steps; step++) {
      if (BAD_STEPS.has(step)) continue;
      params.forEach((p, k) => {
        const g = sampleGradient(p, k, step);
        const ek = e[k] as Float64Array;
        const theta = values[k] as Float64Array;
        for (let i = 0; i < theta.length; i++) {
          ek[i] = 0.6 * (ek[i] as number) + 0.4 * (g[i] as number);
          theta[i] = (theta[i] as number) - 0.1 * (ek[i] as number);
        }
      });
    }
    for (const [k, v] of variables.entries()) {
      await expectClose(v, values[k] as Float64Array, { rtol: 1e-5, atol: 1e-6 });
    }
    const weights = new Map((await opt.getWeights()).map((w) => [w.name, w.tensor]));
    for (const p of params) {
      await expectClose(weights.get(`${p.name}/skipped`) as tf.Tensor, [3]);
      await expectClose(weights.get(`${p.name}/consecutive`) as tf.Tensor, [0]);
    }
    opt.dispose();
    tf.dispose(variables);
  });

  it('a skipped step leaves every state tensor bit-for-bit as it was (numbers still advance)', async () => {
    const s = uniqueSuffix();
    const w = tf.variable(tf.tensor([1, -2, 3]), true, `aifw${s}`);
    const opt = fromTransform(applyIfFinite(chain(scaleByAdam(), scaleByLearningRate(0.1))));
    const g = tf.tensor([0.5, 1, -1]);
    opt.applyGradients({ [w.name]: g });
    const snapshot = async () => {
      const out = new Map<string, number[]>();
      for (const { name, tensor } of await opt.getWeights())
        out.set(name, Array.from(await tensor.data()));
      return out;
    };
    const before = await snapshot();
    const wBefore = Array.from(await w.data());
    const bad = tf.tensor([0.5, Number.POSITIVE_INFINITY, -1]);
    opt.applyGradients({ [w.name]: bad });
    const after = await snapshot();
    expect(Array.from(await w.data())).toEqual(wBefore);
    expect(after.get(`${w.name}/m`)).toEqual(before.get(`${w.name}/m`));
    expect(after.get(`${w.name}/v`)).toEqual(before.get(`${w.name}/v`));
    expect(after.get(`${w.name}/skipped`)).toEqual([1]);
    expect(after.get(`${w.name}/consecutive`)).toEqual([1]);
    expect(after.get(`${w.name}/step`)).toEqual([2]); // documented: numbers advance
    opt.applyGradients({ [w.name]: g });
    const later = await snapshot();
    expect(later.get(`${w.name}/consecutive`)).toEqual([0]);
    expect(later.get(`${w.name}/skipped`)).toEqual([1]);
    opt.dispose();
    tf.dispose([w, g, bad]);
  });

  it('resumes exactly from getWeights/setWeights across skipped steps', async () => {
    await expectResumes(
      () => fromTransform(applyIfFinite(chain(ema(0.8), scaleByLearningRate(0.1)))),
      { gradient: poisoned, steps: 7, splitAt: 4 },
    );
  });

  it('leaks nothing over 100 steps, half of them non-finite', async () => {
    const x = tf.variable(tf.tensor([2, 4]), true, `aifleak${uniqueSuffix()}`);
    const nan = tf.tensor([Number.NaN, 1]);
    const fine = tf.tensor([1, 1]);
    await expectNoLeaks(() => {
      const opt = fromTransform(
        applyIfFinite(chain(scaleByAdam(), scaleByLearningRate(0.01)), { maxConsecutiveErrors: 3 }),
      );
      for (let i = 0; i < 100; i++) opt.applyGradients({ [x.name]: i % 2 ? nan : fine });
      opt.dispose();
    });
    tf.dispose([x, nan, fine]);
  });
});

it('applyIfFinite applies the update anyway after more than maxConsecutiveErrors bad steps (optax)', async () => {
  await tf.setBackend('cpu');
  const t = applyIfFinite(scaleByLearningRate(1), { maxConsecutiveErrors: 1 });
  const nan = { w: tf.tensor([Number.NaN, 2]) };
  const r1 = runUpdate(t, nan, t.init({}));
  await expectClose(r1.updates.w as tf.Tensor, [0, 0]);
  const r2 = runUpdate(t, nan, r1.state);
  await expectClose(r2.updates.w as tf.Tensor, [Number.NaN, -2]);
  await expectClose(r2.state.slots.w?.consecutive as tf.Tensor, [2]);
  tf.dispose([...Object.values(nan), ...Object.values(r1.updates), ...Object.values(r2.updates)]);
  disposeState(r2.state);
});

it('applyIfFinite gives a parameter first seen in a skipped step the initial slots of inner', async () => {
  await tf.setBackend('cpu');
  const t = applyIfFinite(scaleByAdam());
  const r = runUpdate(t, { a: tf.tensor([Number.NaN, 1]), b: tf.tensor([3]) }, t.init({}));
  const adamState = r.state.inner[0];
  await expectClose(adamState?.slots.a?.m as tf.Tensor, [0, 0]);
  await expectClose(adamState?.slots.b?.m as tf.Tensor, [0]);
  await expectClose(adamState?.slots.b?.v as tf.Tensor, [0]);
  await expectClose(r.updates.b as tf.Tensor, [0]);
  tf.dispose(Object.values(r.updates));
  disposeState(r.state);
});

it('applyIfFinite validates its arguments', () => {
  const inner = scaleByLearningRate(1);
  expect(() => applyIfFinite(inner, { maxConsecutiveErrors: -1 })).toThrow(
    expect.objectContaining({ code: 'BAD_HYPERPARAM' }),
  );
  expect(() => applyIfFinite(inner, { maxConsecutiveErrors: 1.5 })).toThrow(/maxConsecutiveErrors/);
  expect(() => applyIfFinite(inner, { maxConsecutiveErrors: Number.NaN })).toThrow(
    expect.objectContaining({ code: 'NON_FINITE' }),
  );
  expect(() => applyIfFinite(null as never)).toThrow(
    expect.objectContaining({ code: 'BAD_ARGUMENT' }),
  );
  expect(() =>
    applyIfFinite(inner, { maxConsecutiveErrors: Number.POSITIVE_INFINITY }),
  ).not.toThrow();
});
