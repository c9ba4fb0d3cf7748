import { scheduleFromConfig } from '@descent/core';
import { describe, expect, it } from 'vitest';
import { cosineDecay } from './cosine-decay';
import { join } from './join';
import { linearSchedule } from './linear-schedule';
import { checkBounded, checkRoundTrip, LEAVES } from './test-support/arbitraries';
import { expectDescentError } from '@descent/core/testing';
import { expectRoundTrip, expectValues, fromJson } from './test-support/round-trip';
import { warmupCosineDecay } from './warmup-cosine-decay';

describe('warmupCosineDecay', () => {
  it('matches optax WarmupCosineDecayTest.test_limits', () => {
    for (const [initValue, peakValue, endValue] of [
      [10, 0.5, 1e-4],
      [5, 3, 0],
    ] as const) {
      const s = warmupCosineDecay({
        initValue,
        peakValue,
        warmupSteps: 100,
        decaySteps: 1000,
        endValue,
      });
      expectValues([s(0), s(100), s(1000)], [initValue, peakValue, endValue]);
    }
  });

  it('matches optax test_with_exponent and test_zero_peak_value (closed forms in float64)', () => {
    const s = warmupCosineDecay({
      initValue: 0.2,
      peakValue: 1.21,
      endValue: -3,
      warmupSteps: 50,
      decaySteps: 100,
      exponent: 2,
    });
    // 0.2; 0.2 + 1.01·10/50; 1.21; 1.21·0.25 − 3·0.75; −3
    expectValues([0, 10, 50, 75, 100].map(s), [0.2, 0.402, 1.21, -1.9475, -3]);
    const z = warmupCosineDecay({
      initValue: 0.2,
      peakValue: 0,
      endValue: -3,
      warmupSteps: 50,
      decaySteps: 100,
      exponent: 2,
    });
    expectValues([0, 10, 50, 75, 100].map(z), [0.2, 0.16, 0, 0, 0]);
  });

  it('decaySteps counts the warmup: equals join(linear, cosine(decaySteps − warmupSteps))', () => {
    const s = warmupCosineDecay({
      initValue: 0,
      peakValue: 1e-3,
      warmupSteps: 500,
      decaySteps: 10_000,
      endValue: 1e-5,
    });
    const j = join(
      [
        linearSchedule({ initValue: 0, endValue: 1e-3, transitionSteps: 500 }),
        cosineDecay({ initValue: 1e-3, decaySteps: 9500, alpha: 1e-5 / 1e-3 }),
      ],
      [500],
    );
    for (const t of [0, 250, 499, 500, 501, 5000, 9999, 10_000, 1e6])
      expect(s(t)).toBeCloseTo(j(t), 17);
    expect(s(250)).toBeCloseTo(5e-4, 15);
    const noWarmup = warmupCosineDecay({
      initValue: 9,
      peakValue: 1,
      warmupSteps: 0,
      decaySteps: 10,
    });
    expect(noWarmup(0)).toBe(1);
  });

  it('is finite and bounded for all steps; round-trips', () => {
    checkBounded(LEAVES.warmupCosineDecay!);
    checkRoundTrip(LEAVES.warmupCosineDecay!, scheduleFromConfig);
    expectRoundTrip(
      warmupCosineDecay({ initValue: 0, peakValue: 0.1, warmupSteps: 10, decaySteps: 100 }),
    );
  });

  it('rejects bad options', () => {
    const base = { initValue: 0, peakValue: 1, warmupSteps: 10, decaySteps: 100 };
    expectDescentError(
      () => warmupCosineDecay({ ...base, decaySteps: 10 }),
      'BAD_HYPERPARAM',
      'warmupCosineDecay.decaySteps',
      'warmupSteps',
    );
    expectDescentError(
      () => warmupCosineDecay({ ...base, warmupSteps: -1 }),
      'BAD_HYPERPARAM',
      'warmupSteps',
    );
    expectDescentError(
      () => warmupCosineDecay({ ...base, exponent: -1 }),
      'BAD_HYPERPARAM',
      'exponent',
    );
    expectDescentError(
      () => fromJson({ type: 'warmupCosineDecay', ...base, peakValue: null }),
      'BAD_HYPERPARAM',
      'peakValue',
    );
    expect(() => warmupCosineDecay(base)).not.toThrow();
  });
});
