import * as tf from '@tensorflow/tfjs-core';
import { type Params, Rng, disposeParams, softmaxCrossEntropy, toVariables } from '@descent/core';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { adam, sgd } from '@descent/optim';
import { expect, it } from 'vitest';
import { lenet300100 } from './lenet300100';
import { lenet5 } from './lenet5';
import { mlp } from './mlp';
import { assignStats } from './net';
import { affine, mat, readParams } from './test-support/reference';

let unique = 0;
const prefix = () => `nets-test-${unique++}/`;

forEachBackend('training mode', (backend) => {
  it('dropout: inverted masks drawn from the Rng (exact), identical for the same generator, off in inference', async () => {
    const net = mlp({ sizes: [3, 8, 2], activation: 'linear', dropout: 0.5, seed: 4 });
    const x = tf.tensor2d(new Rng(1).normalArray(5 * 3), [5, 3]);
    const w = await readParams(net.params);
    const h = affine(
      mat(5, 3, await x.data()),
      w['dense1/kernel'] as Float64Array,
      8,
      w['dense1/bias'],
    );
    const mask = new Rng(77).bernoulliArray(5 * 8, 0.5);
    const dropped = mat(
      5,
      8,
      h.data.map((v, i) => v * (mask[i] as number) * 2),
    );
    const expected = affine(dropped, w['dense2/kernel'] as Float64Array, 2, w['dense2/bias']);
    const y = net.apply(net.params, x, { training: true, rng: new Rng(77) });
    await expectClose(y, expected.data, { rtol: 1e-5, atol: 1e-6 });
    // The net's own generator advances: two training calls differ, inference is deterministic.
    const a = net.apply(net.params, x, { training: true });
    const b = net.apply(net.params, x, { training: true });
    expect(Array.from(await a.data())).not.toEqual(Array.from(await b.data()));
    const inference = net.apply(net.params, x);
    const plain = affine(h, w['dense2/kernel'] as Float64Array, 2, w['dense2/bias']);
    await expectClose(inference, plain.data, { rtol: 1e-5, atol: 1e-6 });
    tf.dispose([x, y, a, b, inference]);
    disposeParams(net.params);
  });

  it('batch norm: batch statistics in training, running statistics collected in stats and committed by assignStats', async () => {
    const net = mlp({ sizes: [4, 6, 2], norm: { type: 'batch', momentum: 0.9 }, seed: 2 });
    const x = tf.tensor2d(new Rng(3).normalArray(8 * 4, 1, 2), [8, 4]);
    const w = await readParams(net.params);
    const z = affine(mat(8, 4, await x.data()), w['dense1/kernel'] as Float64Array, 6);
    const mean = Array.from({ length: 6 }, (_, c) => {
      let s = 0;
      for (let n = 0; n < 8; n++) s += z.data[n * 6 + c] as number;
      return s / 8;
    });
    const variance = mean.map((m, c) => {
      let s = 0;
      for (let n = 0; n < 8; n++) s += ((z.data[n * 6 + c] as number) - m) ** 2;
      return s / 8;
    });
    const vars = toVariables(net.params, { prefix: prefix() });
    const stats: Params = {};
    await expectNoLeaks(async () => {
      const { value, grads } = tf.variableGrads(
        () =>
          softmaxCrossEntropy(
            net.apply(vars, x, { training: true, stats }),
            tf.tensor1d([0, 1, 1, 0, 1, 0, 0, 1], 'int32'),
          ) as tf.Scalar,
      );
      expect(Object.keys(grads).some((k) => k.includes('moving'))).toBe(false);
      expect(Object.keys(stats).sort()).toEqual([
        'dense1_bn/moving_mean',
        'dense1_bn/moving_variance',
      ]);
      await expectClose(
        stats['dense1_bn/moving_mean'] as tf.Tensor,
        mean.map((m) => 0.1 * m),
        { rtol: 1e-4, atol: 1e-5 },
      );
      await expectClose(
        stats['dense1_bn/moving_variance'] as tf.Tensor,
        variance.map((v) => 0.9 + 0.1 * v),
        { rtol: 1e-4, atol: 1e-5 },
      );
      assignStats(vars, stats);
      expect(Object.keys(stats)).toEqual([]);
      tf.dispose([value, ...Object.values(grads)]);
    });
    await expectClose(
      vars['dense1_bn/moving_mean'] as tf.Tensor,
      mean.map((m) => 0.1 * m),
      { rtol: 1e-4, atol: 1e-5 },
    );
    disposeParams(vars);
    disposeParams(net.params);
    x.dispose();
  });

  it('lenet300100 + adam: the loss falls over 20 steps on random data, with no leaks', async () => {
    const net = lenet300100({ seed: 0 });
    const rng = new Rng(`smoke-${backend}`);
    const x = tf.tensor2d(rng.uniformArray(32 * 784), [32, 784]);
    const y = tf.tensor1d(
      Int32Array.from({ length: 32 }, () => rng.int(0, 10)),
      'int32',
    );
    const vars = toVariables(net.params, { prefix: prefix() });
    const optimizer = adam({ learningRate: 1e-3 });
    const losses: number[] = [];
    optimizer.applyGradients(
      tf.variableGrads(() => softmaxCrossEntropy(net.apply(vars, x), y) as tf.Scalar).grads,
    ); // creates the optimizer state (outside the leak check)
    await expectNoLeaks(async () => {
      for (let step = 0; step < 20; step++) {
        const { value, grads } = tf.variableGrads(
          () => softmaxCrossEntropy(net.apply(vars, x), y) as tf.Scalar,
        );
        optimizer.applyGradients(grads);
        losses.push((await value.data())[0] as number);
        tf.dispose([value, ...Object.values(grads)]);
      }
    });
    expect(losses[19]).toBeLessThan(0.5 * (losses[0] as number));
    optimizer.dispose();
    disposeParams(vars);
    disposeParams(net.params);
    tf.dispose([x, y]);
  });

  it('after fused in-place Adam steps, forward passes and gradients equal those on fresh copies of the weights', async () => {
    // tfjs-backend-wasm's XNNPACK packs a matMul's weights once per tensor id; the optimizer writes
    // the variables in place, so each path that multiplies by them must see the new values.
    const net = mlp({ sizes: [12, 16, 8, 3], activation: 'relu', seed: 5 });
    const rng = new Rng(9);
    const x = tf.tensor2d(rng.normalArray(6 * 12), [6, 12]);
    const y = tf.tensor1d([0, 1, 2, 1, 0, 2], 'int32');
    const vars = toVariables(net.params, { prefix: prefix() });
    const keys = Object.keys(vars).sort();
    const gradientsAt = (params: Params) =>
      tf.grads((...ws: tf.Tensor[]) =>
        softmaxCrossEntropy(
          net.apply(Object.fromEntries(keys.map((k, i) => [k, ws[i] as tf.Tensor])), x),
          y,
        ),
      )(keys.map((k) => params[k] as tf.Tensor));
    const optimizer = adam({ learningRate: 0.05 });
    for (let step = 0; step < 3; step++) {
      const inference = net.apply(vars, x);
      const grads = gradientsAt(vars);
      const { value, grads: named } = tf.variableGrads(
        () => softmaxCrossEntropy(net.apply(vars, x), y) as tf.Scalar,
      );
      optimizer.applyGradients(named);
      tf.dispose([inference, value, ...grads, ...Object.values(named)]);
      const fresh = Object.fromEntries(keys.map((k) => [k, tf.add(vars[k] as tf.Tensor, 0)]));
      const [now, nowFresh] = [net.apply(vars, x), net.apply(fresh, x)];
      await expectClose(now, nowFresh, { rtol: 1e-6, atol: 1e-6 });
      const [g, gFresh] = [gradientsAt(vars), gradientsAt(fresh)];
      for (let i = 0; i < keys.length; i++) {
        await expectClose(g[i] as tf.Tensor, gFresh[i] as tf.Tensor, { rtol: 1e-5, atol: 1e-6 });
      }
      tf.dispose([now, nowFresh, ...g, ...gFresh, ...Object.values(fresh)]);
    }
    optimizer.dispose();
    disposeParams(vars);
    disposeParams(net.params);
    tf.dispose([x, y]);
  });

  it('lenet5 trains here too: filter gradients equal cpu’s (rtol 1e-4) and an SGD step lowers the loss', async () => {
    const net = lenet5({ seed: 1 });
    const rng = new Rng(6);
    const xData = rng.uniformArray(4 * 784);
    const yData = Int32Array.from([3, 1, 4, 1]);
    const gradsOn = async (name: string) => {
      const previous = tf.getBackend();
      await tf.setBackend(name);
      const params = Object.fromEntries(
        await Promise.all(
          Object.entries(net.params).map(
            async ([k, t]) => [k, tf.tensor(await t.data(), t.shape)] as const,
          ),
        ),
      ) as Params;
      const x = tf.tensor2d(xData, [4, 784]);
      const y = tf.tensor1d(yData, 'int32');
      const keys = Object.keys(params);
      const grads = tf.grads((...ws: tf.Tensor[]) =>
        softmaxCrossEntropy(
          net.apply(Object.fromEntries(keys.map((k, i) => [k, ws[i] as tf.Tensor])), x),
          y,
        ),
      )(keys.map((k) => params[k] as tf.Tensor));
      const out: Record<string, Float32Array> = {};
      for (let i = 0; i < keys.length; i++)
        out[keys[i] as string] = (await (grads[i] as tf.Tensor).data()) as Float32Array;
      tf.dispose([x, y, ...grads]);
      disposeParams(params);
      await tf.setBackend(previous);
      return out;
    };
    const here = await gradsOn(backend);
    const cpu = await gradsOn('cpu');
    for (const key of ['conv1/kernel', 'conv2/kernel', 'dense1/kernel']) {
      const scale = Math.max(...Array.from(cpu[key] as Float32Array, Math.abs));
      await expectClose(here[key] as Float32Array, cpu[key] as Float32Array, {
        rtol: 1e-4,
        atol: 1e-5 * scale,
      });
    }
    const vars = toVariables(net.params, { prefix: prefix() });
    const x = tf.tensor2d(xData, [4, 784]);
    const y = tf.tensor1d(yData, 'int32');
    const lossValue = async () => {
      const l = softmaxCrossEntropy(net.apply(vars, x), y);
      const v = (await l.data())[0] as number;
      l.dispose();
      return v;
    };
    const before = await lossValue();
    const optimizer = sgd({ learningRate: 0.05 });
    const { value, grads } = tf.variableGrads(
      () => softmaxCrossEntropy(net.apply(vars, x), y) as tf.Scalar,
    );
    optimizer.applyGradients(grads);
    tf.dispose([value, ...Object.values(grads)]);
    expect(await lossValue()).toBeLessThan(before);
    optimizer.dispose();
    disposeParams(vars);
    disposeParams(net.params);
    tf.dispose([x, y]);
  });
});
