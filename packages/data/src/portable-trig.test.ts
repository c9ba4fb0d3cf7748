import { describe, expect, it } from 'vitest';
import { portableSin, portableSinCos } from './portable-trig';

// Pure JavaScript: runs once, not per backend.
describe('portableSinCos', () => {
  it('agrees with Math.sin / Math.cos to about 1 ulp on [−200, 200] and at large arguments', () => {
    let worst = 0;
    const points: number[] = [];
    for (let i = -20000; i <= 20000; i++) points.push(i * 0.01 + 1e-3 * Math.sqrt(Math.abs(i)));
    points.push(0, -0, Math.PI, Math.PI / 2, -Math.PI / 4, 1e5 + 0.3, -123456.789, 1.4e6);
    for (const x of points) {
      const [s, c] = portableSinCos(x);
      // Absolute error ≤ 2 ulp of 1: both functions are bounded by 1.
      worst = Math.max(worst, Math.abs(s - Math.sin(x)), Math.abs(c - Math.cos(x)));
    }
    expect(worst).toBeLessThan(2 * 2 ** -52);
  });

  it('gets exact values right and keeps sin odd, cos even', () => {
    expect(portableSinCos(0)).toEqual([0, 1]);
    expect(portableSin(Math.PI / 6)).toBeCloseTo(0.5, 15);
    expect(portableSinCos(Math.PI / 2)[0]).toBe(1);
    for (const x of [0.3, 2.7, 11.1, 1000.5]) {
      const [s, c] = portableSinCos(x);
      const [sn, cn] = portableSinCos(-x);
      expect(sn).toBe(-s);
      expect(cn).toBe(c);
      expect(Math.abs(s * s + c * c - 1)).toBeLessThan(4e-16);
    }
  });

  it('falls back to Math for |x| beyond 1.5e6 and for non-finite input', () => {
    expect(portableSinCos(1e7)).toEqual([Math.sin(1e7), Math.cos(1e7)]);
    expect(Number.isNaN(portableSin(Number.NaN))).toBe(true);
  });
});
