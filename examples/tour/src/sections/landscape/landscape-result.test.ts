import { describe, expect, it } from 'vitest';
import type { PathMeasure } from './connect-minima';
import { type LandscapeMeasures, landscapeVerdict } from './landscape-result';
import type { Minimum } from './train-minimum';

const minimum: Minimum = { params: {}, epochs: 1, batchSize: 32, loss: 0.1, testAccuracy: 0.9 };
const path = (barrier: number): PathMeasure => ({
  ts: [0, 1],
  loss: [0.1, 0.1],
  testAccuracy: [0.9, 0.9],
  barrier,
});
const top = (largest: number) => ({ eigenvalues: [largest], converged: true, iterations: 5 });

function measures(line: number, bezier: number, small: number, large: number): LandscapeMeasures {
  return {
    minima: { a: minimum, b: minimum, c: minimum },
    line: path(line),
    bezier: path(bezier),
    hessian: { a: top(small), c: top(large) },
  };
}

describe('landscapeVerdict', () => {
  it('needs the curve at most half the line’s barrier and a larger λ_max at the large batch', () => {
    expect(landscapeVerdict(measures(0.4, 0.2, 1, 3))).toEqual({
      barrierRatio: 0.5,
      sharpnessRatio: 3,
      connected: true,
      sharper: true,
    });
    expect(landscapeVerdict(measures(0.4, 0.21, 1, 3)).connected).toBe(false);
    expect(landscapeVerdict(measures(0.4, 0.1, 2, 2)).sharper).toBe(false);
  });

  it('sees no connection to claim when the line has no barrier', () => {
    expect(landscapeVerdict(measures(0, 0, 1, 2)).connected).toBe(false);
  });
});
