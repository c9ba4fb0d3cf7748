import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { weightNorm } from '@descent/norm';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import {
  expectResumesExactly,
  jsonRoundTrip,
  predictData,
  saveAndLoad,
  weightData,
} from '../test-support/round-trip';
import {
  affine64,
  compileWithAdamw,
  disposeModel,
  regressionData,
  wave,
} from './test-support/fixtures';
import { WeightNormalization, weightNormalization } from './weight-normalization';

const V = wave(12, 0.9, 0.3, 0.8); // [3, 4]
const B = [0.1, -0.2, 0.05, 0.3];
const G = [1.5, 0.5, 2, 0.75];

function wrappedDense(options: { activation?: 'tanh'; dataInit?: boolean; name?: string } = {}) {
  return weightNormalization({
    layer: tfl.layers.dense({
      units: 4,
      inputShape: [3],
      activation: options.activation,
      kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }),
      biasInitializer: tfl.initializers.constant({ value: 0.1 }),
    }),
    dataInit: options.dataInit,
    name: options.name,
  });
}

/** weightNormalization(dense 3 → 4, tanh) → dense 4 → 1, compiled with adamw. */
function trainableModel(dataInit = false): tfl.Sequential {
  const model = tfl.sequential();
  model.add(wrappedDense({ activation: 'tanh', dataInit }));
  model.add(
    tfl.layers.dense({ units: 1, kernelInitializer: tfl.initializers.glorotUniform({ seed: 4 }) }),
  );
  compileWithAdamw(model);
  return model;
}

/** Float64 `x·(g·v/‖v‖) + b` for row-major `v [k, m]`. */
function weightNormAffine64(x: ArrayLike<number>, n: number, k: number, m: number): number[] {
  const w = V.slice();
  for (let j = 0; j < m; j++) {
    let sq = 0;
    for (let p = 0; p < k; p++) sq += (V[p * m + j] as number) ** 2;
    for (let p = 0; p < k; p++)
      w[p * m + j] = ((G[j] as number) * (V[p * m + j] as number)) / Math.sqrt(sq);
  }
  return affine64(x, w, B, n, k, m);
}

forEachBackend('weightNormalization', () => {
  it('computes x·(g·v/‖v‖) + b per output unit (float64 reference)', async () => {
    const model = tfl.sequential({ layers: [wrappedDense()] });
    model.setWeights([tf.tensor2d(V, [3, 4]), tf.tensor1d(B), tf.tensor1d(G)]);
    const { xs, ys } = regressionData(6);
    const expected = weightNormAffine64(await xs.data(), 6, 3, 4);
    await expectClose(await predictData(model, xs), expected, { rtol: 1e-5, atol: 1e-6 });
    tf.dispose([xs, ys]);
    model.dispose();
  });

  it('starts as the unwrapped layer: g = ‖v‖', async () => {
    const model = tfl.sequential({ layers: [wrappedDense()] });
    const [v, b, g] = await weightData(model);
    const norms = [0, 1, 2, 3].map((j) =>
      Math.hypot(...[0, 1, 2].map((p) => (v as number[])[p * 4 + j] as number)),
    );
    await expectClose(g as number[], norms, { rtol: 1e-6 });
    const { xs, ys } = regressionData(6);
    const unwrapped = affine64(await xs.data(), v as number[], b as number[], 6, 3, 4);
    await expectClose(await predictData(model, xs), unwrapped, { rtol: 1e-5, atol: 1e-6 });
    tf.dispose([xs, ys]);
    model.dispose();
  });

  it('takes unique default names weight_normalization_<n>', () => {
    const [a, b] = [wrappedDense(), wrappedDense()];
    expect(a.name).toMatch(/^weight_normalization_\d+$/);
    expect(b.name).toMatch(/^weight_normalization_\d+$/);
    expect(a.name).not.toBe(b.name);
  });

  it('names its weights kernel, bias (the inner order), then g', () => {
    const model = tfl.sequential({ layers: [wrappedDense({ name: 'wn' })] });
    expect(model.layers[0]?.weights.map((w) => w.originalName)).toEqual([
      'wn/kernel',
      'wn/bias',
      'wn/g',
    ]);
    expect(model.trainableWeights.length).toBe(3);
    model.dispose();
  });

  it('wraps conv2d: the functional conv2d(x, weightNorm(v, g)) + b', async () => {
    const wrapper = weightNormalization({
      layer: tfl.layers.conv2d({ filters: 3, kernelSize: 2, inputShape: [4, 4, 2] }),
    });
    const model = tfl.sequential({ layers: [wrapper] });
    const v = tf.tensor4d(wave(24, 0.7, 0.1), [2, 2, 2, 3]);
    const b = tf.tensor1d([0.2, -0.1, 0.3]);
    const g = tf.tensor1d([0.5, 1.25, 2]);
    model.setWeights([v, b, g]);
    const x = tf.tensor4d(wave(64, 0.31, 0.5, 1.2), [2, 4, 4, 2]);
    const expected = tf.tidy(() =>
      tf.add(tf.conv2d(x, weightNorm(v, g) as tf.Tensor4D, 1, 'valid'), b),
    );
    await expectClose(await predictData(model, x), expected, { rtol: 1e-5, atol: 1e-6 });
    tf.dispose([v, b, g, x, expected]);
    model.dispose();
  });

  it('gives g, v and b the gradients of the functional weightNorm', async () => {
    const wrapper = wrappedDense({ activation: 'tanh' });
    const { xs, ys } = regressionData(6);
    tf.dispose(wrapper.apply(xs) as tf.Tensor);
    wrapper.setWeights([tf.tensor2d(V, [3, 4]), tf.tensor1d(B), tf.tensor1d(G)]);
    const r = tf.tensor2d(wave(24, 1.3, 0.2), [6, 4]);
    const variables = wrapper.trainableWeights.map((w) => w.read() as tf.Variable);
    const { grads } = tf.variableGrads(
      () => tf.sum(tf.mul(wrapper.apply(xs, { training: true }) as tf.Tensor, r)),
      variables,
    );
    const reference = tf.grads((v, b, g) =>
      tf.sum(
        tf.mul(tf.tanh(tf.add(tf.matMul(xs, weightNorm(v as tf.Tensor, g as tf.Tensor)), b)), r),
      ),
    )([tf.tensor2d(V, [3, 4]), tf.tensor1d(B), tf.tensor1d(G)]);
    for (const [i, variable] of variables.entries()) {
      await expectClose(grads[variable.name] as tf.Tensor, reference[i] as tf.Tensor, {
        rtol: 1e-4,
        atol: 1e-6,
      });
    }
    tf.dispose([xs, ys, r, ...Object.values(grads), ...reference]);
    wrapper.dispose();
  });

  it("adds the inner layer's regularization losses (on v) to the model's", async () => {
    const wrapper = weightNormalization({
      layer: tfl.layers.dense({
        units: 4,
        inputShape: [3],
        kernelRegularizer: tfl.regularizers.l2({ l2: 0.5 }),
      }),
    });
    const model = tfl.sequential({ layers: [wrapper] });
    model.setWeights([tf.tensor2d(V, [3, 4]), tf.tensor1d(B), tf.tensor1d(G)]);
    const losses = model.calculateLosses();
    expect(losses.length).toBe(1);
    await expectClose(losses[0] as tf.Scalar, 0.5 * V.reduce((s, v) => s + v * v, 0), {
      rtol: 1e-5,
    });
    tf.dispose(losses);
    model.dispose();
  });

  it('freezes the inner layer and g when not trainable', () => {
    const wrapper = wrappedDense();
    const model = tfl.sequential({ layers: [wrapper] });
    wrapper.trainable = false;
    expect(wrapper.trainableWeights).toEqual([]);
    expect(wrapper.nonTrainableWeights.length).toBe(3);
    expect(wrapper.layer.trainable).toBe(false);
    model.dispose();
  });

  it('initializes g and b from the data at the first training call (dataInit)', async () => {
    const wrapper = wrappedDense({ dataInit: true });
    const model = tfl.sequential({ layers: [wrapper] });
    const { xs, ys } = regressionData(12);
    const [v] = await weightData(model);
    tf.dispose(wrapper.apply(xs, { training: true }) as tf.Tensor);
    // t = x·v/‖v‖ in float64; g = 1/σ[t], b = −μ[t]/σ[t] per unit.
    const unit = (v as number[]).slice();
    for (let j = 0; j < 4; j++) {
      const n = Math.hypot(...[0, 1, 2].map((p) => unit[p * 4 + j] as number));
      for (let p = 0; p < 3; p++) unit[p * 4 + j] = (unit[p * 4 + j] as number) / n;
    }
    const t = affine64(await xs.data(), unit, [0, 0, 0, 0], 12, 3, 4);
    const column = (j: number) => t.filter((_, i) => i % 4 === j);
    const mean = [0, 1, 2, 3].map((j) => column(j).reduce((s, a) => s + a, 0) / 12);
    const std = [0, 1, 2, 3].map((j) =>
      Math.sqrt(column(j).reduce((s, a) => s + (a - (mean[j] as number)) ** 2, 0) / 12),
    );
    const [, b, g, flag] = await weightData(model);
    await expectClose(
      g as number[],
      std.map((s) => 1 / s),
      { rtol: 1e-4 },
    );
    await expectClose(
      b as number[],
      mean.map((m, j) => -m / (std[j] as number)),
      { rtol: 1e-4, atol: 1e-5 },
    );
    expect(flag).toEqual([1]);
    // A second training call, and a reloaded model, keep these values.
    const x2 = tf.mul(xs, 3);
    tf.dispose(wrapper.apply(x2, { training: true }) as tf.Tensor);
    expect(await weightData(model)).toEqual([v, b, g, flag]);
    const loaded = await saveAndLoad(model);
    tf.dispose(
      (loaded.layers[0] as WeightNormalization).apply(x2, { training: true }) as tf.Tensor,
    );
    expect(await weightData(loaded)).toEqual([v, b, g, flag]);
    tf.dispose([xs, ys, x2]);
    model.dispose();
    loaded.dispose();
  });

  it('standardizes a conv2d layer per filter at its first training call (dataInit)', async () => {
    const wrapper = weightNormalization({
      layer: tfl.layers.conv2d({ filters: 3, kernelSize: 2, inputShape: [5, 5, 2] }),
      dataInit: true,
    });
    const x = tf.tensor4d(wave(100, 0.43, 0.2, 2), [2, 5, 5, 2]);
    const y = wrapper.apply(x, { training: true }) as tf.Tensor;
    const values = await y.data();
    for (let f = 0; f < 3; f++) {
      const column = Array.from(values).filter((_, i) => i % 3 === f);
      const mean = column.reduce((s, a) => s + a, 0) / column.length;
      const variance = column.reduce((s, a) => s + (a - mean) ** 2, 0) / column.length;
      expect(Math.abs(mean)).toBeLessThan(1e-5);
      expect(Math.abs(variance - 1)).toBeLessThan(1e-4);
    }
    tf.dispose([x, y]);
    wrapper.dispose();
  });

  it('round-trips through toJSON → modelFromJSON with the same outputs', async () => {
    const model = trainableModel(true);
    const { xs, ys } = regressionData();
    await model.fit(xs, ys, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0 });
    const json = JSON.parse(model.toJSON() as string);
    expect(JSON.stringify(json)).toContain('descent.WeightNormalization');
    const rebuilt = await jsonRoundTrip(model);
    const wrapper = rebuilt.layers[0] as WeightNormalization;
    expect(wrapper).toBeInstanceOf(WeightNormalization);
    expect(wrapper.dataInit).toBe(true);
    expect(await predictData(rebuilt, xs)).toEqual(await predictData(model, xs));
    tf.dispose([xs, ys]);
    disposeModel(model);
    rebuilt.dispose();
  });

  it('saves and loads weights; a resumed fit repeats the uninterrupted one bit for bit', async () => {
    const { xs, ys } = regressionData();
    const model = trainableModel();
    await model.fit(xs, ys, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0 });
    const loaded = await saveAndLoad(model);
    expect(await weightData(loaded)).toEqual(await weightData(model));
    expect(await predictData(loaded, xs)).toEqual(await predictData(model, xs));
    disposeModel(model);
    loaded.dispose();
    await expectResumesExactly(() => trainableModel(), xs, ys);
    await expectResumesExactly(() => trainableModel(true), xs, ys);
    tf.dispose([xs, ys]);
  });

  it('leaks no tensors in predict and fit', async () => {
    const model = trainableModel(true);
    const { xs, ys } = regressionData();
    await model.fit(xs, ys, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0 });
    await expectNoLeaks(() => model.fit(xs, ys, { epochs: 1, batchSize: 8, verbose: 0 }));
    await expectNoLeaks(async () => {
      await predictData(model, xs);
    });
    const wrapper = wrappedDense();
    tf.dispose(wrapper.apply(xs) as tf.Tensor); // builds: creates its 3 weights
    await expectNoLeaks(() => {
      tf.dispose(wrapper.apply(xs) as tf.Tensor);
    });
    tf.dispose([xs, ys]);
    disposeModel(model);
    wrapper.dispose();
  });
});
