import { scheduleFromConfig } from '@descent/core';
import { describe, expect, it } from 'vitest';
import { polynomialDecay } from './polynomial-decay';
import { sample } from './sample';
import { checkBounded, checkRoundTrip, LEAVES } from './test-support/arbitraries';
import { expectDescentError } from '@descent/core/testing';
import { expectRoundTrip, expectValues, fromJson } from './test-support/round-trip';

describe('polynomialDecay', () => {
  it('matches optax PolynomialTest (linear, quadratic, with transition_begin)', () => {
    // optax/schedules/_schedule_test.py test_linear, test_nonlinear, test_with_decay_begin
    expectValues(
      sample(polynomialDecay({ initValue: 10, endValue: 20, power: 1, transitionSteps: 10 }), 15),
      [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 20, 20, 20, 20],
    );
    expectValues(
      sample(polynomialDecay({ initValue: 25, endValue: 10, power: 2, transitionSteps: 10 }), 15),
      [...Array.from({ length: 10 }, (_, n) => 10 + 15 * (1 - n / 10) ** 2), ...Array(5).fill(10)],
    );
    expectValues(
      sample(
        polynomialDecay({
          initValue: 30,
          endValue: 10,
          power: 2,
          transitionSteps: 10,
          transitionBegin: 4,
        }),
        20,
      ),
      [
        ...Array(4).fill(30),
        ...Array.from({ length: 10 }, (_, n) => 10 + 20 * (1 - n / 10) ** 2),
        ...Array(6).fill(10),
      ],
    );
  });

  it('matches the optax docstring example (1 → 0.01, T 100, begin 5, power 2)', () => {
    const s = polynomialDecay({
      initValue: 1,
      endValue: 0.01,
      power: 2,
      transitionSteps: 100,
      transitionBegin: 5,
    });
    expectValues([0, 5, 6, 104, 105, 110].map(s), [
      1,
      1,
      0.01 + 0.99 * 0.99 ** 2,
      0.01 + 0.99 * 0.01 ** 2,
      0.01,
      0.01,
    ]);
    expect(polynomialDecay({ initValue: 2, endValue: 0, transitionSteps: 4 }).config.power).toBe(1);
  });

  it('is finite and bounded for all steps; round-trips', () => {
    checkBounded(LEAVES.polynomialDecay!);
    checkRoundTrip(LEAVES.polynomialDecay!, scheduleFromConfig);
    expectRoundTrip(
      polynomialDecay({
        initValue: 1,
        endValue: 0,
        power: 0.5,
        transitionSteps: 1000,
        transitionBegin: 10,
      }),
    );
  });

  it('rejects bad options (optax turns transition_steps ≤ 0 into a constant; we throw)', () => {
    const base = { initValue: 1, endValue: 0, transitionSteps: 10 };
    expectDescentError(
      () => polynomialDecay({ ...base, transitionSteps: 0 }),
      'BAD_HYPERPARAM',
      'polynomialDecay.transitionSteps',
    );
    expectDescentError(
      () => polynomialDecay({ ...base, power: 0 }),
      'BAD_HYPERPARAM',
      'polynomialDecay.power',
    );
    expectDescentError(
      () => polynomialDecay({ ...base, power: Number.POSITIVE_INFINITY }),
      'NON_FINITE',
      'power',
    );
    expectDescentError(
      () => polynomialDecay({ ...base, transitionBegin: -1 }),
      'BAD_HYPERPARAM',
      'transitionBegin',
    );
    expectDescentError(
      () => polynomialDecay({ initValue: 1, transitionSteps: 3 } as never),
      'BAD_HYPERPARAM',
      'endValue',
    );
    expectDescentError(
      () => fromJson({ type: 'polynomialDecay', ...base, endValue: 'x' }),
      'BAD_HYPERPARAM',
      'endValue',
    );
  });
});
