import { scheduleFromConfig } from '@descent/core';
import { describe, expect, it } from 'vitest';
import { constant } from './constant';
import { cosineDecay } from './cosine-decay';
import { join } from './join';
import { linearSchedule } from './linear-schedule';
import { sample } from './sample';
import { checkBounded, checkRoundTrip, COMBINATORS } from './test-support/arbitraries';
import { expectDescentError } from '@descent/core/testing';
import { expectRoundTrip, fromJson } from './test-support/round-trip';

describe('join', () => {
  it('switches at the boundaries (optax join_schedules test: constants 1, 2, 1 at [3, 6])', () => {
    const s = join([constant(1), constant(2), constant(1)], [3, 6]);
    expect(sample(s, 9)).toEqual([1, 1, 1, 2, 2, 2, 1, 1, 1]);
  });

  it('passes step − boundary to the next schedule', () => {
    const warm = linearSchedule({ initValue: 0, endValue: 0.1, transitionSteps: 500 });
    const cos = cosineDecay({ initValue: 0.1, decaySteps: 9500 });
    const s = join([warm, cos], [500]);
    expect(s(250)).toBe(warm(250));
    for (const t of [500, 501, 5000, 10_000, 1e6]) expect(s(t)).toBe(cos(t - 500));
    const seen: number[] = [];
    const spy = Object.assign(
      (t: number) => {
        seen.push(t);
        return 0;
      },
      { config: constant(0).config },
    );
    join([constant(1), spy, spy], [10, 25])(12);
    join([constant(1), spy, spy], [10, 25])(30);
    expect(seen).toEqual([2, 5]);
    expect(join([constant(4)], [])(7)).toBe(4);
  });

  it('nests configs, round-trips, is bounded', () => {
    const s = join([constant(1), cosineDecay({ initValue: 1, decaySteps: 10 })], [5]);
    expect(s.config).toEqual({
      type: 'join',
      schedules: [
        { type: 'constant', value: 1 },
        { type: 'cosineDecay', initValue: 1, decaySteps: 10, alpha: 0, exponent: 1 },
      ],
      boundaries: [5],
    });
    expectRoundTrip(s);
    checkBounded(COMBINATORS.join!, 200);
    checkRoundTrip(COMBINATORS.join!, scheduleFromConfig, 100);
  });

  it('rejects mismatched or unordered boundaries and non-schedules', () => {
    expectDescentError(() => join([], []), 'BAD_ARGUMENT', 'join.schedules');
    expectDescentError(
      () => join([constant(1), constant(2)], []),
      'BAD_ARGUMENT',
      'join.boundaries',
      '1 step',
    );
    expectDescentError(
      () => join([constant(1), constant(2)], [-1]),
      'BAD_HYPERPARAM',
      'join.boundaries[0]',
    );
    expectDescentError(
      () => join([constant(1), constant(2), constant(3)], [5, 5]),
      'BAD_HYPERPARAM',
      'join.boundaries[1]',
    );
    expectDescentError(
      () => join([constant(1), constant(2)], [Number.NaN]),
      'NON_FINITE',
      'join.boundaries[0]',
    );
    expectDescentError(
      () => join([constant(1), 3 as never], [2]),
      'BAD_ARGUMENT',
      'join.schedules[1]',
    );
    expectDescentError(
      () =>
        fromJson({ type: 'join', schedules: [{ type: 'constant', value: 1 }], boundaries: [3] }),
      'BAD_ARGUMENT',
      'join.boundaries',
    );
    expectDescentError(
      () =>
        fromJson({
          type: 'join',
          schedules: [{ type: 'constant', value: 1 }],
          boundaries: [],
          extra: 1,
        }),
      'UNKNOWN_PARAM',
      'extra',
    );
  });
});
