import { expectDescentError } from '@descent/core/testing';
import { describe, expect, it } from 'vitest';
import { decimalExponent, formatCompact, powerOfTen } from './compact-number';

describe('formatCompact', () => {
  it('keeps three significant digits by default, with k, M, G, T suffixes from 1000 on', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [0.001, '0.001'],
      [0.5, '0.5'],
      [1.23456, '1.23'],
      [97.5, '97.5'],
      [123.456, '123'],
      [999.96, '1k'],
      [1000, '1k'],
      [2500, '2.5k'],
      [16384, '16.4k'],
      [1234567, '1.23M'],
      [3e9, '3G'],
      [4.56e12, '4.56T'],
      [-1500, '-1.5k'],
      [-0.25, '-0.25'],
    ];
    for (const [value, label] of cases) expect(formatCompact(value), String(value)).toBe(label);
  });

  it('writes an exponent from 10^15 on and below 0.001 where decimals would need over 4 places', () => {
    expect(formatCompact(0.00002)).toBe('2e-5');
    expect(formatCompact(0.0005)).toBe('5e-4');
    expect(formatCompact(0.0005, 0.0005)).toBe('0.0005');
    expect(formatCompact(0.0015, 0.0005)).toBe('0.0015');
    expect(formatCompact(0.00002, 0.00001)).toBe('2e-5');
    expect(formatCompact(2.5e-7)).toBe('2.5e-7');
    expect(formatCompact(1.23456e-4)).toBe('1.23e-4');
    expect(formatCompact(1e15)).toBe('1e15');
    expect(formatCompact(-3e20)).toBe('-3e20');
  });

  it('shows the decimals a resolution needs, and rounds float noise away', () => {
    expect(formatCompact(0.30000000000000004, 0.1)).toBe('0.3');
    expect(formatCompact(0.15, 0.05)).toBe('0.15');
    expect(formatCompact(0.1, 0.05)).toBe('0.1');
    expect(formatCompact(2500, 500)).toBe('2.5k');
    expect(formatCompact(3000, 500)).toBe('3k');
    expect(formatCompact(16384, 1)).toBe('16.384k');
    expect(formatCompact(400, 200)).toBe('400');
    expect(formatCompact(1e-17, 0.2)).toBe('0');
  });

  it('refuses non-finite values and a resolution ≤ 0', () => {
    expectDescentError(() => formatCompact(Number.NaN), 'NON_FINITE', 'formatCompact: value');
    expectDescentError(() => formatCompact('1' as never), 'BAD_HYPERPARAM', 'value');
    expectDescentError(() => formatCompact(1, 0), 'BAD_HYPERPARAM', 'formatCompact: resolution');
    expectDescentError(
      () => formatCompact(1, Number.POSITIVE_INFINITY),
      'NON_FINITE',
      'resolution',
    );
  });
});

describe('decimalExponent and powerOfTen', () => {
  it('give ⌊log₁₀ x⌋ exactly at and next to powers of ten, and the nearest double to 10^k', () => {
    expect([1, 9.99, 10, 1000, 999.9999, 0.001, 0.00099, 1e-300].map(decimalExponent)).toEqual([
      0, 0, 1, 3, 2, -3, -4, -300,
    ]);
    expect([-30, -3, -1, 0, 2, 30].map(powerOfTen)).toEqual([1e-30, 0.001, 0.1, 1, 100, 1e30]);
  });
});
