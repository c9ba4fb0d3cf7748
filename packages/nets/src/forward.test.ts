import * as tf from '@tensorflow/tfjs-core';
import { type Params, Rng, disposeParams } from '@descent/core';
import { expectClose, forEachBackend } from '@descent/core/testing';
import { expect, it } from 'vitest';
import type { Activation } from './activation';
import { lenet5 } from './lenet5';
import { mlp } from './mlp';
import type { Net, NetApplyOptions } from './net';
import { resMlp } from './res-mlp';
import {
  type Img,
  type Mat,
  activateScalar,
  addMat,
  affine,
  conv,
  mapMat,
  mat,
  pool2,
  readParams,
} from './test-support/reference';
import { wideMlp } from './wide-mlp';

const TOL = { rtol: 1e-4, atol: 1e-5 };

/** Replaces every parameter by seeded random values (positive for variances), so biases matter. */
function randomize(net: Net, seed: number, scale = 0.5): Params {
  const rng = new Rng(seed);
  const out: Params = {};
  for (const [key, t] of Object.entries(net.params)) {
    out[key] = key.endsWith('moving_variance')
      ? rng.uniform(t.shape, 0.5, 2)
      : rng.normal(t.shape, 0, scale);
  }
  return out;
}

function input(rows: number, cols: number, seed: number): { t: tf.Tensor; m: Mat } {
  const data = new Rng(seed).normalArray(rows * cols);
  return { t: tf.tensor2d(data, [rows, cols]), m: mat(rows, cols, data) };
}

/** Runs apply and asserts it leaves exactly one new tensor (its output). */
function applyOnce(net: Net, p: Params, x: tf.Tensor, opts?: NetApplyOptions): tf.Tensor {
  const before = tf.memory().numTensors;
  const y = net.apply(p, x, opts);
  expect(tf.memory().numTensors - before, 'tensors left by apply besides its output').toBe(1);
  return y;
}

const act = (a: Activation) => (v: number) => activateScalar(v, a);

forEachBackend('forward pass vs a float64 reference', () => {
  for (const activation of [
    'relu',
    'tanh',
    'elu',
    'leakyRelu',
    'sigmoid',
    'softplus',
    'erf',
  ] as const) {
    it(`mlp [5, 7, 6, 3] with ${activation} (rtol 1e-4)`, async () => {
      const net = mlp({ sizes: [5, 7, 6, 3], activation, seed: 1 });
      const p = randomize(net, 2);
      const { t: x, m } = input(4, 5, 3);
      const w = await readParams(p);
      let h = m;
      for (let l = 1; l <= 3; l++) {
        h = affine(
          h,
          w[`dense${l}/kernel`] as Float64Array,
          h === m ? 7 : l === 2 ? 6 : 3,
          w[`dense${l}/bias`],
        );
        if (l < 3) h = mapMat(h, act(activation));
      }
      const y = applyOnce(net, p, x);
      await expectClose(y, h.data, TOL);
      tf.dispose([x, y]);
      disposeParams(p);
      disposeParams(net.params);
    });
  }

  it('mlp with residual skips where widths match, and batch norm in inference (running statistics)', async () => {
    const net = mlp({
      sizes: [4, 6, 6, 2],
      activation: 'tanh',
      residual: true,
      norm: 'batch',
      seed: 1,
    });
    const p = randomize(net, 5);
    const { t: x, m } = input(3, 4, 6);
    const w = await readParams(p);
    const bn = (z: Mat, name: string): Mat => {
      const g = w[`${name}/gamma`] as Float64Array;
      const b = w[`${name}/beta`] as Float64Array;
      const mu = w[`${name}/moving_mean`] as Float64Array;
      const v = w[`${name}/moving_variance`] as Float64Array;
      return {
        ...z,
        data: z.data.map((val, i) => {
          const c = i % z.cols;
          return (
            ((g[c] as number) * (val - (mu[c] as number))) / Math.sqrt((v[c] as number) + 1e-3) +
            (b[c] as number)
          );
        }),
      };
    };
    const h1 = mapMat(
      bn(affine(m, w['dense1/kernel'] as Float64Array, 6), 'dense1_bn'),
      act('tanh'),
    );
    const h2 = addMat(
      h1,
      mapMat(bn(affine(h1, w['dense2/kernel'] as Float64Array, 6), 'dense2_bn'), act('tanh')),
    );
    const out = affine(h2, w['dense3/kernel'] as Float64Array, 2, w['dense3/bias']);
    const y = net.apply(p, x, { training: false });
    await expectClose(y, out.data, TOL);
    tf.dispose([x, y]);
    disposeParams(p);
    disposeParams(net.params);
  });

  for (const pooling of ['max', 'avg'] as const) {
    it(`lenet5 (${pooling} pooling) on two 28×28 images, [N, 28, 28, 1] and [N, 784] alike (rtol 1e-4)`, async () => {
      const net = lenet5({ pooling, seed: 3 });
      const p = randomize(net, 4, 0.2);
      const data = new Rng(9).uniformArray(2 * 784);
      const x4 = tf.tensor4d(data, [2, 28, 28, 1]);
      const x2 = tf.tensor2d(data, [2, 784]);
      const w = await readParams(p);
      const relu = (img: Img): Img => ({ ...img, data: img.data.map((v) => Math.max(0, v)) });
      let img: Img = { n: 2, h: 28, w: 28, c: 1, data: Float64Array.from(data) };
      img = pool2(
        relu(
          conv(img, w['conv1/kernel'] as Float64Array, 5, 6, w['conv1/bias'] as Float64Array, 2),
        ),
        pooling,
      );
      img = pool2(
        relu(
          conv(img, w['conv2/kernel'] as Float64Array, 5, 16, w['conv2/bias'] as Float64Array, 0),
        ),
        pooling,
      );
      expect([img.h, img.w, img.c]).toEqual([5, 5, 16]);
      let h: Mat = mat(2, 400, img.data);
      h = mapMat(affine(h, w['dense1/kernel'] as Float64Array, 120, w['dense1/bias']), act('relu'));
      h = mapMat(affine(h, w['dense2/kernel'] as Float64Array, 84, w['dense2/bias']), act('relu'));
      h = affine(h, w['dense3/kernel'] as Float64Array, 10, w['dense3/bias']);
      const y4 = applyOnce(net, p, x4);
      const y2 = net.apply(p, x2);
      expect(y4.shape).toEqual([2, 10]);
      await expectClose(y4, h.data, TOL);
      await expectClose(y2, h.data, TOL);
      tf.dispose([x4, x2, y4, y2]);
      disposeParams(p);
      disposeParams(net.params);
    });
  }

  it('resMlp (Fixup structure, random multipliers) matches h ← φ(h + m·branch(h))', async () => {
    const net = resMlp({ inputDim: 3, outputDim: 2, width: 5, depth: 2, seed: 2 });
    const p = randomize(net, 8);
    const { t: x, m } = input(4, 3, 10);
    const w = await readParams(p);
    const relu = act('relu');
    let h = mapMat(affine(m, w['stem/kernel'] as Float64Array, 5, w['stem/bias']), relu);
    for (let b = 1; b <= 2; b++) {
      const r1 = mapMat(
        affine(h, w[`block${b}/dense1/kernel`] as Float64Array, 5, w[`block${b}/dense1/bias`]),
        relu,
      );
      const r2 = affine(
        r1,
        w[`block${b}/dense2/kernel`] as Float64Array,
        5,
        w[`block${b}/dense2/bias`],
      );
      const mult = (w[`block${b}/multiplier`] as Float64Array)[0] as number;
      h = mapMat(
        addMat(
          h,
          mapMat(r2, (v) => v * mult),
        ),
        relu,
      );
    }
    const out = affine(h, w['head/kernel'] as Float64Array, 2, w['head/bias']);
    const y = net.apply(p, x);
    await expectClose(y, out.data, TOL);
    tf.dispose([x, y]);
    disposeParams(p);
    disposeParams(net.params);
  });

  it('wideMlp NTK: z = (σ_w/√n)·hW + σ_b·b (rtol 1e-4)', async () => {
    const net = wideMlp({
      inputDim: 3,
      outputDim: 2,
      width: 16,
      depth: 2,
      weightStd: 1.3,
      biasStd: 0.4,
      activation: 'erf',
      seed: 5,
    });
    const { t: x, m } = input(4, 3, 11);
    const w = await readParams(net.params);
    let h = m;
    const dims = [3, 16, 16, 2];
    for (let l = 1; l <= 3; l++) {
      const z = affine(h, w[`dense${l}/kernel`] as Float64Array, dims[l] as number);
      const b = w[`dense${l}/bias`] as Float64Array;
      h = mapMat(z, (v) => v);
      h = {
        ...h,
        data: z.data.map(
          (v, i) =>
            (1.3 / Math.sqrt(dims[l - 1] as number)) * v +
            0.4 * (b[i % (dims[l] as number)] as number),
        ),
      };
      if (l < 3) h = mapMat(h, act('erf'));
    }
    const y = net.apply(net.params, x);
    await expectClose(y, h.data, TOL);
    tf.dispose([x, y]);
    disposeParams(net.params);
  });

  it('calls tap on every layer in forward order with its pre-activation, and continues with what tap returns', async () => {
    const net = lenet5({ seed: 1 });
    const x = tf.zeros([2, 784]);
    const seen: [string, number[]][] = [];
    const y0 = net.apply(net.params, x);
    const y1 = applyOnce(net, net.params, x, {
      tap: (layer, z) => {
        seen.push([layer, z.shape]);
        return layer === 'dense3' ? tf.add(z, 1) : z;
      },
    });
    expect(seen).toEqual([
      ['conv1', [2, 28, 28, 6]],
      ['conv2', [2, 10, 10, 16]],
      ['dense1', [2, 120]],
      ['dense2', [2, 84]],
      ['dense3', [2, 10]],
    ]);
    const shifted = tf.add(y0, 1);
    await expectClose(y1, shifted, { rtol: 1e-6, atol: 1e-6 });
    tf.dispose([x, y0, y1, shifted]);
    disposeParams(net.params);
  });
});
