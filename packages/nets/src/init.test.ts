import * as tf from '@tensorflow/tfjs-core';
import { type Params, Rng, disposeParams } from '@descent/core';
import { expectClose, forEachBackend } from '@descent/core/testing';
import { heNormal } from '@descent/init';
import { expect, it } from 'vitest';
import { lenet300100 } from './lenet300100';
import { lenet5 } from './lenet5';
import { mlp } from './mlp';
import type { Net } from './net';
import { resMlp } from './res-mlp';
import { wideMlp } from './wide-mlp';

/** Every builder with a seed, small enough for SwiftShader's WebGPU. */
const BUILDERS: Record<string, (seed: number | string) => Net> = {
  mlp: (seed) => mlp({ sizes: [6, 10, 10, 3], activation: 'tanh', norm: 'batch', seed }),
  lenet300100: (seed) => lenet300100({ seed }),
  lenet5: (seed) => lenet5({ seed }),
  resMlpFixup: (seed) => resMlp({ inputDim: 4, outputDim: 3, width: 8, depth: 3, seed }),
  resMlpHe: (seed) =>
    resMlp({ inputDim: 4, outputDim: 3, width: 8, depth: 2, init: 'he', norm: 'layer', seed }),
  wideNtk: (seed) => wideMlp({ inputDim: 3, width: 64, depth: 2, biasStd: 0.1, seed }),
  wideStandard: (seed) =>
    wideMlp({ inputDim: 3, width: 64, depth: 2, parameterization: 'standard', seed }),
};

async function values(params: Params): Promise<Record<string, Float32Array>> {
  const out: Record<string, Float32Array> = {};
  for (const [key, t] of Object.entries(params)) out[key] = (await t.data()) as Float32Array;
  return out;
}

async function buildOn(backend: string, name: string, seed: number | string) {
  const previous = tf.getBackend();
  await tf.setBackend(backend);
  const net = (BUILDERS[name] as (s: number | string) => Net)(seed);
  const v = await values(net.params);
  disposeParams(net.params);
  await tf.setBackend(previous);
  return v;
}

function std(a: ArrayLike<number>): number {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < a.length; i++) {
    s += a[i] as number;
    s2 += (a[i] as number) ** 2;
  }
  const m = s / a.length;
  return Math.sqrt(s2 / a.length - m * m);
}

forEachBackend('same seed → bit-identical parameters', (backend) => {
  for (const name of Object.keys(BUILDERS)) {
    it(`${name} on ${backend} equals cpu bit for bit`, async () => {
      const here = await buildOn(backend, name, 7);
      const cpu = await buildOn('cpu', name, 7);
      expect(Object.keys(here)).toEqual(Object.keys(cpu));
      for (const key of Object.keys(cpu)) {
        const a = new Uint32Array((here[key] as Float32Array).buffer.slice(0));
        const b = new Uint32Array((cpu[key] as Float32Array).buffer.slice(0));
        expect(a.length, key).toBe(b.length);
        let differing = 0;
        for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differing++;
        expect(differing, `${key}: elements whose bits differ`).toBe(0);
      }
    });
  }
});

forEachBackend(
  'initial values',
  () => {
    it('different seeds differ; a parameter depends only on the seed and its name', async () => {
      const made: Net[] = [];
      const build = async (sizes: number[], seed: number | string) => {
        const net = mlp({ sizes, seed });
        made.push(net);
        return values(net.params);
      };
      const a = await build([6, 10, 3], 1);
      const b = await build([6, 10, 3], 2);
      const c = await build([6, 10, 4], 1); // another last layer
      expect(a['dense1/kernel']).not.toEqual(b['dense1/kernel']);
      expect(c['dense1/kernel']).toEqual(a['dense1/kernel']);
      expect(await build([6, 10, 3], 'run-1')).toEqual(await build([6, 10, 3], 'run-1'));
      for (const net of made) disposeParams(net.params);
    });

    it('defaults: He normal for ReLU (equal to @descent/init’s heNormal from rng.child(key)), zero biases', async () => {
      const net = mlp({ sizes: [200, 300, 10], seed: 3 });
      const expected = heNormal([200, 300], { rng: new Rng(3).child('dense1/kernel') });
      await expectClose(net.params['dense1/kernel'] as tf.Tensor, expected, { rtol: 0, atol: 0 });
      const w = (await values(net.params))['dense1/kernel'] as Float32Array;
      expect(std(w)).toBeCloseTo(Math.sqrt(2 / 200), 3);
      expect(
        Array.from((await values(net.params))['dense1/bias'] as Float32Array).every((v) => v === 0),
      ).toBe(true);
      tf.dispose(expected);
      disposeParams(net.params);
    });

    it('lenet300100: Gaussian Glorot, std √(2/(fanIn + fanOut)) within 1 %', async () => {
      const net = lenet300100({ seed: 0 });
      const v = await values(net.params);
      expect(std(v['dense1/kernel'] as Float32Array) / Math.sqrt(2 / 1084)).toBeCloseTo(1, 1.7);
      expect(std(v['dense2/kernel'] as Float32Array) / Math.sqrt(2 / 400)).toBeCloseTo(1, 1.7);
      // Untruncated: some draws lie beyond 2σ (a truncated normal has none).
      const s = Math.sqrt(2 / 1084);
      expect(
        Array.from(v['dense1/kernel'] as Float32Array).some((x) => Math.abs(x) > 2.5 * s),
      ).toBe(true);
      disposeParams(net.params);
    });

    it('resMlp Fixup: zero last branch layers and head, He·L^(−1/2) first branch layers, multipliers 1', async () => {
      const depth = 4;
      const width = 400;
      const net = resMlp({ inputDim: 50, outputDim: 3, width, depth, seed: 1 });
      const v = await values(net.params);
      for (let b = 1; b <= depth; b++) {
        expect(Array.from(v[`block${b}/dense2/kernel`] as Float32Array).every((x) => x === 0)).toBe(
          true,
        );
        expect(
          std(v[`block${b}/dense1/kernel`] as Float32Array) /
            (Math.sqrt(2 / width) / Math.sqrt(depth)),
        ).toBeCloseTo(1, 1.7);
        expect(Array.from(v[`block${b}/multiplier`] as Float32Array)).toEqual([1]);
      }
      expect(Array.from(v['head/kernel'] as Float32Array).every((x) => x === 0)).toBe(true);
      expect(std(v['stem/kernel'] as Float32Array) / Math.sqrt(2 / 50)).toBeCloseTo(1, 1.3);
      disposeParams(net.params);
    });

    it('wideMlp: N(0, 1) weights under NTK, N(0, σ²/n) under standard, same function at init', async () => {
      const opts = { inputDim: 20, width: 500, depth: 1, weightStd: 1.5, biasStd: 0.2, seed: 4 };
      const ntk = wideMlp(opts);
      const standard = wideMlp({ ...opts, parameterization: 'standard' });
      const vn = await values(ntk.params);
      const vs = await values(standard.params);
      expect(std(vn['dense1/kernel'] as Float32Array)).toBeCloseTo(1, 1.5);
      expect(std(vs['dense1/kernel'] as Float32Array) / (1.5 / Math.sqrt(20))).toBeCloseTo(1, 1.5);
      const x = tf.tensor2d(
        Array.from({ length: 5 * 20 }, (_, i) => Math.sin(i)),
        [5, 20],
      );
      const yn = ntk.apply(ntk.params, x);
      const ys = standard.apply(standard.params, x);
      await expectClose(yn, ys, { rtol: 1e-5, atol: 1e-5 });
      tf.dispose([x, yn, ys]);
      disposeParams(ntk.params);
      disposeParams(standard.params);
    });
  },
  { backends: ['cpu'] },
);
