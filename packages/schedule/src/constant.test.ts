import { scheduleFromConfig } from '@descent/core';
import { describe, expect, it } from 'vitest';
import { constant } from './constant';
import { checkBounded, checkRoundTrip, LEAVES } from './test-support/arbitraries';
import { expectDescentError } from '@descent/core/testing';
import { expectRoundTrip, fromJson } from './test-support/round-trip';

describe('constant', () => {
  it('holds its value (optax ConstantTest: 10 for 15 steps)', () => {
    const s = constant(10);
    expect(Array.from({ length: 15 }, (_, t) => s(t))).toEqual(Array(15).fill(10));
    expect(s(1e6)).toBe(10);
    expect(s.config).toEqual({ type: 'constant', value: 10 });
    expect(Object.isFrozen(s.config)).toBe(true);
  });

  it('is finite and bounded for all steps; round-trips through JSON', () => {
    checkBounded(LEAVES.constant!);
    checkRoundTrip(LEAVES.constant!, scheduleFromConfig);
    expectRoundTrip(constant(-0.25));
  });

  it('rejects bad values and bad steps, naming them', () => {
    expectDescentError(() => constant(Number.NaN), 'NON_FINITE', 'constant.value');
    expectDescentError(
      () => constant('1' as unknown as number),
      'BAD_HYPERPARAM',
      'constant.value',
    );
    expectDescentError(
      () => fromJson({ type: 'constant', value: null }),
      'BAD_HYPERPARAM',
      'constant.value',
    );
    expectDescentError(
      () => fromJson({ type: 'constant', value: 1, extra: 2 }),
      'UNKNOWN_PARAM',
      'extra',
    );
    const s = constant(1);
    expectDescentError(() => s(-1), 'BAD_HYPERPARAM', 'constant step');
    expectDescentError(() => s(Number.NaN), 'NON_FINITE', 'constant step');
  });
});
