import { expectDescentError } from '@descent/core/testing';
import { describe, expect, it } from 'vitest';
import { type TickAxis, linearTicks, logTicks } from './nice-ticks';

const values = (axis: TickAxis) => axis.ticks.map((t) => t.value);

describe('linearTicks', () => {
  it('steps by 1, 2 or 5 × 10^k with at most 8 intervals, ends on ticks around the data', () => {
    expect(values(linearTicks(0, 0.93))).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(values(linearTicks(-3, 17))).toEqual([-5, 0, 5, 10, 15, 20]);
    expect(values(linearTicks(0.1, 0.3))).toEqual([0.1, 0.15, 0.2, 0.25, 0.3]);
    expect(values(linearTicks(12000, 16384))).toEqual([12000, 13000, 14000, 15000, 16000, 17000]);
    expect(values(linearTicks(-0.07, 0.02))).toEqual([-0.08, -0.06, -0.04, -0.02, 0, 0.02]);
    expect(values(linearTicks(0, 10, 4))).toEqual([0, 5, 10]);
    const axis = linearTicks(97.5, 98.7);
    expect([axis.lo, axis.hi, axis.ticks[0]!.resolution]).toEqual([97.4, 98.8, 0.2]);
  });

  it('widens a single value by 10 % either side, or by 1 around 0', () => {
    expect(values(linearTicks(5, 5))).toEqual([4.4, 4.6, 4.8, 5, 5.2, 5.4, 5.6]);
    expect(values(linearTicks(0, 0))).toEqual([-1, -0.5, 0, 0.5, 1]);
  });

  it('refuses non-finite ends and max < min', () => {
    expectDescentError(() => linearTicks(0, Number.NaN), 'BAD_ARGUMENT', 'linearTicks', 'NaN');
    expectDescentError(() => linearTicks(2, 1), 'BAD_ARGUMENT', 'min 2 and max 1');
  });
});

describe('logTicks', () => {
  it('puts ticks at powers of ten from two decades of data on', () => {
    expect(values(logTicks(1, 1000))).toEqual([1, 10, 100, 1000]);
    expect(values(logTicks(1, 100))).toEqual([1, 10, 100]);
    expect(values(logTicks(3e-5, 0.9))).toEqual([1e-5, 1e-4, 0.001, 0.01, 0.1, 1]);
    expect(values(logTicks(64, 16384))).toEqual([10, 100, 1000, 10000, 100000]);
  });

  it('adds 2 and 5 between powers of ten when the data span under two decades', () => {
    expect(values(logTicks(0.6, 20))).toEqual([0.5, 1, 2, 5, 10, 20]);
    expect(values(logTicks(2, 150))).toEqual([2, 5, 10, 20, 50, 100, 200]);
    expect(values(logTicks(0.012, 0.03))).toEqual([0.01, 0.02, 0.05]);
  });

  it('falls back to linear ticks for data that would fill under half the 1-2-5 axis', () => {
    expect(values(logTicks(97.5, 98.7))).toEqual([97.4, 97.6, 97.8, 98, 98.2, 98.4, 98.6, 98.8]);
    expect(values(logTicks(5, 5))).toEqual([4.4, 4.6, 4.8, 5, 5.2, 5.4, 5.6]);
    expect(values(logTicks(0.6, 1.9))).toEqual([0.5, 1, 2]);
  });

  it('skips decades to keep at most 8 intervals over many decades', () => {
    expect(values(logTicks(1e-12, 1))).toEqual([1e-12, 1e-10, 1e-8, 1e-6, 1e-4, 0.01, 1]);
    expect(values(logTicks(1e-30, 1e30))).toEqual([1e-30, 1e-20, 1e-10, 1, 1e10, 1e20, 1e30]);
  });

  it('refuses min ≤ 0', () => {
    expectDescentError(() => logTicks(0, 1), 'BAD_ARGUMENT', 'logTicks: min', '0');
    expectDescentError(() => logTicks(-1, 1), 'BAD_ARGUMENT', 'logTicks: min');
  });
});
