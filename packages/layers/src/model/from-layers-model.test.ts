import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { type Params, Rng, disposeParams, mse, paramCount } from '@descent/core';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { signalPropagation } from '@descent/init';
import { hessianEigs, randomDirection, surface2d } from '@descent/landscape';
import { magnitudeScores, prune } from '@descent/lottery';
import { mlp } from '@descent/nets';
import { empiricalNtk } from '@descent/ntk';
import { expect, it } from 'vitest';
import { batchRenormalization } from '../normalization/batch-renormalization';
import { groupNormalization } from '../normalization/group-normalization';
import { spectralNormalization } from '../wrappers/spectral-normalization';
import { weightNormalization } from '../wrappers/weight-normalization';
import { fromLayersModel } from './from-layers-model';

const SIZES = [4, 6, 5, 3] as const;

/** dense relu → dense relu → dense, with random (nonzero) biases. */
function layersMlp(): tfl.Sequential {
  const model = tfl.sequential();
  SIZES.slice(1).forEach((units, i) => {
    model.add(
      tfl.layers.dense({
        units,
        activation: i < SIZES.length - 2 ? 'relu' : 'linear',
        biasInitializer: tfl.initializers.randomNormal({ stddev: 0.3, seed: 7 + i }),
        kernelInitializer: tfl.initializers.glorotNormal({ seed: 3 + i }),
        ...(i === 0 ? { inputShape: [SIZES[0]] } : {}),
      }),
    );
  });
  return model;
}

/** The equivalent `@descent/nets` mlp and copies of the layers model's weights under its names. */
function netsTwin(model: tfl.LayersModel): { net: ReturnType<typeof mlp>; params: Params } {
  const net = mlp({ sizes: SIZES, seed: 0 });
  disposeParams(net.params);
  const params: Params = {};
  model.getWeights().forEach((w, i) => {
    const layer = `dense${Math.floor(i / 2) + 1}`;
    params[`${layer}/${i % 2 === 0 ? 'kernel' : 'bias'}`] = tf.clone(w);
  });
  return { net, params };
}

function inputs(n: number, seed: number): tf.Tensor2D {
  return tf.randomNormal([n, SIZES[0]], 0, 1, 'float32', seed) as tf.Tensor2D;
}

/** The same parameters under the other model's names (layer order is the same). */
function renamed(from: Params, to: Params): Params {
  const keys = Object.keys(to);
  return Object.fromEntries(Object.values(from).map((t, i) => [keys[i] as string, t]));
}

forEachBackend('fromLayersModel: a layers MLP against @descent/nets mlp', (backend) => {
  it('has the same paramCount and outputs, and apply equals predict, without leaks', async () => {
    const layers = layersMlp();
    const { net, params } = netsTwin(layers);
    const x = inputs(5, 1);
    const model = fromLayersModel(layers);
    expect(paramCount(model.params)).toBe(paramCount(params));
    expect(paramCount(model.params)).toBe(4 * 6 + 6 + 6 * 5 + 5 + 5 * 3 + 3);
    const expected = net.apply(params, x);
    const predicted = layers.predict(x) as tf.Tensor;
    await expectNoLeaks(async () => {
      const y = model.apply(model.params, x);
      await expectClose(y, expected, { rtol: 1e-5, atol: 1e-6 });
      await expectClose(y, predicted, { rtol: 0, atol: 0 });
      y.dispose();
    });
    tf.dispose([x, expected, predicted]);
    disposeParams(params);
    layers.dispose();
  });

  it('evaluates at the given params (θ + α·d), and gradients reach them, not the variables', async () => {
    const layers = layersMlp();
    const { net, params } = netsTwin(layers);
    const model = fromLayersModel(layers);
    const x = inputs(5, 2);
    const before = await Promise.all(Object.values(model.params).map((p) => p.data()));
    const shifted: Params = {};
    for (const [key, p] of Object.entries(model.params)) {
      shifted[key] = tf.tidy(() =>
        tf.add(p, tf.mul(0.5, tf.randomNormal(p.shape, 0, 1, 'float32', 5))),
      );
    }
    const netShifted = renamed(shifted, params);
    const f = (p: Params, apply: typeof model.apply) => () =>
      tf.sum(tf.square(apply(p, x))) as tf.Scalar;
    await expectNoLeaks(async () => {
      const y = model.apply(shifted, x);
      const yNet = net.apply(netShifted, x);
      await expectClose(y, yNet, { rtol: 1e-5, atol: 1e-5 });
      const keys = Object.keys(shifted);
      const grads = tf.grads((...ts: tf.Tensor[]) =>
        f(Object.fromEntries(keys.map((k, i) => [k, ts[i] as tf.Tensor])), model.apply)(),
      )(keys.map((k) => shifted[k] as tf.Tensor));
      const netKeys = Object.keys(netShifted);
      const netGrads = tf.grads((...ts: tf.Tensor[]) =>
        f(Object.fromEntries(netKeys.map((k, i) => [k, ts[i] as tf.Tensor])), net.apply)(),
      )(netKeys.map((k) => netShifted[k] as tf.Tensor));
      for (let i = 0; i < grads.length; i++) {
        await expectClose(grads[i] as tf.Tensor, netGrads[i] as tf.Tensor, {
          rtol: 1e-4,
          atol: 1e-5,
        });
      }
      tf.dispose([y, yNet, ...grads, ...netGrads]);
    });
    const after = await Promise.all(Object.values(model.params).map((p) => p.data()));
    expect(after).toEqual(before);
    tf.dispose([x, ...Object.values(shifted)]);
    disposeParams(params);
    layers.dispose();
  });

  it('holds the layers variables live: setWeights and fit change model.params', async () => {
    const layers = layersMlp();
    const model = fromLayersModel(layers);
    const keys = Object.keys(model.params);
    expect(keys).toEqual(layers.weights.map((w) => w.name));
    const fresh = layers.getWeights().map((w) => tf.mul(w, 2));
    layers.setWeights(fresh);
    await expectClose(model.params[keys[0] as string] as tf.Tensor, fresh[0] as tf.Tensor, {
      rtol: 0,
      atol: 0,
    });
    layers.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    const x = inputs(8, 3);
    const y = tf.ones([8, 3]);
    const before = await (model.params[keys[0] as string] as tf.Tensor).data();
    await layers.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    const after = await (model.params[keys[0] as string] as tf.Tensor).data();
    expect(Array.from(after)).not.toEqual(Array.from(before));
    await expectClose(
      model.params[keys[0] as string] as tf.Tensor,
      layers.getWeights()[0] as tf.Tensor,
      { rtol: 0, atol: 0 },
    );
    tf.dispose([...fresh, x, y]);
    layers.optimizer.dispose();
    layers.dispose();
  });

  it('prune (magnitude scores) gives masks keyed by the layers variable names', async () => {
    const layers = layersMlp();
    const model = fromLayersModel(layers);
    const kernels = layers.weights.filter((w) => w.name.endsWith('/kernel')).map((w) => w.name);
    expect(kernels).toHaveLength(3);
    await expectNoLeaks(async () => {
      const scores = magnitudeScores(model.params);
      const masks = await prune(scores, { info: model.info, rate: 0.5 });
      expect(Object.keys(masks).sort()).toEqual([...kernels].sort());
      for (const key of kernels) {
        const keptCount = tf.sum(masks[key] as tf.Tensor);
        const kept = (await keptCount.data())[0] as number;
        keptCount.dispose();
        const size = (model.params[key] as tf.Tensor).size;
        expect(kept).toBe(size - Math.round(0.5 * size));
        // the kept weights are the largest in magnitude
        const magnitude = tf.abs(model.params[key] as tf.Tensor);
        const w = Array.from(await magnitude.data());
        magnitude.dispose();
        const m = Array.from(await (masks[key] as tf.Tensor).data());
        const minKept = Math.min(...w.filter((_, i) => m[i] === 1));
        const maxPruned = Math.max(...w.filter((_, i) => m[i] === 0));
        expect(minKept).toBeGreaterThanOrEqual(maxPruned);
      }
      disposeParams(scores);
      disposeParams(masks);
    });
    layers.dispose();
  });

  it('runs signalPropagation with the same per-layer numbers as the nets twin', async () => {
    const layers = layersMlp();
    const { net, params } = netsTwin(layers);
    const model = fromLayersModel(layers);
    const x = inputs(16, 4);
    const report = await expectNoLeaks(() => signalPropagation(model, x, { jacobianSamples: 2 }));
    const twin = await signalPropagation({ ...net, params }, x, { jacobianSamples: 2 });
    expect(report.layers.map((l) => l.layer)).toEqual(layers.layers.map((l) => l.name));
    report.layers.forEach((l, i) => {
      const t = twin.layers[i];
      expect(l.shape).toEqual(t?.shape);
      expect(l.forwardSecondMoment).toBeCloseTo(t?.forwardSecondMoment as number, 4);
      expect(l.backwardGradNorm).toBeCloseTo(t?.backwardGradNorm as number, 4);
      expect(l.jacobian?.squaredMean).toBeCloseTo(t?.jacobian?.squaredMean as number, 3);
    });
    expect(report.verdict).toBe(twin.verdict);
    tf.dispose(x);
    disposeParams(params);
    layers.dispose();
  });

  it('runs surface2d with the same loss values as the nets twin', async () => {
    const layers = layersMlp();
    const { net, params } = netsTwin(layers);
    const model = fromLayersModel(layers);
    const x = inputs(8, 5);
    const y = tf.randomNormal([8, 3], 0, 1, 'float32', 6);
    const d1 = await randomDirection(model.params, model.info, { rng: new Rng(1) });
    const d2 = await randomDirection(model.params, model.info, { rng: new Rng(2) });
    const surface = await expectNoLeaks(() =>
      surface2d((p) => mse(model.apply(p, x), y), model.params, d1, d2, { points: 3 }),
    );
    const twin = await surface2d(
      (p) => mse(net.apply(p, x), y),
      params,
      renamed(d1, params),
      renamed(d2, params),
      { points: 3 },
    );
    await expectClose(surface.values.flat(), twin.values.flat(), { rtol: 1e-5, atol: 1e-6 });
    expect(new Set(surface.values.flat()).size).toBeGreaterThan(1);
    tf.dispose([x, y]);
    disposeParams(d1);
    disposeParams(d2);
    disposeParams(params);
    layers.dispose();
  });

  if (backend !== 'webgpu') {
    it('has the same empiricalNtk as the nets twin', async () => {
      const layers = layersMlp();
      const { net, params } = netsTwin(layers);
      const model = fromLayersModel(layers);
      const x = inputs(4, 7);
      const kernel = await expectNoLeaks(() => {
        const k = empiricalNtk(model, model.params, x);
        return k.data().then((v) => {
          k.dispose();
          return v;
        });
      });
      const twin = empiricalNtk({ ...net, params }, params, x);
      await expectClose(kernel, twin, { rtol: 1e-4, atol: 1e-5 });
      expect(Math.abs(kernel[1] as number)).toBeGreaterThan(0);
      tf.dispose([x, twin]);
      disposeParams(params);
      layers.dispose();
    });

    it('has the same top Hessian eigenvalue (double backprop through the layers)', async () => {
      const layers = layersMlp();
      const { net, params } = netsTwin(layers);
      const model = fromLayersModel(layers);
      const x = inputs(8, 8);
      const y = tf.randomNormal([8, 3], 0, 1, 'float32', 9);
      const top = await expectNoLeaks(async () => {
        const r = await hessianEigs((p) => mse(model.apply(p, x), y), model.params, {
          rng: new Rng(3),
        });
        disposeParams(r.eigenvectors[0] ?? {});
        return r.eigenvalues[0] as number;
      });
      const twin = await hessianEigs((p) => mse(net.apply(p, x), y), params, {
        rng: new Rng(3),
      });
      expect(top).toBeGreaterThan(0);
      expect(Math.abs(top - (twin.eigenvalues[0] as number))).toBeLessThan(1e-3 * top);
      for (const v of twin.eigenvectors) disposeParams(v);
      tf.dispose([x, y]);
      disposeParams(params);
      layers.dispose();
    });
  }
});

/** dense → batch norm → dense, moving statistics set away from their initial 0 and 1. */
function batchNormNet(): tfl.Sequential {
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({
        units: 4,
        inputShape: [3],
        kernelInitializer: tfl.initializers.glorotNormal({ seed: 1 }),
      }),
      tfl.layers.batchNormalization({ momentum: 0.5 }),
      tfl.layers.dense({ units: 2, kernelInitializer: tfl.initializers.glorotNormal({ seed: 2 }) }),
    ],
  });
  const bn = model.layers[1] as tfl.layers.Layer;
  bn.setWeights([
    tf.tensor1d([1.5, 0.5, 1, 2]),
    tf.tensor1d([0.1, -0.2, 0.3, 0]),
    tf.tensor1d([0.2, -0.1, 0.4, 0.3]),
    tf.tensor1d([2, 0.5, 1.5, 3]),
  ]);
  return model;
}

forEachBackend('fromLayersModel: batch normalization, conv and layer norm', () => {
  it('gives gamma/beta/moving statistics the roles scale/shift/stat', () => {
    const layers = batchNormNet();
    const model = fromLayersModel(layers);
    const bn = layers.layers[1]?.name as string;
    const [dense1, , dense2] = layers.layers.map((l) => l.name);
    const roles = Object.fromEntries(Object.entries(model.info).map(([k, v]) => [k, v.role]));
    expect(roles).toEqual({
      [`${dense1}/kernel`]: 'weight',
      [`${dense1}/bias`]: 'bias',
      [`${bn}/gamma`]: 'scale',
      [`${bn}/beta`]: 'shift',
      [`${bn}/moving_mean`]: 'stat',
      [`${bn}/moving_variance`]: 'stat',
      [`${dense2}/kernel`]: 'weight',
      [`${dense2}/bias`]: 'bias',
    });
    expect(model.info[`${bn}/gamma`]?.layer).toBe(bn);
    layers.dispose();
  });

  it('training mode uses batch statistics and updates nothing (not the params, not the moving statistics)', async () => {
    const layers = batchNormNet();
    const model = fromLayersModel(layers);
    const x = tf.tensor2d([
      [1, 2, -1],
      [0.5, -1, 2],
      [-2, 0, 1],
      [1, 1, 1],
    ]);
    // the variables themselves (getWeights does not copy): read, never disposed here
    const [w1, b1, gamma, beta, w2, b2, mean, variance] = layers.getWeights() as tf.Tensor[];
    expect(layers.weights.map((w) => w.name.split('/')[1])).toEqual([
      'kernel',
      'bias',
      'gamma',
      'beta',
      'kernel',
      'bias',
      'moving_mean',
      'moving_variance',
    ]);
    const expected = tf.tidy(() => {
      const h = tf.add(tf.matMul(x, w1 as tf.Tensor), b1 as tf.Tensor);
      const m = tf.moments(h, 0);
      const normed = tf.batchNorm(h, m.mean, m.variance, beta, gamma, 1e-3);
      return tf.add(tf.matMul(normed, w2 as tf.Tensor), b2 as tf.Tensor);
    });
    const inference = tf.tidy(() => {
      const h = tf.add(tf.matMul(x, w1 as tf.Tensor), b1 as tf.Tensor);
      const normed = tf.batchNorm(h, mean as tf.Tensor, variance as tf.Tensor, beta, gamma, 1e-3);
      return tf.add(tf.matMul(normed, w2 as tf.Tensor), b2 as tf.Tensor);
    });
    const before = await Promise.all(layers.weights.map((w) => w.read().data()));
    const given: Params = {};
    for (const [k, p] of Object.entries(model.params)) given[k] = tf.clone(p);
    await expectNoLeaks(async () => {
      const yTrain = model.apply(given, x, { training: true });
      const yTrainAgain = model.apply(given, x, { training: true });
      const yInfer = model.apply(given, x);
      await expectClose(yTrain, expected, { rtol: 1e-4, atol: 1e-5 });
      await expectClose(yTrainAgain, yTrain, { rtol: 0, atol: 0 });
      await expectClose(yInfer, inference, { rtol: 1e-4, atol: 1e-5 });
      tf.dispose([yTrain, yTrainAgain, yInfer]);
    });
    const after = await Promise.all(layers.weights.map((w) => w.read().data()));
    expect(after).toEqual(before);
    for (const [k, p] of Object.entries(given)) {
      await expectClose(p, model.params[k] as tf.Tensor, { rtol: 0, atol: 0 });
    }
    // the layers model itself, called the same way, does move its statistics
    tf.dispose(layers.apply(x, { training: true }) as tf.Tensor);
    const moved = await layers.weights[6]?.read().data();
    expect(Array.from(moved ?? [])).not.toEqual(Array.from(before[6] ?? []));
    tf.dispose([x, expected, inference, ...Object.values(given)]);
    layers.dispose();
  });

  it('describes Conv2D and LayerNormalization weights, taps each weight layer once, matches predict', async () => {
    const layers = tfl.sequential({
      layers: [
        tfl.layers.conv2d({
          filters: 2,
          kernelSize: 3,
          inputShape: [5, 5, 1],
          activation: 'relu',
          kernelInitializer: tfl.initializers.glorotNormal({ seed: 4 }),
        }),
        tfl.layers.layerNormalization({ axis: -1 }),
        tfl.layers.flatten(),
        tfl.layers.dense({
          units: 2,
          kernelInitializer: tfl.initializers.glorotNormal({ seed: 5 }),
        }),
      ],
    });
    const model = fromLayersModel(layers);
    const [conv, norm, , dense] = layers.layers as tfl.layers.Layer[];
    expect(model.info[`${conv?.name}/kernel`]).toEqual({
      role: 'weight',
      layer: conv?.name,
      layout: 'conv2d',
      fanIn: 9,
      fanOut: 18,
    });
    expect(model.info[`${norm?.name}/gamma`]?.role).toBe('scale');
    expect(model.info[`${norm?.name}/beta`]?.role).toBe('shift');
    expect(model.info[`${dense?.name}/kernel`]?.layout).toBe('dense');
    const x = tf.randomNormal([2, 5, 5, 1], 0, 1, 'float32', 11);
    const predicted = layers.predict(x) as tf.Tensor;
    const tapped: { layer: string; min: number }[] = [];
    await expectNoLeaks(async () => {
      const pre: tf.Tensor[] = [];
      const y = model.apply(model.params, x, {
        tap: (layer, z) => {
          tapped.push({ layer, min: 0 });
          pre.push(tf.keep(tf.min(z)));
          return z;
        },
      });
      await expectClose(y, predicted, { rtol: 1e-5, atol: 1e-6 });
      // relu comes after the tap: the conv's pre-activation has negative entries
      expect((await (pre[0] as tf.Tensor).data())[0]).toBeLessThan(0);
      tf.dispose([y, ...pre]);
    });
    expect(tapped.map((t) => t.layer)).toEqual([conv?.name, dense?.name]);
    tf.dispose([x, predicted]);
    layers.dispose();
  });
});

/** weight-normalized dense relu → group norm → spectral-normalized dense. */
function descentNet(): tfl.Sequential {
  return tfl.sequential({
    layers: [
      weightNormalization({
        inputShape: [6],
        layer: tfl.layers.dense({
          units: 8,
          activation: 'relu',
          biasInitializer: tfl.initializers.randomNormal({ stddev: 0.3, seed: 12 }),
          kernelInitializer: tfl.initializers.glorotNormal({ seed: 13 }),
        }),
      }),
      groupNormalization({ groups: 2 }),
      spectralNormalization({
        seed: 3,
        layer: tfl.layers.dense({
          units: 3,
          kernelInitializer: tfl.initializers.glorotNormal({ seed: 14 }),
        }),
      }),
    ],
  });
}

forEachBackend('fromLayersModel: descent layers', () => {
  it('gives g, u, gamma and beta their roles and taps the wrapped layers before their activation', async () => {
    const layers = descentNet();
    const model = fromLayersModel(layers);
    const [wn, gn, sn] = layers.layers.map((l) => l.name);
    const byRole = (role: string) =>
      Object.entries(model.info)
        .filter(([, v]) => v.role === role)
        .map(([k, v]) => `${v.layer}:${k.slice(k.lastIndexOf('/') + 1)}`)
        .sort();
    expect(byRole('weight')).toEqual([`${sn}:kernel`, `${wn}:kernel`].sort());
    expect(byRole('scale')).toEqual([`${gn}:gamma`, `${wn}:g`].sort());
    expect(byRole('shift')).toEqual([`${gn}:beta`]);
    expect(byRole('stat')).toEqual([`${sn}:u`]);
    const x = tf.randomNormal([4, 6], 0, 1, 'float32', 15);
    const predicted = layers.predict(x) as tf.Tensor;
    const taps: string[] = [];
    await expectNoLeaks(async () => {
      const mins: tf.Tensor[] = [];
      const y = model.apply(model.params, x, {
        tap: (layer, z) => {
          taps.push(layer);
          mins.push(tf.keep(tf.min(z)));
          return z;
        },
      });
      await expectClose(y, predicted, { rtol: 1e-5, atol: 1e-6 });
      expect((await (mins[0] as tf.Tensor).data())[0]).toBeLessThan(0);
      tf.dispose([y, ...mins]);
    });
    expect(taps).toEqual([wn, sn]);
    tf.dispose([x, predicted]);
    layers.dispose();
  });

  it('computes at the given params what the layers compute after setWeights, and training changes no u', async () => {
    const layers = descentNet();
    const model = fromLayersModel(layers);
    const x = tf.randomNormal([4, 6], 0, 1, 'float32', 16);
    const shifted: Params = {};
    for (const [key, p] of Object.entries(model.params)) {
      shifted[key] =
        model.info[key]?.role === 'stat'
          ? tf.clone(p)
          : tf.tidy(() => tf.add(p, tf.mul(0.2, tf.randomNormal(p.shape, 0, 1, 'float32', 17))));
    }
    const before = await Promise.all(layers.weights.map((w) => w.read().data()));
    const y = model.apply(shifted, x);
    const yTrain = model.apply(shifted, x, { training: true });
    const after = await Promise.all(layers.weights.map((w) => w.read().data()));
    expect(after).toEqual(before);
    const original = layers.weights.map((w) => tf.clone(w.read()));
    layers.setWeights(layers.weights.map((w) => shifted[w.name] as tf.Tensor));
    const expected = layers.predict(x) as tf.Tensor;
    await expectClose(y, expected, { rtol: 1e-5, atol: 1e-6 });
    // the layers' own training call moves u; the model's apply did not
    const uName = layers.weights.find((w) => w.name.endsWith('/u'))?.name as string;
    const expectedTrain = layers.apply(x, { training: true }) as tf.Tensor;
    await expectClose(yTrain, expectedTrain, { rtol: 1e-4, atol: 1e-5 });
    const movedU = await layers.weights
      .find((w) => w.name === uName)
      ?.read()
      .data();
    expect(Array.from(movedU ?? [])).not.toEqual(Array.from((await shifted[uName]?.data()) ?? []));
    layers.setWeights(original);
    tf.dispose([x, y, yTrain, expected, expectedTrain, ...original, ...Object.values(shifted)]);
    layers.dispose();
  });

  it('batch renormalization in training mode moves no statistic; the layers model alone does', async () => {
    const layers = tfl.sequential({
      layers: [
        tfl.layers.dense({
          units: 4,
          inputShape: [3],
          kernelInitializer: tfl.initializers.glorotNormal({ seed: 18 }),
        }),
        batchRenormalization({ momentum: 0.5 }),
      ],
    });
    const model = fromLayersModel(layers);
    const stats = Object.keys(model.info).filter((k) => model.info[k]?.role === 'stat');
    expect(stats.map((k) => k.slice(k.lastIndexOf('/') + 1)).sort()).toEqual([
      'moving_mean',
      'moving_variance',
    ]);
    const x = tf.randomNormal([6, 3], 0, 1, 'float32', 19);
    const before = await Promise.all(layers.weights.map((w) => w.read().data()));
    await expectNoLeaks(async () => {
      const first = model.apply(model.params, x, { training: true });
      const second = model.apply(model.params, x, { training: true });
      await expectClose(second, first, { rtol: 0, atol: 0 });
      tf.dispose([first, second]);
    });
    expect(await Promise.all(layers.weights.map((w) => w.read().data()))).toEqual(before);
    tf.dispose(layers.apply(x, { training: true }) as tf.Tensor);
    expect(await Promise.all(layers.weights.map((w) => w.read().data()))).not.toEqual(before);
    x.dispose();
    layers.dispose();
  });
});
