import * as tf from '@tensorflow/tfjs-core';
import { Rng, disposeParams, withSecondOrder } from '@descent/core';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { expect, it } from 'vitest';
import { ACTIVATIONS } from './activation';
import { lenet300100 } from './lenet300100';
import { lenet5 } from './lenet5';
import { mlp } from './mlp';
import type { Net, NetApplyOptions } from './net';
import { resMlp } from './res-mlp';
import { wideMlp } from './wide-mlp';

const TOL = { rtol: 1e-5, atol: 1e-6 };

interface Case {
  name: string;
  net: () => Net;
  input: number[];
  options?: () => NetApplyOptions;
}

const CASES: Case[] = [
  ...ACTIVATIONS.map((activation) => ({
    name: `mlp [5, 6, 4, 3] with ${activation}`,
    net: () => mlp({ sizes: [5, 6, 4, 3], activation, seed: 1 }),
    input: [3, 5],
  })),
  {
    name: 'mlp with residual blocks and dropout (training)',
    net: () => mlp({ sizes: [4, 4, 4, 2], residual: true, dropout: 0.25, seed: 2 }),
    input: [3, 4],
    options: () => ({ training: true, rng: new Rng(9) }),
  },
  {
    name: 'mlp with layer norm',
    net: () => mlp({ sizes: [4, 5, 2], norm: 'layer', activation: 'elu', seed: 3 }),
    input: [3, 4],
  },
  {
    name: 'mlp with a tap on the pre-activations',
    net: () => mlp({ sizes: [4, 5, 2], activation: 'sigmoid', seed: 4 }),
    input: [3, 4],
    options: () => ({ tap: (_layer, z) => tf.mul(z, 1.5) }),
  },
  { name: 'lenet300100', net: () => lenet300100({ seed: 5 }), input: [2, 784] },
  { name: 'lenet5', net: () => lenet5({ seed: 6 }), input: [1, 784] },
  {
    name: 'resMlp (Fixup)',
    net: () => resMlp({ inputDim: 4, outputDim: 3, width: 5, depth: 2, seed: 7 }),
    input: [3, 4],
  },
  {
    name: 'resMlp with layer norm',
    net: () => resMlp({ inputDim: 4, outputDim: 3, width: 5, depth: 1, norm: 'layer', seed: 8 }),
    input: [3, 4],
  },
  {
    name: 'wideMlp, standard parameterization',
    net: () =>
      wideMlp({ inputDim: 4, width: 6, depth: 2, parameterization: 'standard', biasStd: 0.1 }),
    input: [3, 4],
  },
  {
    name: 'wideMlp, NTK parameterization',
    net: () => wideMlp({ inputDim: 4, width: 6, depth: 2, activation: 'erf' }),
    input: [3, 4],
  },
];

/** Outputs without a tape, and the gradient of `Σ r·output` in every parameter, read back. */
async function outputsAndGradients(net: Net, x: tf.Tensor, r: tf.Tensor, c: Case) {
  const keys = Object.keys(net.params);
  const apply = (ws: tf.Tensor[]) =>
    net.apply(Object.fromEntries(keys.map((k, i) => [k, ws[i] as tf.Tensor])), x, c.options?.());
  const ws = keys.map((k) => net.params[k] as tf.Tensor);
  const y = apply(ws);
  const grads = tf.grads((...w: tf.Tensor[]) => tf.sum(tf.mul(apply(w), r)))(ws);
  const out = { y: await y.data(), grads: await Promise.all(grads.map((g) => g.data())) };
  tf.dispose([y, ...grads]);
  return out;
}

forEachBackend('dense layers: fused inference path vs composable path', () => {
  for (const c of CASES) {
    it(`${c.name}: outputs and gradients agree (rtol 1e-5)`, async () => {
      const net = c.net();
      const rng = new Rng(11);
      const x = rng.normal(c.input);
      const y = net.apply(net.params, x, c.options?.());
      const r = rng.normal(y.shape);
      y.dispose();
      const fused = await expectNoLeaks(() => outputsAndGradients(net, x, r, c));
      const composable = await expectNoLeaks(() =>
        withSecondOrder(() => outputsAndGradients(net, x, r, c)),
      );
      await expectClose(fused.y, composable.y, TOL);
      for (let i = 0; i < fused.grads.length; i++) {
        await expectClose(fused.grads[i] as Float32Array, composable.grads[i] as Float32Array, TOL);
      }
      tf.dispose([x, r]);
      disposeParams(net.params);
    });
  }

  it('lenet300100 runs fused kernels without a tape, and none under a tape or inside withSecondOrder', async () => {
    const net = lenet300100({ seed: 0 });
    const x = new Rng(1).normal([2, 784]);
    const kernelsOf = async (run: () => tf.Tensor) => {
      const info = await tf.profile(() => {
        const y = run();
        return y;
      });
      tf.dispose(info.result as tf.Tensor);
      return info.kernelNames;
    };
    const step = () =>
      tf.tidy(() => {
        const [g] = tf.grads((w: tf.Tensor) =>
          tf.sum(net.apply({ ...net.params, 'dense1/kernel': w }, x)),
        )([net.params['dense1/kernel'] as tf.Tensor]);
        return g as tf.Tensor;
      });
    const forward = () => net.apply(net.params, x);
    expect(await kernelsOf(forward)).toContain('_FusedMatMul');
    expect(await kernelsOf(forward)).not.toContain('Relu');
    expect(await kernelsOf(step)).not.toContain('_FusedMatMul');
    expect(await withSecondOrder(() => kernelsOf(forward))).not.toContain('_FusedMatMul');
    x.dispose();
    disposeParams(net.params);
  });
});
