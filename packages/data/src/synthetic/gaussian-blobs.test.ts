import { expectDescentError } from '@descent/core/testing';
import { describe, expect, it } from 'vitest';
import { gaussianBlobs } from './gaussian-blobs';

/** Per-class mean and per-coordinate standard deviation, in float64. */
function classStats(x: Float32Array, y: Int32Array, k: number, dim: number) {
  const count = new Array<number>(k).fill(0);
  const sum = Array.from({ length: k }, () => new Float64Array(dim));
  const sq = Array.from({ length: k }, () => new Float64Array(dim));
  y.forEach((c, i) => {
    count[c] = (count[c] as number) + 1;
    for (let j = 0; j < dim; j++) {
      const v = x[i * dim + j] as number;
      const sc = sum[c] as Float64Array;
      const qc = sq[c] as Float64Array;
      sc[j] = (sc[j] as number) + v;
      qc[j] = (qc[j] as number) + v * v;
    }
  });
  const mean = sum.map((s, c) => Array.from(s, (v) => v / (count[c] as number)));
  const std = sq.map((s, c) =>
    Array.from(s, (v, j) =>
      Math.sqrt(v / (count[c] as number) - ((mean[c] as number[])[j] as number) ** 2),
    ),
  );
  return { count, mean, std };
}

// Pure JavaScript (no tensors): runs once, not per backend.
describe('gaussianBlobs', () => {
  it('given centers and per-class std: class means and stds match (n = 30 000)', () => {
    const centers = [
      [0, 0, 1],
      [5, -5, 2],
      [-3, 4, 0],
    ];
    const std = [0.5, 1, 2];
    const ds = gaussianBlobs({ n: 30001, centers, std, seed: 11 });
    expect(ds.numClasses).toBe(3);
    expect(ds.xShape).toEqual([3]);
    expect(ds.centers).toEqual(centers);
    const { count, mean, std: s } = classStats(ds.x, ds.y, 3, 3);
    expect(count).toEqual([10001, 10000, 10000]);
    expect(Array.from(ds.y.subarray(0, 6))).toEqual([0, 1, 2, 0, 1, 2]);
    for (let c = 0; c < 3; c++) {
      for (let j = 0; j < 3; j++) {
        // Standard error of a mean: σ/√10⁴ = σ/100; of a std: σ/√(2·10⁴) ≈ σ/141. Allow 5 of them.
        const sigma = std[c] as number;
        expect(
          Math.abs(((mean[c] as number[])[j] as number) - ((centers[c] as number[])[j] as number)),
        ).toBeLessThan((5 * sigma) / 100);
        expect(Math.abs(((s[c] as number[])[j] as number) - sigma)).toBeLessThan((5 * sigma) / 141);
      }
    }
  });

  it('draws k centers uniformly in the box when none are given', () => {
    const ds = gaussianBlobs({ n: 9000, k: 4, dim: 5, std: 0.1, centerBox: 3, seed: 2 });
    expect(ds.centers.length).toBe(4);
    expect(ds.xShape).toEqual([5]);
    for (const c of ds.centers) {
      expect(c.length).toBe(5);
      for (const v of c) expect(Math.abs(v)).toBeLessThanOrEqual(3);
    }
    const { mean } = classStats(ds.x, ds.y, 4, 5);
    for (let c = 0; c < 4; c++) {
      for (let j = 0; j < 5; j++) {
        expect(
          Math.abs(
            ((mean[c] as number[])[j] as number) - ((ds.centers[c] as number[])[j] as number),
          ),
        ).toBeLessThan(0.02);
      }
    }
    const again = gaussianBlobs({ n: 9000, k: 4, dim: 5, std: 0.1, centerBox: 3, seed: 2 });
    expect(again.x).toEqual(ds.x);
    expect(gaussianBlobs({ n: 10, seed: 3 }).centers).not.toEqual(
      gaussianBlobs({ n: 10, seed: 4 }).centers,
    );
    // Defaults: k = 3, dim = 2.
    expect(gaussianBlobs({ n: 10 }).centers.map((c) => c.length)).toEqual([2, 2, 2]);
  });

  it('rejects bad options', () => {
    expectDescentError(
      () => gaussianBlobs({ n: 10, centers: [[0, 0], [1]] }),
      'BAD_ARGUMENT',
      'centers[1]',
    );
    expectDescentError(
      () => gaussianBlobs({ n: 10, centers: [[0, 0]], k: 2 }),
      'BAD_ARGUMENT',
      'gaussianBlobs.k',
    );
    expectDescentError(
      () => gaussianBlobs({ n: 10, k: 2, std: [1, 2, 3] }),
      'BAD_ARGUMENT',
      'gaussianBlobs.std',
    );
    expectDescentError(
      () => gaussianBlobs({ n: 10, std: -1 }),
      'BAD_HYPERPARAM',
      'gaussianBlobs.std',
    );
    expectDescentError(() => gaussianBlobs({ n: 10, k: 0 }), 'BAD_HYPERPARAM', 'gaussianBlobs.k');
    expectDescentError(
      () => gaussianBlobs({ n: 10, centers: [[0, Number.NaN]] }),
      'NON_FINITE',
      'centers[0][1]',
    );
  });
});
