import { describe, expect, it } from 'vitest';
import { logLogSlope } from './log-log-slope';

describe('logLogSlope', () => {
  it('recovers the exponent of an exact power law', () => {
    const xs = [64, 128, 256, 1024];
    expect(
      logLogSlope(
        xs,
        xs.map((x) => 3 / Math.sqrt(x)),
      ),
    ).toBeCloseTo(-0.5, 12);
    expect(
      logLogSlope(
        xs,
        xs.map((x) => 0.2 * x ** 1.5),
      ),
    ).toBeCloseTo(1.5, 12);
  });

  it('fits the least-squares line through scattered points', () => {
    // u = 0, ln 2, 2 ln 2 and v = 0, 0, 2 ln 2: Σ(u − ū)(v − v̄) / Σ(u − ū)² = 1
    expect(logLogSlope([1, 2, 4], [1, 1, 4])).toBeCloseTo(1, 12);
  });

  it('refuses too few points, unequal lengths, non-positive values and a single x', () => {
    expect(() => logLogSlope([1], [1])).toThrow(/two or more/);
    expect(() => logLogSlope([1, 2], [1])).toThrow(/two or more/);
    expect(() => logLogSlope([1, 2], [1, 0])).toThrow(/positive/);
    expect(() => logLogSlope([2, 2], [1, 3])).toThrow(/same/);
  });
});
