import * as tf from '@tensorflow/tfjs-core';
import type { Params } from '@descent/core';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { mlp, wideMlp } from '@descent/nets';
import { expect, it } from 'vitest';
import { empiricalNtk } from './empirical-ntk';
import { bruteJacobian, bruteKernel, kernelTol, sample } from './test-support/brute-force';

const REDUCTIONS = ['none', 'sum', 'mean'] as const;
const VARIANTS = [
  { method: 'jacobian', batchIndependent: false },
  { method: 'jacobian', batchIndependent: true },
  { method: 'ntvp', batchIndependent: false },
  { method: 'ntvp', batchIndependent: true },
  { method: 'auto', batchIndependent: true },
] as const;

function inputs(n: number, d: number, seed: number): tf.Tensor2D {
  return tf.tensor2d(sample(n * d, seed), [n, d]);
}

async function expectExactlySymmetric(k: tf.Tensor): Promise<void> {
  const t = tf.transpose(k, k.rank === 4 ? [1, 0, 3, 2] : [1, 0]);
  expect(Array.from(await k.data())).toEqual(Array.from(await t.data()));
  t.dispose();
}

forEachBackend('empiricalNtk', (backend) => {
  const small = backend === 'webgpu';
  const activations = small ? (['relu'] as const) : (['tanh', 'relu'] as const);

  for (const activation of activations) {
    it(`every method equals the float64 brute force (${activation} mlp [3, 16, 16, 4], x2 given and omitted, batchSize < N)`, async () => {
      const net = mlp({ sizes: [3, 16, 16, 4], activation, seed: 7 });
      const x1 = inputs(small ? 3 : 5, 3, 11);
      const x2 = inputs(small ? 2 : 3, 3, 12);
      const keys = Object.keys(net.params);
      const f = (p: Params, x: tf.Tensor) => net.apply(p, x);
      const j1 = await bruteJacobian(f, net.params, keys, x1);
      const j2 = await bruteJacobian(f, net.params, keys, x2);
      const variants = small ? VARIANTS.filter((v) => v.method !== 'ntvp') : VARIANTS;
      await expectNoLeaks(async () => {
        for (const reduction of small ? (['none', 'mean'] as const) : REDUCTIONS) {
          const cross = bruteKernel(j1, j2, reduction);
          const self = bruteKernel(j1, j1, reduction);
          for (const v of variants) {
            const options = { ...v, outputReduction: reduction, batchSize: 2 };
            const k12 = empiricalNtk(net, net.params, x1, x2, options);
            await expectClose(k12, cross, kernelTol(cross));
            const k11 = empiricalNtk(net, net.params, x1, undefined, options);
            await expectClose(k11, self, kernelTol(self));
            await expectExactlySymmetric(k11);
            tf.dispose([k12, k11]);
          }
        }
      });
      tf.dispose([x1, x2, ...Object.values(net.params)]);
    });
  }

  for (const outputDim of [1, 2]) {
    it(`the dense path holds for scaled layers and narrow readouts (wideMlp, NTK parameterization, σ_b = 0.3, ${outputDim} output(s)) as the brute force`, async () => {
      const net = wideMlp({
        inputDim: 1,
        outputDim,
        // Width 32 after width 32 into 1–2 outputs: the readout's inputs come from one-hot
        // gradient passes (32 identity passes would cost more); the other layers from identity passes.
        width: 32,
        depth: 2,
        activation: 'erf',
        weightStd: 1.5,
        biasStd: 0.3,
        seed: 4,
      });
      const x = inputs(small ? 3 : 5, 1, 13);
      const keys = Object.keys(net.params);
      const j = await bruteJacobian(
        (p: Params, v: tf.Tensor) => net.apply(p, v),
        net.params,
        keys,
        x,
      );
      const self = bruteKernel(j, j, 'mean');
      for (const batchIndependent of [true, false]) {
        const k = empiricalNtk(net, net.params, x, undefined, { batchIndependent, batchSize: 2 });
        await expectClose(k, self, kernelTol(self));
        k.dispose();
      }
      tf.dispose([x, ...Object.values(net.params)]);
    });
  }

  it('the methods agree with each other to 1e-5 (relu mlp, sum reduction, N = 6 in blocks of 4)', async () => {
    const net = mlp({ sizes: [3, 16, 16, 4], seed: 3 });
    const x = inputs(small ? 3 : 6, 3, 5);
    const variants = small ? VARIANTS.filter((v) => v.method !== 'ntvp') : VARIANTS;
    const kernels = variants.map((v) =>
      empiricalNtk(net, net.params, x, undefined, { ...v, outputReduction: 'sum', batchSize: 4 }),
    );
    const ref = Array.from(await (kernels[0] as tf.Tensor).data());
    for (const k of kernels.slice(1)) await expectClose(k, ref, kernelTol(ref));
    tf.dispose([...kernels, x, ...Object.values(net.params)]);
  });

  it('takes a function (params, x) => f(x), a 1-D output counting as O = 1', async () => {
    const w = tf.tensor2d(sample(6, 21), [3, 2]);
    const v = tf.tensor1d(sample(2, 22));
    const params = { w, v };
    const f = (p: Params, x: tf.Tensor) =>
      tf.sum(tf.mul(tf.relu(tf.matMul(x, p.w as tf.Tensor)), p.v as tf.Tensor), 1);
    const x = inputs(4, 3, 23);
    const j = await bruteJacobian(f, params, ['w', 'v'], x);
    const ref = bruteKernel(j, j, 'sum');
    await expectNoLeaks(async () => {
      for (const method of small ? (['jacobian'] as const) : (['jacobian', 'ntvp'] as const)) {
        const k = empiricalNtk(f, params, x, undefined, { method, batchSize: 3 });
        expect(k.shape).toEqual([4, 4]);
        await expectClose(k, ref, kernelTol(ref));
        k.dispose();
      }
    });
    tf.dispose([w, v, x]);
  });

  it('a batch-norm net (inference mode, running statistics held fixed) equals the brute force with batchIndependent false', async () => {
    const net = mlp({ sizes: [3, 8, 2], norm: 'batch', seed: 4 });
    const params: Params = {
      ...net.params,
      'dense1_bn/moving_mean': tf.tensor1d(sample(8, 31).map((s) => 0.3 * s)),
      'dense1_bn/moving_variance': tf.tensor1d(sample(8, 32).map((s) => 1.5 + s)),
    };
    const keys = Object.keys(params).filter((k) => !k.includes('moving_'));
    const f = (p: Params, x: tf.Tensor) => net.apply(p, x);
    const x = inputs(small ? 2 : 4, 3, 33);
    const j = await bruteJacobian(f, params, keys, x);
    await expectNoLeaks(async () => {
      for (const reduction of REDUCTIONS) {
        const ref = bruteKernel(j, j, reduction);
        const k = empiricalNtk(net, params, x, undefined, {
          outputReduction: reduction,
          batchSize: 3,
        });
        await expectClose(k, ref, kernelTol(ref));
        k.dispose();
      }
    });
    tf.dispose([x, ...Object.values(params)]);
  });
});
