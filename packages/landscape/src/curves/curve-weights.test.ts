import { describe, expect, it } from 'vitest';
import { CURVE_KINDS, curveWeights } from './curve-weights';

const POSITIONS = Array.from({ length: 41 }, (_, k) => k / 40).concat([1e-9, 0.3, 1 - 1e-9]);
const BENDS = [2, 3, 4, 5, 6];

function factorial(n: number): number {
  return n <= 1 ? 1 : n * factorial(n - 1);
}

/** `n!/(i!(n − i)!)·tⁱ(1 − t)ⁿ⁻ⁱ`, by factorials (the implementation uses a running product). */
function bernstein(n: number, i: number, t: number): number {
  return (factorial(n) / (factorial(i) * factorial(n - i))) * t ** i * (1 - t) ** (n - i);
}

/** The hat function of knot `i/n`: `max(0, 1 − |n·t − i|)`. */
function hat(n: number, i: number, t: number): number {
  return Math.max(0, 1 - Math.abs(n * t - i));
}

describe('curveWeights', () => {
  it("gives Garipov's quadratic Bezier and the polychain at t = 1/4 with one bend", () => {
    expect(curveWeights('bezier', 0.25, 3)).toEqual([0.5625, 0.375, 0.0625]);
    expect(curveWeights('polychain', 0.25, 3)).toEqual([0.5, 0.5, 0]);
    expect(curveWeights('polychain', 0.75, 3)).toEqual([0, 0.5, 0.5]);
  });

  it('equals the Bernstein polynomials by factorials (relative 1e-14), bends 2..6', () => {
    for (const bends of BENDS) {
      for (const t of POSITIONS) {
        const w = curveWeights('bezier', t, bends);
        expect(w).toHaveLength(bends);
        w.forEach((wi, i) => {
          const expected = bernstein(bends - 1, i, t);
          expect(Math.abs(wi - expected)).toBeLessThanOrEqual(1e-14 * Math.max(expected, 1e-300));
        });
      }
    }
  });

  it('equals the hat functions of the knots i/(bends − 1) for the polychain (1e-15)', () => {
    for (const bends of BENDS) {
      for (const t of POSITIONS) {
        const w = curveWeights('polychain', t, bends);
        expect(w).toHaveLength(bends);
        w.forEach((wi, i) => {
          expect(Math.abs(wi - hat(bends - 1, i, t))).toBeLessThanOrEqual(1e-15);
        });
      }
    }
  });

  it('sums to 1 (to 1e-15) and is one-hot at the endpoints, exactly', () => {
    for (const curve of CURVE_KINDS) {
      for (const bends of BENDS) {
        for (const t of POSITIONS) {
          const sum = curveWeights(curve, t, bends).reduce((s, w) => s + w, 0);
          expect(Math.abs(sum - 1)).toBeLessThanOrEqual(1e-15);
        }
        const first = Array.from({ length: bends }, (_, i) => (i === 0 ? 1 : 0));
        expect(curveWeights(curve, 0, bends)).toEqual(first);
        expect(curveWeights(curve, 1, bends)).toEqual([...first].reverse());
      }
    }
  });

  it('is the segment [1 − t, t] for two points, both kinds', () => {
    for (const curve of CURVE_KINDS) {
      for (const t of POSITIONS) expect(curveWeights(curve, t, 2)).toEqual([1 - t, t]);
    }
  });
});
