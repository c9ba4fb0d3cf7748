import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { type Model, type Params, Rng, disposeParams } from '@descent/core';
import {
  expectClose,
  expectDescentErrorAsync,
  expectNoLeaks,
  forEachBackend,
} from '@descent/core/testing';
import { heNormal } from './he';
import { lsuv } from './lsuv';
import { mlp, residualMlp, untappedModel } from './test-support/models';
import { moments, orthogonalityError } from './test-support/stats';

/** Float64 variance of every tapped layer's pre-activation, measured independently of lsuv. */
async function layerVariances(model: Model, params: Params, x: tf.Tensor): Promise<number[]> {
  const zs: tf.Tensor[] = [];
  tf.tidy(() => {
    model.apply(params, x, {
      tap: (_layer, z) => {
        zs.push(tf.keep(tf.clone(z)));
        return z;
      },
    });
  });
  const out: number[] = [];
  for (const z of zs) out.push((await moments(z)).variance);
  tf.dispose(zs);
  return out;
}

forEachBackend(
  'lsuv (Mishkin & Matas 2016)',
  () => {
    it('10-layer ReLU MLP (width 64, batch 128): every layer reaches |Var − 1| < tolVar', async () => {
      const model = mlp(Array(11).fill(64), 'relu', (_, s) => tf.zeros(s));
      const x = new Rng(1).normal([128, 64], 0, 3);
      for (const tolVar of [0.1, 0.01]) {
        const before = tf.memory().numTensors;
        const { params, report } = await lsuv(model, x, { tolVar, seed: 0 });
        expect(tf.memory().numTensors - before).toBe(Object.keys(model.params).length);
        expect(report.map((r) => r.layer)).toEqual(
          Array.from({ length: 10 }, (_, i) => `dense${i + 1}`),
        );
        const measured = await layerVariances(model, params, x);
        measured.forEach((v, i) => {
          expect(Math.abs(v - 1)).toBeLessThan(tolVar);
          expect(report[i]!.converged).toBe(true);
          expect(report[i]!.variance).toBeCloseTo(v, 4);
          expect(report[i]!.iterations).toBeGreaterThanOrEqual(1);
        });
        // Orthogonal start, then a scalar per layer: WᵀW = c·I.
        const w = params['dense5/kernel']!;
        const d = await w.data();
        const c = Array.from(d).reduce((s, v) => s + v * v, 0) / 64;
        expect(orthogonalityError(d, 64, 64, 'columns', c)).toBeLessThan(1e-5);
        disposeParams(params);
      }
      // The caller's parameters are untouched (still zeros, still alive).
      await expectClose(model.params['dense3/kernel']!, new Float32Array(64 * 64), { atol: 0 });
      tf.dispose([x, ...Object.values(model.params)]);
    });

    it('needs several rescalings with non-zero biases (residual net) and still converges', async () => {
      const { model } = residualMlp({ input: 16, width: 32, output: 8, blocks: 3, m: 2 }, (n, s) =>
        heNormal(s, { seed: n }),
      );
      const x = new Rng(4).normal([64, 16]);
      const { count, report } = await expectNoLeaks(async () => {
        const result = await lsuv(model, x, { seed: 9 });
        return { report: result.report, count: disposeAfter(result.params) };
      });
      expect(count).toBe(Object.keys(model.params).length);
      expect(report.every((r) => r.converged)).toBe(true);
      expect(Math.max(...report.map((r) => r.iterations))).toBeGreaterThan(1);
      expect(report.every((r) => Math.abs(r.variance - 1) < 0.1)).toBe(true);
      tf.dispose([x, ...Object.values(model.params)]);
    });

    it('orthogonalStart: false rescales the given weights (no generator needed)', async () => {
      const model = mlp([20, 30, 30, 5], 'tanh', (n, s) => heNormal(s, { seed: n }));
      const x = new Rng(5).normal([50, 20]);
      const { params, report } = await lsuv(model, x, { orthogonalStart: false, tolVar: 0.02 });
      expect(report.every((r) => r.converged)).toBe(true);
      // Each weight is a positive multiple of the original.
      const ratio = tf.tidy(() => tf.div(params['dense2/kernel']!, model.params['dense2/kernel']!));
      const r = await moments(ratio);
      expect(r.max - r.min).toBeLessThan(1e-5 * r.mean);
      expect(r.mean).toBeGreaterThan(0);
      tf.dispose([ratio, x, ...Object.values(model.params)]);
      disposeParams(params);
    });

    it('reports a layer that cannot be rescaled (zero output variance) as not converged', async () => {
      const model = mlp([4, 4, 4], 'relu', (_, s) => tf.zeros(s));
      const x = tf.zeros([8, 4]);
      const { params, report } = await lsuv(model, x, { seed: 1 });
      expect(report.map((r) => [r.iterations, r.variance, r.converged])).toEqual([
        [0, 0, false],
        [0, 0, false],
      ]);
      disposeParams(params);
      tf.dispose([x, ...Object.values(model.params)]);
    });

    it('rejects bad input before allocating anything', async () => {
      const model = mlp([4, 4, 4], 'relu', (_, s) => tf.ones(s));
      const x = tf.ones([2, 4]);
      const before = tf.memory().numTensors;
      await expectDescentErrorAsync(
        () => lsuv(model, x, { seed: 0, tolVar: 0 }),
        'BAD_HYPERPARAM',
        'tolVar',
      );
      await expectDescentErrorAsync(
        () => lsuv(model, x, { seed: 0, tolVar: 1 }),
        'BAD_HYPERPARAM',
        'tolVar',
      );
      await expectDescentErrorAsync(
        () => lsuv(model, x, { seed: 0, maxIters: 0 }),
        'BAD_HYPERPARAM',
        'maxIters',
      );
      await expectDescentErrorAsync(
        () => lsuv(model, x, { seed: 0, maxIters: 2.5 }),
        'BAD_HYPERPARAM',
        'maxIters',
      );
      await expectDescentErrorAsync(() => lsuv(model, x), 'BAD_ARGUMENT', 'lsuv.rng');
      await expectDescentErrorAsync(
        () => lsuv(model, x, { seed: 0, orthogonalStart: 1 as never }),
        'BAD_HYPERPARAM',
        'orthogonalStart',
      );
      await expectDescentErrorAsync(
        () => lsuv(model, 'x' as never, { seed: 0 }),
        'BAD_ARGUMENT',
        'batch',
      );
      await expectDescentErrorAsync(
        () => lsuv({ ...model, info: {} }, x, { seed: 0 }),
        'UNKNOWN_PARAM',
        'info',
      );
      const untapped = untappedModel();
      await expectDescentErrorAsync(
        () => lsuv(untapped, tf.ones([1, 2]), { seed: 0 }),
        'BAD_ARGUMENT',
        'tap',
      );
      const noWeights: Model = {
        ...model,
        info: { ...model.info, 'dense2/kernel': { ...model.info['dense2/kernel']!, role: 'stat' } },
      };
      await expectDescentErrorAsync(
        () => lsuv(noWeights, x, { seed: 0 }),
        'BAD_ARGUMENT',
        '"dense2"',
        "role 'weight'",
      );
      tf.dispose(Object.values(untapped.params));
      expect(tf.memory().numTensors).toBe(before + 1); // the tf.ones([1, 2]) above
      tf.dispose([x, ...Object.values(model.params)]);
    });
  },
  { backends: ['cpu'] },
);

function disposeAfter(params: Params): number {
  const n = Object.keys(params).length;
  disposeParams(params);
  return n;
}

forEachBackend('lsuv on every backend (small)', () => {
  it('3-layer ReLU MLP (width 16, batch 32): unit variance per layer, no leaks', async () => {
    const model = mlp([8, 16, 16, 4], 'relu', (_, s) => tf.zeros(s));
    const x = new Rng(3).normal([32, 8]);
    await expectNoLeaks(async () => {
      const { params, report } = await lsuv(model, x, { seed: 2, tolVar: 0.05 });
      const measured = await layerVariances(model, params, x);
      measured.forEach((v, i) => {
        expect(Math.abs(v - 1)).toBeLessThan(0.05);
        expect(report[i]!.variance).toBeCloseTo(v, 3);
      });
      disposeParams(params);
    });
    tf.dispose([x, ...Object.values(model.params)]);
  });
});
