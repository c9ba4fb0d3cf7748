import { expectDescentError } from '@descent/core/testing';
import { describe, expect, it } from 'vitest';
import { twoSpirals } from './two-spirals';

// Pure JavaScript (no tensors): runs once, not per backend.
describe('twoSpirals', () => {
  it('without noise, every point lies on its spiral: x = ±t·(cos 2πTt, sin 2πTt), t = ‖x‖', () => {
    const turns = 2.25;
    const ds = twoSpirals({ n: 2001, noise: 0, turns, seed: 4 });
    expect(ds.n).toBe(2001);
    expect(ds.xShape).toEqual([2]);
    expect(ds.numClasses).toBe(2);
    let worst = 0;
    for (let i = 0; i < ds.n; i++) {
      expect(ds.y[i]).toBe(i % 2);
      const sign = i % 2 === 0 ? 1 : -1;
      const px = ds.x[2 * i] as number;
      const py = ds.x[2 * i + 1] as number;
      const t = Math.hypot(px, py);
      const theta = 2 * Math.PI * turns * t;
      worst = Math.max(
        worst,
        Math.abs(px - sign * t * Math.cos(theta)),
        Math.abs(py - sign * t * Math.sin(theta)),
      );
    }
    // float32 storage: |x| ≤ 1 has error ≤ 6e-8, and t recovered from it moves θ by ≤ 2πT·6e-8.
    expect(worst).toBeLessThan(2e-6);
  });

  it('matches the generating process in distribution (n = 40 000, σ = 0.2)', () => {
    const turns = 1.5;
    const sigma = 0.2;
    const ds = twoSpirals({ n: 40000, noise: sigma, turns, seed: 'stats' });
    // E[x | c = 0] = (∫₀¹ t cos(at) dt, ∫₀¹ t sin(at) dt), a = 2πT; class 1 is its negative.
    const a = 2 * Math.PI * turns;
    const mx = (Math.cos(a) + a * Math.sin(a) - 1) / (a * a);
    const my = (Math.sin(a) - a * Math.cos(a)) / (a * a);
    const sums = [0, 0, 0, 0];
    let sq = 0;
    for (let i = 0; i < ds.n; i++) {
      const c = ds.y[i] as number;
      const px = ds.x[2 * i] as number;
      const py = ds.x[2 * i + 1] as number;
      sums[2 * c] = (sums[2 * c] as number) + px;
      sums[2 * c + 1] = (sums[2 * c + 1] as number) + py;
      sq += px * px + py * py;
    }
    const half = ds.n / 2;
    // Coordinate std ≤ √(1/6 + σ²) ≈ 0.46, so the standard error of a class mean is ≈ 0.0046.
    const tol = 0.02;
    expect(Math.abs((sums[0] as number) / half - mx)).toBeLessThan(tol);
    expect(Math.abs((sums[1] as number) / half - my)).toBeLessThan(tol);
    expect(Math.abs((sums[2] as number) / half + mx)).toBeLessThan(tol);
    expect(Math.abs((sums[3] as number) / half + my)).toBeLessThan(tol);
    // E‖x‖² = E t² + 2σ² = 1/3 + 0.08 (std of ‖x‖² ≈ 0.33 → standard error ≈ 0.0017).
    expect(Math.abs(sq / ds.n - (1 / 3 + 2 * sigma * sigma))).toBeLessThan(0.01);
  });

  it('is deterministic in the seed', () => {
    const a = twoSpirals({ n: 100, noise: 0.1, seed: 9 });
    const b = twoSpirals({ n: 100, noise: 0.1, seed: 9 });
    const c = twoSpirals({ n: 100, noise: 0.1, seed: 10 });
    expect(a.x).toEqual(b.x);
    expect(a.y).toEqual(b.y);
    expect(a.x).not.toEqual(c.x);
    // Default turns 1.5 and seed 0.
    expect(twoSpirals({ n: 10 }).x).toEqual(twoSpirals({ n: 10, noise: 0, turns: 1.5, seed: 0 }).x);
  });

  it('rejects bad options', () => {
    expectDescentError(() => twoSpirals({ n: 0 }), 'BAD_HYPERPARAM', 'twoSpirals.n');
    expectDescentError(
      () => twoSpirals({ n: 10, noise: -1 }),
      'BAD_HYPERPARAM',
      'twoSpirals.noise',
    );
    expectDescentError(() => twoSpirals({ n: 10, turns: 0 }), 'BAD_HYPERPARAM', 'twoSpirals.turns');
    expectDescentError(
      () => twoSpirals({ n: 10, noise: Number.NaN }),
      'NON_FINITE',
      'twoSpirals.noise',
    );
    expectDescentError(() => twoSpirals({ n: 10, seed: 1.5 }), 'BAD_HYPERPARAM', 'twoSpirals.seed');
    expectDescentError(() => twoSpirals({ n: 10, nois: 1 } as never), 'UNKNOWN_PARAM', 'nois');
  });
});
