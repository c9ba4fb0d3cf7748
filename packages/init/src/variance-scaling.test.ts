import type * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { Rng } from '@descent/core';
import { expectDescentError, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { gain } from './gain';
import { geometricMean } from './geometric-mean';
import { glorotNormal, glorotUniform } from './glorot';
import { heNormal, heUniform } from './he';
import { lecunNormal, lecunUniform } from './lecun';
import { moments } from './test-support/stats';
import { TRUNCATED_NORMAL_STD } from './truncated-normal';
import { varianceScaling } from './variance-scaling';

type Scheme = (shape: readonly number[], o: { seed: number }) => tf.Tensor;

/**
 * Each scheme with the variance its paper prescribes, written out from the fans of the tfjs
 * layouts (dense [in, out]; conv [kh, kw, in, out] → fanIn = kh·kw·in, fanOut = kh·kw·out) and
 * whether its values are bounded (uniform: |w| ≤ √(3v); truncated: |w| ≤ 2σ = 2√v / 0.8796).
 */
const CASES: { name: string; make: Scheme; shape: number[]; variance: number; bound: number }[] = [
  // dense [400, 500]: fanIn 400, fanOut 500
  {
    name: 'lecunNormal',
    make: lecunNormal,
    shape: [400, 500],
    variance: 1 / 400,
    bound: (2 * Math.sqrt(1 / 400)) / TRUNCATED_NORMAL_STD,
  },
  {
    name: 'lecunNormal (normal)',
    make: (s, o) => lecunNormal(s, { ...o, distribution: 'normal' }),
    shape: [400, 500],
    variance: 1 / 400,
    bound: Number.POSITIVE_INFINITY,
  },
  {
    name: 'lecunUniform',
    make: lecunUniform,
    shape: [400, 500],
    variance: 1 / 400,
    bound: Math.sqrt(3 / 400),
  },
  {
    name: 'glorotNormal',
    make: glorotNormal,
    shape: [400, 500],
    variance: 2 / 900,
    bound: (2 * Math.sqrt(2 / 900)) / TRUNCATED_NORMAL_STD,
  },
  {
    name: 'glorotNormal (gain 2, normal)',
    make: (s, o) => glorotNormal(s, { ...o, gain: 2, distribution: 'normal' }),
    shape: [400, 500],
    variance: 8 / 900,
    bound: Number.POSITIVE_INFINITY,
  },
  {
    name: 'glorotUniform',
    make: glorotUniform,
    shape: [400, 500],
    variance: 2 / 900,
    bound: Math.sqrt(6 / 900),
  },
  {
    name: 'heNormal',
    make: heNormal,
    shape: [400, 500],
    variance: 2 / 400,
    bound: (2 * Math.sqrt(2 / 400)) / TRUNCATED_NORMAL_STD,
  },
  {
    name: 'heNormal (fanOut, normal)',
    make: (s, o) => heNormal(s, { ...o, fanMode: 'fanOut', distribution: 'normal' }),
    shape: [400, 500],
    variance: 2 / 500,
    bound: Number.POSITIVE_INFINITY,
  },
  {
    name: 'heNormal (tanh)',
    make: (s, o) => heNormal(s, { ...o, nonlinearity: 'tanh' }),
    shape: [400, 500],
    variance: 25 / 9 / 400,
    bound: (2 * (5 / 3) * Math.sqrt(1 / 400)) / TRUNCATED_NORMAL_STD,
  },
  {
    name: 'heUniform',
    make: heUniform,
    shape: [400, 500],
    variance: 2 / 400,
    bound: Math.sqrt(6 / 400),
  },
  {
    name: 'heUniform (leakyRelu 0.2)',
    make: (s, o) => heUniform(s, { ...o, nonlinearity: 'leakyRelu', a: 0.2 }),
    shape: [400, 500],
    variance: 2 / 1.04 / 400,
    bound: Math.sqrt((3 * 2) / 1.04 / 400),
  },
  {
    name: 'geometricMean',
    make: geometricMean,
    shape: [400, 500],
    variance: 1 / Math.sqrt(400 * 500),
    bound: (2 * Math.sqrt(1 / Math.sqrt(200000))) / TRUNCATED_NORMAL_STD,
  },
  {
    name: 'geometricMean (c 2, uniform)',
    make: (s, o) => geometricMean(s, { ...o, c: 2, distribution: 'uniform' }),
    shape: [400, 500],
    variance: 2 / Math.sqrt(200000),
    bound: Math.sqrt(6 / Math.sqrt(200000)),
  },
  // conv [5, 5, 16, 400]: fanIn 400, fanOut 10000
  {
    name: 'heNormal conv',
    make: heNormal,
    shape: [5, 5, 16, 400],
    variance: 2 / 400,
    bound: (2 * Math.sqrt(2 / 400)) / TRUNCATED_NORMAL_STD,
  },
  {
    name: 'glorotUniform conv',
    make: glorotUniform,
    shape: [5, 5, 16, 400],
    variance: 2 / 10400,
    bound: Math.sqrt(6 / 10400),
  },
  {
    name: 'heUniform conv (fanOut)',
    make: (s, o) => heUniform(s, { ...o, fanMode: 'fanOut' }),
    shape: [5, 5, 16, 400],
    variance: 2 / 10000,
    bound: Math.sqrt(6 / 10000),
  },
  {
    name: 'varianceScaling fanAvg uniform',
    make: (s, o) => varianceScaling(s, { ...o, scale: 3, mode: 'fanAvg', distribution: 'uniform' }),
    shape: [5, 5, 16, 400],
    variance: 3 / 5200,
    bound: Math.sqrt(9 / 5200),
  },
];

// 200 000 draws: the sample variance has a relative standard error of at most √(2/n) ≈ 0.32 %,
// so a 3 % tolerance is more than 9 standard errors.
forEachBackend(
  'variance-scaling schemes: sample variance within 3 % (200 000 draws)',
  () => {
    for (const c of CASES) {
      it(`${c.name} ${JSON.stringify(c.shape)}: variance ${c.variance.toExponential(3)}`, async () => {
        await expectNoLeaks(async () => {
          const w = c.make(c.shape, { seed: 11 });
          expect(w.shape).toEqual(c.shape);
          expect(w.dtype).toBe('float32');
          const m = await moments(w);
          w.dispose();
          expect(Math.abs(m.variance / c.variance - 1)).toBeLessThan(0.03);
          expect(Math.abs(m.mean)).toBeLessThan(5 * Math.sqrt(c.variance / m.n));
          expect(Math.max(-m.min, m.max)).toBeLessThanOrEqual(c.bound * (1 + 1e-6));
        });
      });
    }
  },
  { backends: ['cpu'] },
);

forEachBackend('variance-scaling schemes on every backend (small tensors)', () => {
  it('heNormal [64, 32] and glorotUniform [3, 3, 4, 8]: variance within 20 % on 2 048 / 288 draws', async () => {
    await expectNoLeaks(async () => {
      const a = heNormal([64, 32], { seed: 1 });
      const b = glorotUniform([3, 3, 4, 8], { seed: 2 });
      const ma = await moments(a);
      const mb = await moments(b);
      tf_dispose(a, b);
      // 2 048 draws: standard error 3 %; 288 draws: uniform var has standard error ≈ 5 %.
      expect(Math.abs(ma.variance / (2 / 64) - 1)).toBeLessThan(0.2);
      expect(Math.abs(mb.variance / (2 / (36 + 72)) - 1)).toBeLessThan(0.2);
    });
  });
});

function tf_dispose(...ts: tf.Tensor[]): void {
  for (const t of ts) t.dispose();
}

forEachBackend(
  'variance-scaling schemes: fans and options',
  () => {
    it('a vector shape uses fanIn = fanOut = n; a scalar n = 1', async () => {
      const v = heUniform([10000], { seed: 3 });
      const m = await moments(v);
      v.dispose();
      expect(Math.max(-m.min, m.max)).toBeLessThanOrEqual(Math.sqrt(6 / 10000) + 1e-9);
      expect(Math.abs(m.variance / (2 / 10000) - 1)).toBeLessThan(0.05);
      const s = lecunUniform([], { seed: 3 });
      expect(Math.abs((await s.data())[0]!)).toBeLessThanOrEqual(Math.sqrt(3));
      s.dispose();
    });

    it('rng draws advance the generator; seed repeats', async () => {
      const rng = new Rng(5);
      const a = heNormal([4, 4], { rng });
      const b = heNormal([4, 4], { rng });
      const c = heNormal([4, 4], { seed: 5 });
      const d = heNormal([4, 4], { seed: 5 });
      const [da, db, dc, dd] = await Promise.all([a.data(), b.data(), c.data(), d.data()]);
      expect(Array.from(da)).not.toEqual(Array.from(db));
      expect(Array.from(dc)).toEqual(Array.from(dd));
      expect(Array.from(da)).toEqual(Array.from(dc)); // new Rng(5) is what seed 5 means
      for (const t of [a, b, c, d]) t.dispose();
    });

    it('gain() is what He uses: heNormal(nonlinearity) std = gain/√fanIn', () => {
      expect(gain('tanh') ** 2 / 400).toBeCloseTo(25 / 9 / 400, 15);
    });

    it('rejects bad shapes and options with DescentErrors before drawing', () => {
      expectDescentError(
        () => heNormal([2, 3, 4], { seed: 0 }),
        'SHAPE_MISMATCH',
        'heNormal',
        '[2, 3, 4]',
      );
      expectDescentError(
        () => glorotUniform([2, 3, 4, 5, 6], { seed: 0 }),
        'SHAPE_MISMATCH',
        '[2, 3, 4, 5, 6]',
      );
      expectDescentError(
        () => lecunNormal([3, 3], { seed: 0, layout: 'conv2d' }),
        'SHAPE_MISMATCH',
        "'conv2d'",
      );
      expectDescentError(() => lecunNormal([3, -1], { seed: 0 }), 'BAD_ARGUMENT', 'shape');
      expectDescentError(() => lecunNormal([3, 1.5], { seed: 0 }), 'BAD_ARGUMENT', 'shape');
      expectDescentError(() => heNormal([3, 3]), 'BAD_ARGUMENT', 'heNormal.rng', 'heNormal.seed');
      expectDescentError(
        () => heNormal([3, 3], { seed: 1, rng: new Rng(1) }),
        'BAD_ARGUMENT',
        'not both',
      );
      expectDescentError(() => heNormal([3, 3], { seed: -1 }), 'BAD_HYPERPARAM', 'seed');
      expectDescentError(
        () => heNormal([3, 3], { rng: {} as Rng }),
        'BAD_ARGUMENT',
        'heNormal.rng',
      );
      expectDescentError(
        () => heNormal([3, 3], { seed: 0, fanMode: 'fanAvg' as 'fanIn' }),
        'BAD_ARGUMENT',
        'fanAvg',
      );
      expectDescentError(() => heNormal([3, 3], { seed: 0, a: 0.1 }), 'BAD_ARGUMENT', 'leakyRelu');
      expectDescentError(
        () => heNormal([3, 3], { seed: 0, nonlinearity: 'gelu' as 'relu' }),
        'BAD_ARGUMENT',
        'gelu',
      );
      expectDescentError(
        () => heNormal([3, 3], { seed: 0, distribution: 'uniform' as 'normal' }),
        'BAD_ARGUMENT',
        'distribution',
      );
      expectDescentError(
        () => heNormal([3, 3], { seed: 0, stddev: 1 } as never),
        'UNKNOWN_PARAM',
        'stddev',
      );
      expectDescentError(
        () => glorotUniform([3, 3], { seed: 0, gain: 0 }),
        'BAD_HYPERPARAM',
        'gain',
      );
      expectDescentError(
        () => geometricMean([3, 3], { seed: 0, c: Number.NaN }),
        'NON_FINITE',
        'c',
      );
      expectDescentError(
        () => varianceScaling([3, 3], { seed: 0, scale: -1 }),
        'BAD_HYPERPARAM',
        'scale',
      );
      expectDescentError(
        () => varianceScaling([3, 3], { seed: 0, mode: 'avg' as 'fanIn' }),
        'BAD_ARGUMENT',
        'avg',
      );
      expectDescentError(() => varianceScaling([3, 3], null as never), 'BAD_ARGUMENT', 'options');
    });
  },
  { backends: ['cpu'] },
);
