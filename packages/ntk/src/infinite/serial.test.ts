import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { describe, expect, it } from 'vitest';
import { abRelu } from './ab-relu';
import { dense } from './dense';
import { erf } from './erf';
import { relu } from './relu';
import { FLOAT64_MAX_PAIRS, serial } from './serial';

const X = [
  [1, 0],
  [0.6, 0.8],
  [-0.5, 0.5],
];
/** The public vectors: one ReLU hidden layer, ntk parameterization, σ_w = 1, σ_b = 0. */
const NTK = [0.5, 0.275112, -0.022711, 0.275112, 0.5, 0.082963, -0.022711, 0.082963, 0.25];
const NNGP = [0.25, 0.169387, 0.008539, 0.169387, 0.25, 0.069333, 0.008539, 0.069333, 0.125];
const oneHidden = () => serial(dense(), relu(), dense());

function points(rows: number, dim: number, seed: number): number[][] {
  let s = seed;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648) * 4 - 2;
  };
  return Array.from({ length: rows }, () => Array.from({ length: dim }, next));
}

function deepNet(
  kind: 'relu' | 'erf' | 'abRelu',
  depth: number,
  parameterization: 'ntk' | 'standard',
) {
  const layers = [];
  for (let l = 0; l < depth; l++) {
    layers.push(dense({ weightStd: 1.3, biasStd: 0.2, parameterization, width: 64 }));
    layers.push(kind === 'relu' ? relu() : kind === 'erf' ? erf() : abRelu(-0.3, 1.1));
  }
  layers.push(dense({ weightStd: 0.9, biasStd: 0.1, parameterization }));
  return serial(...layers);
}

describe('serial kernelFn in float64', () => {
  it('reproduces the public one-hidden-layer ReLU vectors to 1e-6', async () => {
    await expectNoLeaks(async () => {
      const { nngp, ntk } = oneHidden().kernelFn(X, undefined, { precision: 'float64' });
      expect(nngp.dtype).toBe('float32');
      expect(ntk.shape).toEqual([3, 3]);
      await expectClose(nngp, NNGP, { rtol: 0, atol: 1e-6 });
      await expectClose(ntk, NTK, { rtol: 0, atol: 1e-6 });
      tf.dispose([nngp, ntk]);
    });
  });

  it('is the float64 path by default for small inputs (agrees with the float32 path)', async () => {
    const x = points(5, 3, 7);
    const net = deepNet('relu', 5, 'ntk');
    const auto = net.kernelFn(x);
    const f64 = net.kernelFn(x, null, { precision: 'float64' });
    expect(Array.from(await auto.ntk.data())).toEqual(Array.from(await f64.ntk.data()));
    expect(FLOAT64_MAX_PAIRS).toBe(65_536);
    tf.dispose([auto.nngp, auto.ntk, f64.nngp, f64.ntk]);
  });

  it('gives the cross kernel as the block of the joint kernel, and x2 = x1 as the symmetric one', async () => {
    const x1 = points(3, 4, 1);
    const x2 = points(2, 4, 2);
    const net = deepNet('erf', 3, 'ntk');
    const joint = net.kernelFn([...x1, ...x2]);
    const cross = net.kernelFn(x1, x2);
    const block = (t: tf.Tensor) => tf.slice(t, [0, 3], [3, 2]);
    for (const key of ['nngp', 'ntk'] as const) {
      const b = block(joint[key]);
      expect(cross[key].shape).toEqual([3, 2]);
      await expectClose(cross[key], b, { rtol: 1e-6, atol: 1e-7 });
      b.dispose();
    }
    const self = net.kernelFn(x1, x1);
    const sym = net.kernelFn(x1);
    await expectClose(self.ntk, sym.ntk, { rtol: 1e-6, atol: 1e-7 });
    tf.dispose([
      joint.nngp,
      joint.ntk,
      cross.nngp,
      cross.ntk,
      self.nngp,
      self.ntk,
      sym.nngp,
      sym.ntk,
    ]);
  });

  it('applies the standard parameterization: Θ = n·q + 1 + σ_w²·Σ̇·Θ̃', async () => {
    const net = serial(
      dense({ parameterization: 'standard', width: 10 }),
      relu(),
      dense({ parameterization: 'standard' }),
    );
    const { nngp, ntk } = net.kernelFn(X.slice(0, 2));
    // Θ₁ = x·x′ + 1 (fan-in d = 2, q = x·x′/2); the readout has fan-in 10.
    const dot01 = (Math.PI - Math.acos(0.6)) / (2 * Math.PI);
    const expected = [10 * 0.25 + 1 + 0.5 * 2, 10 * 0.169387 + 1 + dot01 * 1.6];
    const k = await ntk.data();
    await expectClose([k[0] as number, k[1] as number], expected, { rtol: 0, atol: 1e-5 });
    await expectClose(nngp, [0.25, 0.169387, 0.169387, 0.25], { rtol: 0, atol: 1e-6 });
    tf.dispose([nngp, ntk]);
  });

  it('handles a zero input without bias (0/0 cosine) as a zero kernel row', async () => {
    const { nngp, ntk } = oneHidden().kernelFn([
      [0, 0],
      [1, 0],
    ]);
    await expectClose(nngp, [0, 0, 0, 0.25], { rtol: 0, atol: 1e-7 });
    await expectClose(ntk, [0, 0, 0, 0.5], { rtol: 0, atol: 1e-7 });
    tf.dispose([nngp, ntk]);
  });
});

forEachBackend('serial kernelFn in float32', (backend) => {
  it('reproduces the public vectors to 1e-5 with tfjs ops', async () => {
    const x = tf.tensor2d(X);
    await expectNoLeaks(async () => {
      const { nngp, ntk } = oneHidden().kernelFn(x, undefined, { precision: 'float32' });
      expect(nngp.dtype).toBe('float32');
      expect(ntk.shape).toEqual([3, 3]);
      await expectClose(nngp, NNGP, { rtol: 0, atol: 1e-5 });
      await expectClose(ntk, NTK, { rtol: 0, atol: 1e-5 });
      tf.dispose([nngp, ntk]);
    });
    x.dispose();
  });

  it('chooses float64 for tensors only where they can be read synchronously', async () => {
    const values = points(5, 3, 5);
    const x = tf.tensor2d(values);
    const net = deepNet('erf', 3, 'ntk');
    const auto = net.kernelFn(x);
    const chosen = net.kernelFn(x, null, {
      precision: backend === 'webgpu' ? 'float32' : 'float64',
    });
    // webgpu cannot read x synchronously: the float64 result comes from the same values as arrays.
    const other =
      backend === 'webgpu'
        ? net.kernelFn(values, null, { precision: 'float64' })
        : net.kernelFn(x, null, { precision: 'float32' });
    const autoValues = Array.from(await auto.ntk.data());
    expect(autoValues).toEqual(Array.from(await chosen.ntk.data()));
    expect(autoValues).not.toEqual(Array.from(await other.ntk.data()));
    tf.dispose([x, auto.nngp, auto.ntk, chosen.nngp, chosen.ntk, other.nngp, other.ntk]);
  });

  it('matches the float64 path at depth 4 for every nonlinearity and parameterization', async () => {
    // WebGPU's acos and sqrt (SwiftShader's approximations) are a few ulps off.
    const tol = { rtol: backend === 'webgpu' ? 1e-4 : 2e-5, atol: 1e-6 };
    const x = points(4, 3, 11);
    const x2 = points(3, 3, 12);
    for (const kind of ['relu', 'erf', 'abRelu'] as const) {
      for (const parameterization of ['ntk', 'standard'] as const) {
        const net = deepNet(kind, 4, parameterization);
        for (const second of [undefined, x2]) {
          const f64 = net.kernelFn(x, second, { precision: 'float64' });
          const f32 = net.kernelFn(tf.tensor2d(x), second && tf.tensor2d(second), {
            precision: 'float32',
          });
          await expectClose(f32.nngp, f64.nngp, tol);
          await expectClose(f32.ntk, f64.ntk, tol);
          tf.dispose([f64.nngp, f64.ntk, f32.nngp, f32.ntk]);
        }
      }
    }
  });

  it('returns an exactly symmetric kernel in float32', async () => {
    const x = tf.tensor2d(points(6, 5, 3));
    const { nngp, ntk } = deepNet('relu', 3, 'ntk').kernelFn(x, undefined, {
      precision: 'float32',
    });
    for (const k of [nngp, ntk]) {
      const t = tf.transpose(k);
      expect(Array.from(await k.data())).toEqual(Array.from(await t.data()));
      t.dispose();
    }
    tf.dispose([x, nngp, ntk]);
  });
});
