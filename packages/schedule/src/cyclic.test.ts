import { scheduleFromConfig } from '@descent/core';
import { describe, expect, it } from 'vitest';
import { cyclic } from './cyclic';
import { sample } from './sample';
import { checkBounded, checkRoundTrip, LEAVES } from './test-support/arbitraries';
import { expectDescentError } from '@descent/core/testing';
import { expectRoundTrip, expectValues, fromJson } from './test-support/round-trip';

/** Triangle heights 0 → 1 → 0 of a cycle with stepSizeUp = stepSizeDown = 4. */
const TRIANGLE = [0, 0.25, 0.5, 0.75, 1, 0.75, 0.5, 0.25];

describe('cyclic', () => {
  it('matches the public vector: triangular, base 1, max 5, stepSizeUp 4', () => {
    // torch test_lr_scheduler.py test_cycle_lr_triangular_mode
    const s = cyclic({ baseValue: 1, maxValue: 5, stepSizeUp: 4 });
    expectValues(sample(s, 11), [1, 2, 3, 4, 5, 4, 3, 2, 1, 2, 3]);
    expect(s(1e6)).toBe(1); // 10⁶ is a multiple of the cycle length 8
  });

  it('matches torch test_cycle_lr_triangular_mode_step_size_up_down (up 4, down 6)', () => {
    const s = cyclic({ baseValue: 1, maxValue: 5, stepSizeUp: 4, stepSizeDown: 6 });
    expectValues(sample(s, 11), [1, 2, 3, 4, 5, 13 / 3, 11 / 3, 9 / 3, 7 / 3, 5 / 3, 1]);
  });

  it('triangular2 halves the amplitude every cycle (Smith 2017; torch scale_fn 1/2^(cycle−1))', () => {
    const s = cyclic({ baseValue: 1, maxValue: 5, stepSizeUp: 4, mode: 'triangular2' });
    const expected = [1, 2, 3].flatMap((cycle) =>
      TRIANGLE.map((h) => 1 + (4 * h) / 2 ** (cycle - 1)),
    );
    expectValues(sample(s, 24), expected);
    expect(expected.slice(8, 16)).toEqual([1, 1.5, 2, 2.5, 3, 2.5, 2, 1.5]);
  });

  it('expRange scales the amplitude by γ^t in iterations (torch scale_mode "iterations")', () => {
    const gamma = 0.9;
    const s = cyclic({ baseValue: 1, maxValue: 5, stepSizeUp: 4, mode: 'expRange', gamma });
    const expected = Array.from(
      { length: 24 },
      (_, t) => 1 + 4 * (TRIANGLE[t % 8] as number) * gamma ** t,
    );
    expectValues(sample(s, 24), expected);
  });

  it('stepSizeDown 0 gives a sawtooth; defaults are torch’s', () => {
    expectValues(
      sample(cyclic({ baseValue: 0, maxValue: 1, stepSizeUp: 4, stepSizeDown: 0 }), 9),
      [0, 0.25, 0.5, 0.75, 0, 0.25, 0.5, 0.75, 0],
    );
    expect(cyclic({ baseValue: 0.001, maxValue: 0.006 }).config).toEqual({
      type: 'cyclic',
      baseValue: 0.001,
      maxValue: 0.006,
      stepSizeUp: 2000,
      stepSizeDown: 2000,
      mode: 'triangular',
      gamma: 1,
    });
  });

  it('is finite and bounded for all steps; round-trips', () => {
    checkBounded(LEAVES.cyclic!);
    checkRoundTrip(LEAVES.cyclic!, scheduleFromConfig);
    expectRoundTrip(
      cyclic({ baseValue: 1, maxValue: 5, stepSizeUp: 4, mode: 'expRange', gamma: 0.99 }),
    );
  });

  it('rejects an unknown mode and bad step sizes', () => {
    const base = { baseValue: 1, maxValue: 5 };
    expectDescentError(
      () => cyclic({ ...base, mode: 'exp_range' as 'expRange' }),
      'BAD_HYPERPARAM',
      'cyclic.mode',
      "'expRange'",
    );
    expectDescentError(
      () => cyclic({ ...base, stepSizeUp: 0 }),
      'BAD_HYPERPARAM',
      'cyclic.stepSizeUp',
    );
    expectDescentError(
      () => cyclic({ ...base, stepSizeDown: -2 }),
      'BAD_HYPERPARAM',
      'cyclic.stepSizeDown',
    );
    expectDescentError(() => cyclic({ ...base, gamma: 1.5 }), 'BAD_HYPERPARAM', 'cyclic.gamma');
    expectDescentError(() => cyclic({ ...base, gamma: 0 }), 'BAD_HYPERPARAM', 'gamma');
    expectDescentError(
      () => cyclic({ baseValue: 1 } as never),
      'BAD_HYPERPARAM',
      'cyclic.maxValue',
    );
    expectDescentError(
      () => fromJson({ type: 'cyclic', ...base, mode: 'sine' }),
      'BAD_HYPERPARAM',
      'mode',
    );
    expectDescentError(
      () => fromJson({ type: 'cyclic', ...base, scaleFn: 'x' }),
      'UNKNOWN_PARAM',
      'scaleFn',
    );
  });
});
