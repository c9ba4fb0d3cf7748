import { expectDescentError } from '@descent/core/testing';
import { describe, expect, it } from 'vitest';
import { sinusoid } from './sinusoid';

// Pure JavaScript (no tensors): runs once, not per backend.
describe('sinusoid', () => {
  it('without noise, y = A·sin(x − φ) exactly (float32)', () => {
    const ds = sinusoid({ n: 500, amplitude: 2.5, phase: 0.7, seed: 1 });
    expect(ds.xShape).toEqual([1]);
    expect(ds.yShape).toEqual([1]);
    expect(ds.numClasses).toBeUndefined();
    expect(ds.y).toBeInstanceOf(Float32Array);
    for (let i = 0; i < ds.n; i++) {
      const x = ds.x[i] as number;
      expect(x).toBeGreaterThanOrEqual(-5);
      expect(x).toBeLessThan(5);
      expect(Math.abs((ds.y[i] as number) - 2.5 * Math.sin(x - 0.7))).toBeLessThan(3e-7);
    }
  });

  it('matches the generating process in distribution (n = 50 000)', () => {
    const [lo, hi] = [-1, 3];
    const sigma = 0.3;
    const ds = sinusoid({
      n: 50000,
      amplitude: 1.5,
      phase: -0.4,
      xRange: [lo, hi],
      noise: sigma,
      seed: 'stats',
    });
    let mean = 0;
    let m2 = 0;
    let r1 = 0;
    let r2 = 0;
    for (let i = 0; i < ds.n; i++) {
      const x = ds.x[i] as number;
      const r = (ds.y[i] as number) - 1.5 * Math.sin(x + 0.4);
      mean += x;
      m2 += x * x;
      r1 += r;
      r2 += r * r;
    }
    mean /= ds.n;
    const variance = m2 / ds.n - mean * mean;
    // E x = 1, Var x = 16/12 (std 1.155 → standard error of the mean 0.005); residual ~ N(0, σ²).
    expect(Math.abs(mean - 1)).toBeLessThan(0.025);
    expect(Math.abs(variance - 16 / 12)).toBeLessThan(0.03);
    expect(Math.abs(r1 / ds.n)).toBeLessThan(0.007);
    expect(Math.abs(Math.sqrt(r2 / ds.n) - sigma)).toBeLessThan(0.005);
  });

  it('is deterministic in the seed and rejects bad options', () => {
    expect(sinusoid({ n: 20, noise: 0.1, seed: 3 }).y).toEqual(
      sinusoid({ n: 20, noise: 0.1, seed: 3 }).y,
    );
    expect(sinusoid({ n: 20, seed: 3 }).x).not.toEqual(sinusoid({ n: 20, seed: 4 }).x);
    expectDescentError(
      () => sinusoid({ n: 5, xRange: [2, 1] }),
      'BAD_HYPERPARAM',
      'sinusoid.xRange[1]',
    );
    expectDescentError(
      () => sinusoid({ n: 5, xRange: [2] as never }),
      'BAD_ARGUMENT',
      'sinusoid.xRange',
    );
    expectDescentError(
      () => sinusoid({ n: 5, amplitude: Number.POSITIVE_INFINITY }),
      'NON_FINITE',
      'sinusoid.amplitude',
    );
    expectDescentError(() => sinusoid({ n: 5, noise: -0.1 }), 'BAD_HYPERPARAM', 'sinusoid.noise');
  });
});
