import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@descent/core';
import { describe, expect, it } from 'vitest';
import { expectDescentErrorAsync, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { largestSingularValue, spectralNormValue } from './spectral-norm-value';

forEachBackend('spectralNormValue', () => {
  it('[[3, 0], [4, 5]] → 3√5 = 6.708204 (exact and power iteration)', async () => {
    const w = tf.tensor2d([
      [3, 0],
      [4, 5],
    ]);
    await expectNoLeaks(async () => {
      const exact = await spectralNormValue(w);
      expect(exact).toBeCloseTo(6.708204, 6);
      expect(Math.abs(exact - 3 * Math.sqrt(5))).toBeLessThan(1e-12);
      const power = await spectralNormValue(w, { method: 'power' });
      expect(Math.abs(power - 3 * Math.sqrt(5))).toBeLessThan(1e-9);
    });
    w.dispose();
  });

  it('conv kernels are read as [kh·kw·in, out]; vectors as columns', async () => {
    // A [1, 1, 2, 2] kernel is the 2×2 matrix itself.
    const k = tf.tensor4d([3, 0, 4, 5], [1, 1, 2, 2]);
    expect(await spectralNormValue(k)).toBeCloseTo(3 * Math.sqrt(5), 10);
    const v = tf.tensor1d([3, 4]);
    expect(await spectralNormValue(v)).toBeCloseTo(5, 10);
    tf.dispose([k, v]);
  });
});

describe('largestSingularValue (float64)', () => {
  it('matches known spectra: diagonal, rank one, orthogonal scaling', () => {
    // diag(1, 7, 2) padded to 4×3.
    const d = [1, 0, 0, 0, 7, 0, 0, 0, 2, 0, 0, 0];
    expect(largestSingularValue(d, 4, 3, 'exact', 1000, 1e-12)).toBeCloseTo(7, 12);
    expect(largestSingularValue(d, 4, 3, 'power', 1000, 1e-14)).toBeCloseTo(7, 10);
    // a bᵀ with ‖a‖ = 5, ‖b‖ = 13: σ = 65.
    const a = [3, 4];
    const b = [5, 12];
    const ab = a.flatMap((ai) => b.map((bj) => ai * bj));
    expect(largestSingularValue(ab, 2, 2, 'exact', 1000, 1e-12)).toBeCloseTo(65, 10);
    // 2·(rotation by 0.3): every singular value is 2.
    const r = [Math.cos(0.3), -Math.sin(0.3), Math.sin(0.3), Math.cos(0.3)].map((e) => 2 * e);
    expect(largestSingularValue(r, 2, 2, 'exact', 1000, 1e-12)).toBeCloseTo(2, 12);
  });

  it('exact (Jacobi) and power iteration agree on random wide and tall matrices', () => {
    const rng = new Rng(17);
    for (const [rows, cols] of [
      [30, 7],
      [7, 30],
      [40, 40],
    ] as const) {
      const m = rng.normalArray(rows * cols);
      const exact = largestSingularValue(m, rows, cols, 'exact', 1, 0);
      const power = largestSingularValue(m, rows, cols, 'power', 100000, 1e-15);
      expect(Math.abs(exact - power) / exact).toBeLessThan(1e-9);
      // σ_max ≥ the largest column norm and ≤ the Frobenius norm.
      let frob = 0;
      let maxCol = 0;
      for (let c = 0; c < cols; c++) {
        let s = 0;
        for (let r = 0; r < rows; r++) s += (m[r * cols + c] as number) ** 2;
        frob += s;
        maxCol = Math.max(maxCol, Math.sqrt(s));
      }
      expect(exact).toBeGreaterThanOrEqual(maxCol);
      expect(exact).toBeLessThanOrEqual(Math.sqrt(frob));
    }
  });
});

it('spectralNormValue rejects scalars, NaN and bad options', async () => {
  const s = tf.scalar(2);
  const nan = tf.tensor2d([
    [1, Number.NaN],
    [0, 1],
  ]);
  const w = tf.eye(2);
  await expectDescentErrorAsync(() => spectralNormValue(s), 'SHAPE_MISMATCH', '[]');
  await expectDescentErrorAsync(() => spectralNormValue(nan), 'NON_FINITE', 'flat index 1');
  await expectDescentErrorAsync(
    () => spectralNormValue(w, { method: 'svd' as never }),
    'BAD_HYPERPARAM',
    'method',
  );
  await expectDescentErrorAsync(
    () => spectralNormValue(w, { iterations: 0 }),
    'BAD_HYPERPARAM',
    'iterations',
  );
  tf.dispose([s, nan, w]);
});
