import { Rng } from '@descent/core';
import { describe, expect, it } from 'vitest';
import { normalizeFilters } from './filter-normalize';

/** The float64 norm of every filter (slice along the last axis) of row-major `values`. */
function filterNorms(values: ArrayLike<number>, filters: number): number[] {
  const squares = new Array<number>(filters).fill(0);
  for (let i = 0; i < values.length; i++) {
    squares[i % filters] = (squares[i % filters] as number) + (values[i] as number) ** 2;
  }
  return squares.map(Math.sqrt);
}

describe('normalizeFilters', () => {
  it('gives every filter the norm of the same filter of θ (rtol 1e-6) and keeps its direction', () => {
    const rng = new Rng(3);
    const filters = 7;
    const theta = rng.normalArray(5 * filters, 0, 0.3);
    const raw = rng.normalArray(5 * filters);
    const d = normalizeFilters(Float32Array.from(raw), theta, filters);
    const expected = filterNorms(theta, filters);
    filterNorms(d, filters).forEach((norm, f) => {
      expect(Math.abs(norm - (expected[f] as number))).toBeLessThanOrEqual(
        1e-6 * (expected[f] as number),
      );
    });
    const scales = filterNorms(theta, filters).map(
      (t, f) => t / (filterNorms(raw, filters)[f] as number),
    );
    d.forEach((v, i) => {
      const want = (raw[i] as number) * (scales[i % filters] as number);
      expect(Math.abs(v - want)).toBeLessThanOrEqual(6e-8 * Math.abs(want));
    });
  });

  it('zeroes a filter whose θ or d is zero instead of dividing by zero', () => {
    // [2, 3]: filter 0 has θ = 0, filter 1 has d = 0, filter 2 is regular
    const theta = Float32Array.from([0, 1, 3, 0, 2, 4]);
    const d = Float32Array.from([5, 0, 1, 7, 0, 1]);
    const out = normalizeFilters(d, theta, 3);
    const v = Math.fround(5 / Math.sqrt(2)); // ‖(3, 4)‖ / ‖(1, 1)‖
    expect(Array.from(out)).toEqual([0, 0, v, 0, 0, v]);
  });

  it('leaves an empty tensor empty', () => {
    expect(normalizeFilters(new Float32Array(0), new Float32Array(0), 0)).toHaveLength(0);
    expect(normalizeFilters(new Float32Array(0), new Float32Array(0), 4)).toHaveLength(0);
  });
});
