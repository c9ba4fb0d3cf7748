import { scheduleFromConfig } from '@descent/core';
import { describe, expect, it } from 'vitest';
import { linearSchedule } from './linear-schedule';
import { polynomialDecay } from './polynomial-decay';
import { sample } from './sample';
import { checkBounded, checkRoundTrip, LEAVES } from './test-support/arbitraries';
import { expectDescentError } from '@descent/core/testing';
import { expectRoundTrip, expectValues, fromJson } from './test-support/round-trip';

describe('linearSchedule', () => {
  it('ramps linearly then holds (optax PolynomialTest.test_linear, linear_schedule docstring)', () => {
    expectValues(
      sample(linearSchedule({ initValue: 10, endValue: 20, transitionSteps: 10 }), 15),
      [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 20, 20, 20, 20],
    );
    const s = linearSchedule({ initValue: 1, endValue: 0.01, transitionSteps: 100 });
    expectValues([s(0), s(100)], [1, 0.01]);
    const b = linearSchedule({ initValue: 0, endValue: 1, transitionSteps: 4, transitionBegin: 2 });
    expectValues(sample(b, 8), [0, 0, 0, 0.25, 0.5, 0.75, 1, 1]);
  });

  it('equals polynomialDecay with power 1 exactly', () => {
    const a = linearSchedule({
      initValue: 0.3,
      endValue: 0.007,
      transitionSteps: 77,
      transitionBegin: 3,
    });
    const b = polynomialDecay({
      initValue: 0.3,
      endValue: 0.007,
      power: 1,
      transitionSteps: 77,
      transitionBegin: 3,
    });
    for (let t = 0; t < 100; t++) expect(a(t)).toBe(b(t));
  });

  it('is finite and bounded for all steps; round-trips', () => {
    checkBounded(LEAVES.linearSchedule!);
    checkRoundTrip(LEAVES.linearSchedule!, scheduleFromConfig);
    expectRoundTrip(linearSchedule({ initValue: 0, endValue: 0.1, transitionSteps: 500 }));
  });

  it('rejects bad options', () => {
    expectDescentError(
      () => linearSchedule({ initValue: 0, endValue: 1, transitionSteps: 0 }),
      'BAD_HYPERPARAM',
      'linearSchedule.transitionSteps',
    );
    expectDescentError(
      () => linearSchedule({ initValue: 0, endValue: 1, transitionSteps: 3, power: 2 } as never),
      'UNKNOWN_PARAM',
      'power',
    );
    expectDescentError(
      () =>
        fromJson({
          type: 'linearSchedule',
          initValue: 0,
          endValue: Number.NaN,
          transitionSteps: 3,
        }),
      'BAD_HYPERPARAM',
      'endValue',
    );
  });
});
