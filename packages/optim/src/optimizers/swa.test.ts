import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import {
  type Float64Param,
  sampleGradient,
  sampleParams,
  uniqueSuffix,
} from '../test-support/optimizer-harness';
import { saveAndLoadWithOptimizer } from '../test-support/layers-harness';
import { expectResumes } from '../test-support/resume-harness';
import { adam } from './adam';
import { type SWA, swa } from './swa';
import { fromTransform } from './transform-optimizer';

/** Runs SGD (lr) in float64 and averages θ after the steps t ∈ {start, start + f, …}, t ≥ 1. */
function sgdWithAverage(
  params: Float64Param[],
  steps: number,
  lr: number,
  start: number,
  f: number,
) {
  const theta = params.map((p) => Float64Array.from(p.values));
  const sum = params.map((p) => new Float64Array(p.values.length));
  let n = 0;
  for (let step = 0; step < steps; step++) {
    const t = step + 1;
    theta.forEach((x, k) => {
      const g = sampleGradient(params[k] as Float64Param, k, step);
      for (let i = 0; i < x.length; i++) x[i] = (x[i] as number) - lr * (g[i] as number);
    });
    if (t >= start && (t - start) % f === 0) {
      n += 1;
      theta.forEach((x, k) => {
        const s = sum[k] as Float64Array;
        for (let i = 0; i < x.length; i++) s[i] = (s[i] as number) + (x[i] as number);
      });
    }
  }
  return { theta, average: sum.map((s) => s.map((v) => v / n)), n };
}

function setup(prefix: string) {
  const params = sampleParams(`${prefix}${uniqueSuffix()}`);
  const variables = params.map((p) =>
    tf.variable(tf.tensor(Float32Array.from(p.values), p.shape), true, p.name),
  );
  const feed = (opt: tf.Optimizer, from: number, to: number) => {
    for (let step = from; step < to; step++) {
      const grads: tf.NamedTensorMap = {};
      params.forEach((p, k) => {
        grads[p.name] = tf.tensor(Float32Array.from(sampleGradient(p, k, step)), p.shape);
      });
      opt.applyGradients(grads);
      tf.dispose(Object.values(grads));
    }
  };
  return { params, variables, feed };
}

forEachBackend('swa', () => {
  it('keeps the equal-weight average of θ after steps 2, 5, 8 (start 2, frequency 3) and never moves θ itself (float64)', async () => {
    const { params, variables, feed } = setup('swa');
    const opt = swa(fromTransform(scaleByLearningRate(0.1)), { start: 2, frequency: 3 });
    feed(opt, 0, 9);
    const ref = sgdWithAverage(params, 9, 0.1, 2, 3);
    expect(ref.n).toBe(3);
    const averaged = opt.averagedWeights();
    for (const [k, v] of variables.entries()) {
      await expectClose(v, ref.theta[k] as Float64Array, { rtol: 1e-5, atol: 1e-6 });
      await expectClose(averaged[v.name] as tf.Tensor, ref.average[k] as Float64Array, {
        rtol: 1e-5,
        atol: 1e-6,
      });
    }
    tf.dispose(Object.values(averaged));
    opt.dispose();
    tf.dispose(variables);
  });

  it('swapAverage puts the average into the variables and back, bit for bit; training while swapped is refused', async () => {
    const { params, variables, feed } = setup('swap');
    const opt = swa(fromTransform(scaleByLearningRate(0.1)), { frequency: 2 });
    feed(opt, 0, 5);
    const trained = await Promise.all(variables.map(async (v) => Array.from(await v.data())));
    const averages = opt.averagedWeights();
    const expected = await Promise.all(
      variables.map(async (v) => Array.from(await (averages[v.name] as tf.Tensor).data())),
    );
    opt.swapAverage();
    expect(opt.swapped).toBe(true);
    expect(await Promise.all(variables.map(async (v) => Array.from(await v.data())))).toEqual(
      expected,
    );
    const again = opt.averagedWeights(); // still the average while swapped
    const first = again[(variables[0] as tf.Variable).name] as tf.Tensor;
    expect(Array.from(await first.data())).toEqual(expected[0]);
    const grads = Object.fromEntries(variables.map((v) => [v.name, tf.onesLike(v)]));
    const before = tf.memory().numTensors;
    expect(() => opt.applyGradients(grads)).toThrow(
      expect.objectContaining({ code: 'BAD_ARGUMENT' }),
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(await Promise.all(variables.map(async (v) => Array.from(await v.data())))).toEqual(
      expected,
    );
    tf.dispose(Object.values(grads));
    opt.swapAverage();
    expect(opt.swapped).toBe(false);
    expect(await Promise.all(variables.map(async (v) => Array.from(await v.data())))).toEqual(
      trained,
    );
    expect(params.length).toBe(3);
    tf.dispose([...Object.values(averages), ...Object.values(again)]);
    opt.dispose();
    tf.dispose(variables);
  });

  it('resumes exactly from getWeights/setWeights (average and counts included)', async () => {
    await expectResumes(() => swa(adam({ learningRate: 0.05 }), { start: 1, frequency: 2 }), {
      steps: 8,
      splitAt: 3,
    });
    // The variables never depend on the average: check the averages survive the hand-over.
    const make = () => swa(adam({ learningRate: 0.05 }), { start: 2, frequency: 2 });
    const read = async (p: tf.NamedTensorMap) => {
      const out = await Promise.all(Object.values(p).map(async (t) => Array.from(await t.data())));
      tf.dispose(Object.values(p));
      return out;
    };
    const first = setup('swaw');
    const straight = make();
    first.feed(straight, 0, 9);
    const expected = await read(straight.averagedWeights());
    straight.dispose();
    tf.dispose(first.variables);
    const second = {
      ...first,
      variables: first.params.map((p) =>
        tf.variable(tf.tensor(Float32Array.from(p.values), p.shape), true, p.name),
      ),
    };
    const a = make();
    second.feed(a, 0, 4);
    const b = make();
    await b.setWeights(await a.getWeights());
    a.dispose();
    second.feed(b, 4, 9);
    expect(await read(b.averagedWeights())).toEqual(expected);
    b.dispose();
    tf.dispose(second.variables);
  });

  it('leaks nothing over 100 steps, swaps and getWeights, and after dispose()', async () => {
    const x = tf.variable(tf.tensor([2, 4]), true, `swaleak${uniqueSuffix()}`);
    await expectNoLeaks(async () => {
      const opt = swa(adam({ learningRate: 0.01 }), { start: 10, frequency: 5 });
      for (let i = 0; i < 100; i++) {
        opt.minimize(() => tf.sum(tf.square(x)) as tf.Scalar, false, [x]);
      }
      opt.swapAverage();
      opt.swapAverage();
      await opt.getWeights();
      tf.dispose(Object.values(opt.averagedWeights()));
      opt.dispose();
    });
    x.dispose();
  });
});

it('swa serializes its config with the inner optimizer, and the swapped flag with its weights (cpu)', async () => {
  await tf.setBackend('cpu');
  const opt = swa(adam({ learningRate: 0.01 }), { start: 100, frequency: 10 });
  const config = JSON.parse(JSON.stringify(opt.getConfig()));
  expect(opt.getClassName()).toBe('descent.SWA');
  expect(config).toEqual({
    start: 100,
    frequency: 10,
    inner: { className: 'descent.Adam', config: { learningRate: 0.01 } },
  });
  const [cls, fromConfig] = tf.serialization.SerializationMap.getMap().classNameMap[
    'descent.SWA'
  ] as [
    tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
    typeof SWA.fromConfig,
  ];
  const rebuilt = fromConfig(cls, config) as SWA;
  expect([rebuilt.start, rebuilt.frequency, rebuilt.inner.getClassName()]).toEqual([
    100,
    10,
    'descent.Adam',
  ]);
  const x = tf.variable(tf.tensor([1, 2]), true, `swaflag${uniqueSuffix()}`);
  const s1 = swa(tf.train.sgd(0.1));
  s1.applyGradients({ [x.name]: tf.tensor([1, 1]) });
  s1.swapAverage();
  const s2 = swa(tf.train.sgd(0.1));
  await s2.setWeights(await s1.getWeights());
  expect(s2.swapped).toBe(true);
  expect(() => s2.applyGradients({ [x.name]: tf.tensor([1, 1]) })).toThrow(/swapAverage/);
  for (const o of [opt, rebuilt, s1, s2]) o.dispose();
  x.dispose();
});

it('swa survives model.save({ includeOptimizer: true }) and tf.loadLayersModel (cpu)', async () => {
  await tf.setBackend('cpu');
  const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 1, inputShape: [2] })] });
  model.compile({
    optimizer: swa(tf.train.sgd(0.01), { start: 1, frequency: 1 }),
    loss: 'meanSquaredError',
  });
  const xs = tf.tensor([
    [1, 2],
    [3, 4],
    [5, 6],
  ]);
  const ys = tf.tensor([[1], [2], [3]]);
  await model.fit(xs, ys, { epochs: 3, batchSize: 3, verbose: 0 });
  const loaded = await saveAndLoadWithOptimizer(model);
  const original = model.optimizer as unknown as SWA;
  const restored = loaded.optimizer as unknown as SWA;
  expect(restored.getClassName()).toBe('descent.SWA');
  expect(restored.inner.getClassName()).toBe('SGD');
  await model.fit(xs, ys, { epochs: 2, batchSize: 3, verbose: 0 });
  await loaded.fit(xs, ys, { epochs: 2, batchSize: 3, verbose: 0 });
  original.swapAverage();
  restored.swapAverage();
  for (const [i, w] of model.getWeights().entries()) {
    expect(Array.from(await (loaded.getWeights()[i] as tf.Tensor).data())).toEqual(
      Array.from(await w.data()),
    );
  }
  original.dispose();
  restored.dispose();
  model.dispose();
  loaded.dispose();
  tf.dispose([xs, ys]);
});

it('swa rejects bad options and bad weights before touching anything', async () => {
  await tf.setBackend('cpu');
  const inner = () => fromTransform(scaleByLearningRate(0.1));
  expect(() => swa(inner(), { start: -1 })).toThrow(
    expect.objectContaining({ code: 'BAD_HYPERPARAM' }),
  );
  expect(() => swa(inner(), { frequency: 0 })).toThrow(/frequency/);
  expect(() => swa(inner(), { start: 1.5 })).toThrow(/start/);
  expect(() => swa('adam' as never)).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
  const x = tf.variable(tf.tensor([1, 2]), true, `swabad${uniqueSuffix()}`);
  const opt = swa(inner(), { start: 1 });
  const g = tf.tensor([1, 1]);
  opt.applyGradients({ [x.name]: g });
  const saved = await opt.getWeights();
  // an average without its count (count 0) is inconsistent
  const zero = tf.scalar(0, 'int32');
  const inconsistent = saved.map((w) =>
    w.name.endsWith('/count') ? { name: w.name, tensor: zero } : w,
  );
  await expect(opt.setWeights(inconsistent)).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
  const unknownSlot = [...saved, { name: `swa/${x.name}/extra`, tensor: zero }];
  await expect(opt.setWeights(unknownSlot)).rejects.toMatchObject({ code: 'UNKNOWN_PARAM' });
  const noVariable = [...saved, { name: 'swa/nope/step', tensor: zero }];
  await expect(opt.setWeights(noVariable)).rejects.toMatchObject({ code: 'UNKNOWN_PARAM' });
  const averaged = opt.averagedWeights();
  await expectClose(averaged[x.name] as tf.Tensor, await x.data());
  expect(() => opt.applyGradients({ [x.name]: tf.ones([3]) })).toThrow(
    expect.objectContaining({ code: 'SHAPE_MISMATCH' }),
  );
  tf.dispose([...Object.values(averaged), g, zero]);
  opt.dispose();
  x.dispose();
});
