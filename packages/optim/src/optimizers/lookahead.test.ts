import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import {
  expectClose,
  expectDescentError,
  expectNoLeaks,
  forEachBackend,
} from '@descent/core/testing';
import { chain } from '../transform/chain';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import {
  expectMatchesReference,
  type ReferenceStep,
  runWithSampleGradients,
  sampleParams,
  uniqueSuffix,
} from '../test-support/optimizer-harness';
import { saveAndLoadWithOptimizer } from '../test-support/layers-harness';
import { expectResumes } from '../test-support/resume-harness';
import { adam } from './adam';
import { Lookahead, lookahead } from './lookahead';
import { fromTransform } from './transform-optimizer';

/** Lookahead (Zhang et al. 2019, Alg. 1) around torch's Adam, in float64. */
function lookaheadAdamReference(
  k: number,
  alpha: number,
  o: { lr: number; b1: number; b2: number; eps: number },
): ReferenceStep {
  const state: { m: Float64Array; v: Float64Array; slow: Float64Array }[] = [];
  return (values, grads, step) => {
    const t = step + 1;
    values.forEach((theta, p) => {
      state[p] ??= {
        m: new Float64Array(theta.length),
        v: new Float64Array(theta.length),
        slow: Float64Array.from(theta),
      };
      const s = state[p];
      const g = grads[p] as Float64Array;
      for (let i = 0; i < theta.length; i++) {
        const gi = g[i] as number;
        s.m[i] = o.b1 * (s.m[i] as number) + (1 - o.b1) * gi;
        s.v[i] = o.b2 * (s.v[i] as number) + (1 - o.b2) * gi * gi;
        const vHat = (s.v[i] as number) / (1 - o.b2 ** t);
        theta[i] =
          (theta[i] as number) -
          (o.lr * ((s.m[i] as number) / (1 - o.b1 ** t))) / (Math.sqrt(vHat) + o.eps);
      }
      if (t % k === 0) {
        for (let i = 0; i < theta.length; i++) {
          s.slow[i] =
            (s.slow[i] as number) + alpha * ((theta[i] as number) - (s.slow[i] as number));
          theta[i] = s.slow[i] as number;
        }
      }
    });
  };
}

/** Lookahead around plain SGD, in float64. */
function lookaheadSgdReference(k: number, alpha: number, lr: number): ReferenceStep {
  const slow: Float64Array[] = [];
  return (values, grads, step) => {
    values.forEach((theta, p) => {
      slow[p] ??= Float64Array.from(theta);
      const s = slow[p] as Float64Array;
      const g = grads[p] as Float64Array;
      for (let i = 0; i < theta.length; i++)
        theta[i] = (theta[i] as number) - lr * (g[i] as number);
      if ((step + 1) % k === 0) {
        for (let i = 0; i < theta.length; i++) {
          s[i] = (s[i] as number) + alpha * ((theta[i] as number) - (s[i] as number));
          theta[i] = s[i] as number;
        }
      }
    });
  };
}

const o = { lr: 0.05, b1: 0.8, b2: 0.95, eps: 1e-6 };
const innerAdam = () => adam({ learningRate: o.lr, beta1: o.b1, beta2: o.b2, epsilon: o.eps });

forEachBackend('lookahead', () => {
  it('matches Lookahead(Adam) in float64 over 7 steps (k 3, α 0.6; rtol 1e-5)', async () => {
    await expectMatchesReference(
      () => lookahead(innerAdam(), { k: 3, alpha: 0.6 }),
      lookaheadAdamReference(3, 0.6, o),
      { steps: 7 },
    );
  });

  it('wraps a tfjs built-in optimizer (tf.train.sgd) the same way', async () => {
    await expectMatchesReference(
      () => lookahead(tf.train.sgd(0.1), { k: 2, alpha: 0.3 }),
      lookaheadSgdReference(2, 0.3, 0.1),
      { steps: 6 },
    );
  });

  it('resumes exactly from getWeights/setWeights (inner state included)', async () => {
    await expectResumes(() => lookahead(innerAdam(), { k: 3, alpha: 0.6 }), {
      steps: 8,
      splitAt: 4,
    });
  });

  it('leaks nothing over 100 steps and after dispose() (which disposes the inner optimizer)', async () => {
    const x = tf.variable(tf.tensor([2, 4]), true, `laleak${uniqueSuffix()}`);
    await expectNoLeaks(async () => {
      const opt = lookahead(adam({ learningRate: 0.01 }), { k: 4 });
      for (let i = 0; i < 100; i++) {
        opt.minimize(() => tf.sum(tf.square(x)) as tf.Scalar, false, [x]);
      }
      await opt.getWeights();
      opt.dispose();
    });
    x.dispose();
  });
});

it('lookahead names its weights iter, inner/…, lookahead/<variable>/{slow,step}', async () => {
  await tf.setBackend('cpu');
  const x = tf.variable(tf.tensor([1, 2]), true, `lanames${uniqueSuffix()}`);
  const opt = lookahead(innerAdam(), { k: 2 });
  opt.applyGradients({ [x.name]: tf.tensor([1, 1]) });
  const names = (await opt.getWeights()).map((w) => w.name);
  expect(names[0]).toBe('iter');
  expect(names).toContain('inner/iter');
  expect(names).toContain(`inner/${x.name}/m`);
  expect(names).toContain(`lookahead/${x.name}/slow`);
  expect(names).toContain(`lookahead/${x.name}/step`);
  const slow = (await opt.getWeights()).find((w) => w.name === `lookahead/${x.name}/slow`);
  await expectClose(slow?.tensor as tf.Tensor, [1, 2]); // φ₀ = θ₀
  opt.dispose();
  x.dispose();
});

it('lookahead serializes its config with the inner optimizer and rebuilds both (cpu)', async () => {
  await tf.setBackend('cpu');
  const opt = lookahead(innerAdam(), { k: 3, alpha: 0.6 });
  const config = JSON.parse(JSON.stringify(opt.getConfig()));
  expect(opt.getClassName()).toBe('descent.Lookahead');
  expect(config).toEqual({
    k: 3,
    alpha: 0.6,
    inner: {
      className: 'descent.Adam',
      config: { learningRate: o.lr, beta1: o.b1, beta2: o.b2, epsilon: o.eps },
    },
  });
  const [cls, fromConfig] = tf.serialization.SerializationMap.getMap().classNameMap[
    'descent.Lookahead'
  ] as [
    tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
    typeof Lookahead.fromConfig,
  ];
  await expectMatchesReference(
    () => fromConfig(cls, JSON.parse(JSON.stringify(config))) as unknown as tf.Optimizer,
    lookaheadAdamReference(3, 0.6, o),
    { steps: 7 },
  );
  const builtin = lookahead(tf.train.sgd(0.2));
  const rebuilt = Lookahead.fromConfig(
    Lookahead,
    JSON.parse(JSON.stringify(builtin.getConfig())),
  ) as Lookahead;
  expect(rebuilt.inner.getClassName()).toBe('SGD');
  expect(rebuilt.getConfig()).toEqual({
    k: 5,
    alpha: 0.5,
    inner: { className: 'SGD', config: { learningRate: 0.2 } },
  });
  opt.dispose();
  builtin.dispose();
  rebuilt.dispose();
});

it('lookahead survives model.save({ includeOptimizer: true }) and tf.loadLayersModel (cpu)', async () => {
  await tf.setBackend('cpu');
  const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 1, inputShape: [2] })] });
  model.compile({
    optimizer: lookahead(innerAdam(), { k: 2, alpha: 0.4 }),
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
  const restored = loaded.optimizer as unknown as Lookahead;
  expect(restored.getClassName()).toBe('descent.Lookahead');
  expect(restored.k).toBe(2);
  expect(restored.alpha).toBe(0.4);
  expect(restored.inner.getClassName()).toBe('descent.Adam');
  const a = await (model.optimizer as unknown as Lookahead).getWeights();
  const b = await restored.getWeights();
  expect(b.map((w) => w.name)).toEqual(a.map((w) => w.name));
  for (const [i, w] of a.entries()) {
    const restoredWeight = b[i]?.tensor as tf.Tensor;
    expect(Array.from(await restoredWeight.data())).toEqual(Array.from(await w.tensor.data()));
  }
  // Both continue on the same trajectory (the loaded variables may carry a `_<n>` suffix).
  await model.fit(xs, ys, { epochs: 3, batchSize: 3, verbose: 0 });
  await loaded.fit(xs, ys, { epochs: 3, batchSize: 3, verbose: 0 });
  for (const [i, w] of model.getWeights().entries()) {
    expect(Array.from(await (loaded.getWeights()[i] as tf.Tensor).data())).toEqual(
      Array.from(await w.data()),
    );
  }
  model.optimizer.dispose();
  restored.dispose();
  model.dispose();
  loaded.dispose();
  tf.dispose([xs, ys]);
});

it('lookahead rejects bad options, bad inner optimizers and bad gradients before touching anything', async () => {
  await tf.setBackend('cpu');
  expect(() => lookahead(innerAdam(), { k: 0 })).toThrow(
    expect.objectContaining({ code: 'BAD_HYPERPARAM' }),
  );
  expect(() => lookahead(innerAdam(), { k: 1.5 })).toThrow(/k must be/);
  expect(() => lookahead(innerAdam(), { alpha: 1.5 })).toThrow(/alpha/);
  expect(() => lookahead(innerAdam(), { alpha: Number.NaN })).toThrow(
    expect.objectContaining({ code: 'NON_FINITE' }),
  );
  expect(() => lookahead({} as never)).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
  expect(() =>
    Lookahead.fromConfig(Lookahead, { k: 2, inner: { className: 'Nope', config: {} } }),
  ).toThrow(/not registered/);
  expect(() => Lookahead.fromConfig(Lookahead, { k: 2 })).toThrow(/className, config/);

  const x = tf.variable(tf.tensor([1, 2]), true, `labad${uniqueSuffix()}`);
  const opt = lookahead(innerAdam(), { k: 2 });
  const before = tf.memory().numTensors;
  const wrong = tf.ones([3]);
  expect(() => opt.applyGradients({ [x.name]: wrong })).toThrow(
    expect.objectContaining({ code: 'SHAPE_MISMATCH' }),
  );
  expect(() => opt.applyGradients({ nope: tf.ones([2]) })).toThrow(
    expect.objectContaining({ code: 'UNKNOWN_PARAM' }),
  );
  expect(tf.memory().numTensors).toBe(before + 2); // the two gradients, no state
  expect(opt.iterations).toBe(0);
  expect(opt.inner.iterations).toBe(0);
  // setWeights: unknown names and wrong shapes are refused before anything changes
  opt.applyGradients({ [x.name]: tf.ones([2]) });
  const saved = await opt.getWeights();
  const bogus = tf.ones([5]);
  await expect(
    opt.setWeights([...saved, { name: 'other/x', tensor: bogus }]),
  ).rejects.toMatchObject({
    code: 'UNKNOWN_PARAM',
  });
  const slowIndex = saved.findIndex((w) => w.name.endsWith('/slow'));
  const badShape = saved.map((w, i) => (i === slowIndex ? { name: w.name, tensor: bogus } : w));
  await expect(opt.setWeights(badShape)).rejects.toMatchObject({ code: 'SHAPE_MISMATCH' });
  const missing = saved.filter(
    (w) => !w.name.endsWith('/step') || !w.name.startsWith('lookahead/'),
  );
  await expect(opt.setWeights(missing)).rejects.toMatchObject({ code: 'UNKNOWN_PARAM' });
  expect(opt.iterations).toBe(1);
  opt.dispose();
  tf.dispose([x, wrong, bogus]);
});

it('lookahead keeps per-variable state: a subset step never mixes variables (cpu)', async () => {
  await tf.setBackend('cpu');
  const params = sampleParams(`lasub${uniqueSuffix()}`);
  // one optimizer driving all three vs three optimizers each driving one: same result
  const together = await runWithSampleGradients(
    lookahead(fromTransform(chain(scaleByLearningRate(0.1))), { k: 2 }),
    params,
    5,
  );
  const alone: Float64Array[] = [];
  for (const [index, p] of params.entries()) {
    const single = [{ ...p, name: `${p.name}_alone` }];
    const opt = lookahead(fromTransform(scaleByLearningRate(0.1)), { k: 2 });
    // feed the same gradients as parameter `index` received
    const v = tf.variable(tf.tensor(Float32Array.from(p.values), p.shape), true, single[0]?.name);
    for (let step = 0; step < 5; step++) {
      const { sampleGradient } = await import('../test-support/optimizer-harness');
      const g = tf.tensor(Float32Array.from(sampleGradient(p, index, step)), p.shape);
      opt.applyGradients({ [v.name]: g });
      g.dispose();
    }
    alone.push(Float64Array.from(await v.data()));
    opt.dispose();
    v.dispose();
  }
  expect(together.map((a) => Array.from(a))).toEqual(alone.map((a) => Array.from(a)));
});

it('restored state follows a tfjs-layers-renamed variable (name_1) exactly; the original may not share it (cpu)', async () => {
  await tf.setBackend('cpu');
  const base = `laRenamed${uniqueSuffix()}/kernel`;
  const step = (opt: tf.Optimizer, name: string, k: number) => {
    const g = tf.tensor([0.5 - k, 1 + 0.25 * k]);
    opt.applyGradients({ [name]: g });
    g.dispose();
  };
  const x = tf.variable(tf.tensor([1, 2]), true, base);
  const first = lookahead(innerAdam(), { k: 2, alpha: 0.5 });
  for (let k = 0; k < 3; k++) step(first, base, k);
  const atSplit = Array.from(await x.data());
  const saved = (await first.getWeights()).map((w) => ({
    name: w.name,
    tensor: tf.clone(w.tensor),
  }));
  for (let k = 3; k < 7; k++) step(first, base, k);
  const expected = Array.from(await x.data());
  first.dispose();

  const renamed = tf.variable(tf.tensor(atSplit), true, `${base}_1`);
  const second = lookahead(innerAdam(), { k: 2, alpha: 0.5 });
  await second.setWeights(saved);
  for (let k = 3; k < 7; k++) step(second, renamed.name, k);
  expect(Array.from(await renamed.data())).toEqual(expected);
  const before = Array.from(await x.data());
  const ones = tf.ones([2]);
  expectDescentError(
    () => second.applyGradients({ [base]: ones }),
    'BAD_ARGUMENT',
    base,
    renamed.name,
  );
  expect(Array.from(await x.data())).toEqual(before);
  second.dispose();
  tf.dispose([x, renamed, ones, ...saved.map((w) => w.tensor)]);
});
