import { scheduleFromConfig } from '@descent/core';
import { describe, expect, it } from 'vitest';
import { constant } from './constant';
import { cosineDecay } from './cosine-decay';
import { linearWarmup } from './linear-warmup';
import { piecewiseConstant } from './piecewise-constant';
import { sample } from './sample';
import { checkBounded, checkRoundTrip, COMBINATORS } from './test-support/arbitraries';
import { expectDescentError } from '@descent/core/testing';
import { expectRoundTrip, expectValues, fromJson } from './test-support/round-trip';

describe('linearWarmup', () => {
  it('ramps from initValue to s(W), then follows s in absolute steps (Goyal et al. 2017)', () => {
    const inner = cosineDecay({ initValue: 1, decaySteps: 100 });
    const s = linearWarmup(inner, { warmupSteps: 10, initValue: 0.1 });
    const target = inner(10);
    for (let t = 0; t < 10; t++) expect(s(t)).toBeCloseTo(0.1 + ((target - 0.1) * t) / 10, 15);
    for (const t of [10, 11, 50, 100, 1e6]) expect(s(t)).toBe(inner(t));
    expect(s(9.5)).toBeCloseTo(0.1 + (target - 0.1) * 0.95, 15);
  });

  it('reproduces Goyal et al.’s ImageNet recipe: 0.1 → 3.2 over 5 epochs, ÷10 at 30, 60, 80', () => {
    const E = 10; // steps per epoch
    const steps = piecewiseConstant({
      initValue: 3.2,
      boundariesAndScales: { [30 * E]: 0.1, [60 * E]: 0.1, [80 * E]: 0.1 },
    });
    const lr = linearWarmup(steps, { warmupSteps: 5 * E, initValue: 0.1 });
    expectValues(
      [0, 25, 50, 299, 300, 600, 800].map(lr),
      [0.1, 1.65, 3.2, 3.2, 0.32, 0.032, 0.0032],
    );
  });

  it('defaults initValue to 0; warmupSteps 0 is the identity', () => {
    const s = linearWarmup(constant(2), { warmupSteps: 4 });
    expectValues(sample(s, 6), [0, 0.5, 1, 1.5, 2, 2]);
    const id = linearWarmup(constant(2), { warmupSteps: 0 });
    expect(sample(id, 3)).toEqual([2, 2, 2]);
  });

  it('nests the inner config, round-trips, is bounded', () => {
    const s = linearWarmup(cosineDecay({ initValue: 0.1, decaySteps: 50 }), { warmupSteps: 5 });
    expect(s.config).toEqual({
      type: 'linearWarmup',
      schedule: { type: 'cosineDecay', initValue: 0.1, decaySteps: 50, alpha: 0, exponent: 1 },
      warmupSteps: 5,
      initValue: 0,
    });
    expectRoundTrip(s);
    checkBounded(COMBINATORS.linearWarmup!, 200);
    checkRoundTrip(COMBINATORS.linearWarmup!, scheduleFromConfig, 100);
  });

  it('rejects a non-schedule and bad options, also nested in a config', () => {
    expectDescentError(
      () => linearWarmup((() => 1) as never, { warmupSteps: 3 }),
      'BAD_ARGUMENT',
      'linearWarmup.schedule',
    );
    expectDescentError(
      () => linearWarmup(constant(1), { warmupSteps: -3 }),
      'BAD_HYPERPARAM',
      'linearWarmup.warmupSteps',
    );
    expectDescentError(
      () => linearWarmup(constant(1), {} as never),
      'BAD_HYPERPARAM',
      'warmupSteps',
    );
    expectDescentError(
      () =>
        fromJson({
          type: 'linearWarmup',
          schedule: { type: 'cosineDecay', initValue: 1, decaySteps: 0 },
          warmupSteps: 3,
          initValue: 0,
        }),
      'BAD_HYPERPARAM',
      'cosineDecay.decaySteps',
    );
    expectDescentError(
      () => fromJson({ type: 'linearWarmup', warmupSteps: 3 }),
      'BAD_ARGUMENT',
      'linearWarmup.schedule',
    );
    expectDescentError(
      () => fromJson({ type: 'linearWarmup', schedule: { type: 'nope' }, warmupSteps: 3 }),
      'BAD_ARGUMENT',
      'nope',
    );
  });
});
