import { describe, expect, it } from 'vitest';
import { evenlySpaced } from './grid';

describe('evenlySpaced', () => {
  it('gives lo + (hi − lo)·i/(n − 1), both ends included', () => {
    expect(evenlySpaced(-1, 1, 5, [0])).toEqual([-1, -0.5, 0, 0.5, 1]);
    const alphas = evenlySpaced(-0.35, 1.7, 12, []);
    alphas.forEach((alpha, i) => {
      expect(Math.abs(alpha - (-0.35 + (2.05 * i) / 11))).toBeLessThanOrEqual(1e-15);
    });
    expect(alphas[11]).toBe(1.7);
  });

  it('puts exactly 0 at the centre of a symmetric range with an odd count', () => {
    for (const [half, n] of [
      [0.3, 21],
      [0.1, 51],
      [1 / 3, 7],
      [2.7, 101],
    ] as const) {
      const alphas = evenlySpaced(-half, half, n, [0]);
      expect(Object.is(alphas[(n - 1) / 2], 0)).toBe(true);
      expect(alphas[0]).toBe(-half);
      expect(alphas[n - 1]).toBe(half);
    }
  });

  it('snaps values that rounding put next to 0 or 1 onto them exactly', () => {
    // −0.2 + 1.4·2/14 is 2.8e-17 in float64, not 0
    const alphas = evenlySpaced(-0.2, 1.2, 15, [0, 1]);
    expect(alphas[2]).toBe(0);
    expect(alphas[12]).toBe(1);
    expect(alphas.filter((a) => a === 0 || a === 1)).toHaveLength(2);
  });

  it('leaves values that are merely near a snap target alone', () => {
    const alphas = evenlySpaced(-1e-3, 1, 3, [0]);
    expect(alphas[0]).toBe(-1e-3);
    expect(alphas[1]).toBeCloseTo(0.4995, 15);
  });
});
