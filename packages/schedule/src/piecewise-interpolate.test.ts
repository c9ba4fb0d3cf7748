import { scheduleFromConfig } from '@descent/core';
import { describe, expect, it } from 'vitest';
import { piecewiseInterpolate } from './piecewise-interpolate';
import { sample } from './sample';
import { checkBounded, checkRoundTrip, LEAVES } from './test-support/arbitraries';
import { expectDescentError } from '@descent/core/testing';
import { expectRoundTrip, expectValues, fromJson } from './test-support/round-trip';

describe('piecewiseInterpolate', () => {
  it('matches optax PiecewiseInterpolateTest (linear and cosine)', () => {
    // optax/schedules/_schedule_test.py test_linear_piecewise and test_cos_piecewise
    const linear = piecewiseInterpolate({
      initValue: 200,
      boundariesAndScales: { 5: 1.5, 10: 0.25 },
      interpolation: 'linear',
    });
    expectValues(
      sample(linear, 13),
      [200, 220, 240, 260, 280, 300, 255, 210, 165, 120, 75, 75, 75],
    );
    const cosine = piecewiseInterpolate({
      initValue: 400,
      boundariesAndScales: { 5: 1.2, 3: 0.6, 7: 1 },
      interpolation: 'cosine',
    });
    expectValues(sample(cosine, 9), [400, 360, 280, 240, 264, 288, 288, 288, 288]);
    // test_empty_dict / test_no_dict
    expectValues(
      sample(
        piecewiseInterpolate({ initValue: 13, boundariesAndScales: {}, interpolation: 'linear' }),
        5,
      ),
      [13, 13, 13, 13, 13],
    );
    expectValues(
      sample(piecewiseInterpolate({ initValue: 17, interpolation: 'cosine' }), 3),
      [17, 17, 17],
    );
  });

  it('follows the closed form between accumulated values (optax docstring)', () => {
    const s = piecewiseInterpolate({
      initValue: 1,
      boundariesAndScales: { 4: 0.1, 8: 0.01 },
      interpolation: 'linear',
    });
    expectValues([0, 2, 4, 6, 8, 10].map(s), [1, 0.55, 0.1, 0.0505, 0.001, 0.001]);
    const c = piecewiseInterpolate({
      initValue: 2,
      boundariesAndScales: { 10: 0.5 },
      interpolation: 'cosine',
    });
    for (const t of [0, 1, 2.5, 7, 9])
      expect(c(t)).toBeCloseTo(1 + 0.5 * (Math.cos((Math.PI * t) / 10) + 1), 12);
    // a boundary at step 0 applies its scale at once (no NaN from an empty interval)
    const z = piecewiseInterpolate({
      initValue: 2,
      boundariesAndScales: { 0: 0.5, 4: 2 },
      interpolation: 'linear',
    });
    expectValues(sample(z, 6), [1, 1.25, 1.5, 1.75, 2, 2]);
  });

  it('is finite and bounded for all steps; round-trips', () => {
    checkBounded(LEAVES.piecewiseInterpolate!);
    checkRoundTrip(LEAVES.piecewiseInterpolate!, scheduleFromConfig);
    expectRoundTrip(
      piecewiseInterpolate({
        initValue: 1,
        boundariesAndScales: { 4: 0.1 },
        interpolation: 'cosine',
      }),
    );
  });

  it('rejects an unknown interpolation and bad scales (optax test_invalid_type, test_invalid_scale)', () => {
    expectDescentError(
      () => piecewiseInterpolate({ initValue: 13, interpolation: 'linar' as 'linear' }),
      'BAD_HYPERPARAM',
      'piecewiseInterpolate.interpolation',
      "'linear', 'cosine'",
    );
    expectDescentError(
      () => piecewiseInterpolate({ initValue: 13 } as never),
      'BAD_HYPERPARAM',
      'piecewiseInterpolate.interpolation',
    );
    expectDescentError(
      () =>
        piecewiseInterpolate({
          initValue: 13,
          boundariesAndScales: { 5: -3 },
          interpolation: 'linear',
        }),
      'BAD_HYPERPARAM',
      'boundariesAndScales[5]',
    );
    expectDescentError(
      () => fromJson({ type: 'piecewiseInterpolate', initValue: 1, interpolation: 'exp' }),
      'BAD_HYPERPARAM',
      'interpolation',
    );
  });
});
