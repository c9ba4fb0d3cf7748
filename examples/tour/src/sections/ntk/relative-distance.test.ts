import { describe, expect, it } from 'vitest';
import { frobeniusNorm, relativeDistance } from './relative-distance';

describe('relativeDistance', () => {
  it('is ‖a − b‖_F / ‖b‖_F', () => {
    expect(frobeniusNorm([3, 4])).toBe(5);
    // a − b = (0.3, 0.4): 0.5 / 5
    expect(relativeDistance([3.3, 4.4], [3, 4])).toBeCloseTo(0.1, 12);
    expect(relativeDistance([1, 2, 3], [1, 2, 3])).toBe(0);
  });

  it('refuses matrices of different sizes', () => {
    expect(() => relativeDistance([1, 2], [1, 2, 3])).toThrow(/2 values against 3/);
  });
});
