import { scheduleFromConfig } from '@descent/core';
import { describe, expect, it } from 'vitest';
import { exponentialDecay } from './exponential-decay';
import { sample } from './sample';
import { checkBounded, checkRoundTrip, LEAVES } from './test-support/arbitraries';
import { expectDescentError } from '@descent/core/testing';
import { expectRoundTrip, expectValues, fromJson } from './test-support/round-trip';

/** optax's documented rule: init · rate^((t − begin)/T) (floored with staircase) after `begin`. */
function reference(
  init: number,
  T: number,
  rate: number,
  begin: number,
  staircase: boolean,
  t: number,
) {
  if (t - begin <= 0) return init;
  const p = staircase ? Math.floor((t - begin) / T) : (t - begin) / T;
  return init * rate ** p;
}

describe('exponentialDecay', () => {
  it('matches optax ExponentialTest.test_exponential (rate 2, T 2, begin 0 and 5, staircase on/off)', () => {
    for (const staircase of [false, true]) {
      for (const begin of [0, 5]) {
        // optax's test grows without an end value; ours requires one above the values reached.
        const s = exponentialDecay({
          initValue: 1,
          transitionSteps: 2,
          decayRate: 2,
          transitionBegin: begin,
          staircase,
          endValue: 1e9,
        });
        const p = (c: number) => (staircase ? Math.floor(c / 2) : c / 2);
        const expected = [
          ...Array(begin).fill(1),
          ...Array.from({ length: 15 }, (_, c) => 2 ** p(c)),
        ];
        expectValues(sample(s, 15 + begin), expected);
      }
    }
  });

  it('matches optax test_end_value_with_staircase (end value clips: max if rate < 1, else min)', () => {
    for (const [rate, end] of [
      [0.2, 0.1],
      [1.0, 0.1],
      [2.0, 3.0],
    ] as const) {
      for (const staircase of [false, true]) {
        const s = exponentialDecay({
          initValue: 1,
          transitionSteps: 2,
          decayRate: rate,
          transitionBegin: 3,
          staircase,
          endValue: end,
        });
        const expected = Array.from({ length: 14 }, (_, t) => {
          const v = reference(1, 2, rate, 3, staircase, t);
          return rate < 1 ? Math.max(v, end) : Math.min(v, end);
        });
        expectValues(sample(s, 14), expected);
      }
    }
  });

  it('halves every step (optax test_immutable_count: 32, 16, 8, 4, 2) and is continuous without staircase', () => {
    expectValues(
      sample(exponentialDecay({ initValue: 32, transitionSteps: 1, decayRate: 0.5 }), 5),
      [32, 16, 8, 4, 2],
    );
    const s = exponentialDecay({ initValue: 0.1, transitionSteps: 1000, decayRate: 0.96 });
    for (const t of [0, 1, 500, 2500, 123_456])
      expect(s(t)).toBeCloseTo(reference(0.1, 1000, 0.96, 0, false, t), 15);
    expect(s(1e6)).toBeGreaterThanOrEqual(0);
    expect(exponentialDecay({ initValue: 1, transitionSteps: 15, decayRate: 1 })(14)).toBe(1);
  });

  it('is finite and bounded for all steps; round-trips (with and without endValue)', () => {
    checkBounded(LEAVES.exponentialDecay!);
    checkRoundTrip(LEAVES.exponentialDecay!, scheduleFromConfig);
    const s = expectRoundTrip(
      exponentialDecay({ initValue: 0.1, transitionSteps: 10, decayRate: 0.5, staircase: true }),
    );
    expect(s.config).toEqual({
      type: 'exponentialDecay',
      initValue: 0.1,
      transitionSteps: 10,
      decayRate: 0.5,
      staircase: true,
      transitionBegin: 0,
    });
    expectRoundTrip(
      exponentialDecay({ initValue: 0, transitionSteps: 3, decayRate: 1.5, endValue: 2 }),
    );
  });

  it('rejects what optax silently turns into a constant, and unbounded growth', () => {
    const base = { initValue: 1, transitionSteps: 10, decayRate: 0.5 };
    expectDescentError(
      () => exponentialDecay({ ...base, transitionSteps: 0 }),
      'BAD_HYPERPARAM',
      'exponentialDecay.transitionSteps',
    );
    expectDescentError(
      () => exponentialDecay({ ...base, transitionSteps: -1 }),
      'BAD_HYPERPARAM',
      'transitionSteps',
    );
    expectDescentError(
      () => exponentialDecay({ ...base, transitionSteps: 2.5 }),
      'BAD_HYPERPARAM',
      'transitionSteps',
    );
    expectDescentError(
      () => exponentialDecay({ ...base, decayRate: 0 }),
      'BAD_HYPERPARAM',
      'exponentialDecay.decayRate',
    );
    expectDescentError(
      () => exponentialDecay({ ...base, decayRate: Number.NaN }),
      'NON_FINITE',
      'decayRate',
    );
    expectDescentError(
      () => exponentialDecay({ ...base, transitionBegin: -5 }),
      'BAD_HYPERPARAM',
      'transitionBegin',
    );
    expectDescentError(
      () => exponentialDecay({ ...base, decayRate: 2 }),
      'BAD_HYPERPARAM',
      'exponentialDecay.endValue',
    );
    expectDescentError(
      () => exponentialDecay({ ...base, initValue: -1, decayRate: 2, endValue: 5 }),
      'BAD_HYPERPARAM',
      'initValue',
    );
    expectDescentError(
      () => exponentialDecay({ ...base, staircase: 'yes' as unknown as boolean }),
      'BAD_HYPERPARAM',
      'staircase',
    );
    expectDescentError(
      () => fromJson({ type: 'exponentialDecay', ...base, transitionSteps: -3 }),
      'BAD_HYPERPARAM',
      'transitionSteps',
    );
    expectDescentError(
      () => fromJson({ type: 'exponentialDecay', ...base, rate: 0.5 }),
      'UNKNOWN_PARAM',
      'rate',
    );
  });
});
