import { scheduleFromConfig } from '@descent/core';
import { describe, expect, it } from 'vitest';
import { piecewiseConstant } from './piecewise-constant';
import { checkBounded, checkRoundTrip, LEAVES } from './test-support/arbitraries';
import { expectDescentError } from '@descent/core/testing';
import { expectRoundTrip, expectValues, fromJson } from './test-support/round-trip';
import { sample } from './sample';

describe('piecewiseConstant', () => {
  it('matches optax PiecewiseConstantTest (scale applies from its boundary on)', () => {
    // optax/schedules/_schedule_test.py test_positive / test_negative: init ±0.1, {3: 2, 6: 0.5}
    const expected = [0.1, 0.1, 0.1, 0.2, 0.2, 0.2, 0.1, 0.1, 0.1, 0.1];
    expectValues(
      sample(piecewiseConstant({ initValue: 0.1, boundariesAndScales: { 3: 2, 6: 0.5 } }), 10),
      expected,
    );
    expectValues(
      sample(piecewiseConstant({ initValue: -0.1, boundariesAndScales: { 6: 0.5, 3: 2 } }), 10),
      expected.map((v) => -v),
    );
  });

  it('is the closed form η₀·∏_{b ≤ t} s (optax docstring: 1, 0.1, 0.001)', () => {
    const s = piecewiseConstant({ initValue: 1, boundariesAndScales: { 100: 0.1, 200: 0.01 } });
    expectValues(
      [s(50), s(99), s(100), s(150), s(199), s(200), s(250), s(1e6)],
      [1, 1, 0.1, 0.1, 0.1, 0.001, 0.001, 0.001],
    );
    expect(s(99.5)).toBe(1);
    expect(piecewiseConstant({ initValue: 3 })(77)).toBe(3);
    expect(piecewiseConstant({ initValue: 3, boundariesAndScales: { 0: 0.5 } })(0)).toBe(1.5);
  });

  it('stores the boundaries sorted with string keys, and round-trips', () => {
    const s = piecewiseConstant({ initValue: 0.1, boundariesAndScales: { 60: 0.1, 30: 0.1 } });
    expect(s.config).toEqual({
      type: 'piecewiseConstant',
      initValue: 0.1,
      boundariesAndScales: { 30: 0.1, 60: 0.1 },
    });
    expect(Object.keys(s.config.boundariesAndScales as object)).toEqual(['30', '60']);
    expectRoundTrip(s);
    checkRoundTrip(LEAVES.piecewiseConstant!, scheduleFromConfig);
  });

  it('is finite and bounded for all steps', () => checkBounded(LEAVES.piecewiseConstant!));

  it('rejects bad boundaries and scales, naming them', () => {
    const make = (b: unknown) => () =>
      piecewiseConstant({ initValue: 1, boundariesAndScales: b as Record<number, number> });
    expectDescentError(
      make({ 5: -3 }),
      'BAD_HYPERPARAM',
      'piecewiseConstant.boundariesAndScales[5]',
    );
    expectDescentError(make({ 5: Number.NaN }), 'NON_FINITE', 'boundariesAndScales[5]');
    expectDescentError(make({ '-1': 2 }), 'BAD_HYPERPARAM', '"-1"');
    expectDescentError(make({ 1.5: 2 }), 'BAD_HYPERPARAM', '"1.5"');
    expectDescentError(make({ abc: 2 }), 'BAD_HYPERPARAM', '"abc"');
    expectDescentError(make([1, 2]), 'BAD_ARGUMENT', 'boundariesAndScales');
    expectDescentError(
      () => piecewiseConstant({} as never),
      'BAD_HYPERPARAM',
      'piecewiseConstant.initValue',
    );
    expectDescentError(
      () => fromJson({ type: 'piecewiseConstant', initValue: 1, boundariesAndScales: { 10: -1 } }),
      'BAD_HYPERPARAM',
      'boundariesAndScales[10]',
    );
    expectDescentError(
      () => fromJson({ type: 'piecewiseConstant', initValue: 1, boundaries: [1] }),
      'UNKNOWN_PARAM',
      'boundaries',
    );
  });
});
