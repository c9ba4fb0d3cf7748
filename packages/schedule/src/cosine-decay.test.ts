import { scheduleFromConfig } from '@descent/core';
import { describe, expect, it } from 'vitest';
import { cosineDecay } from './cosine-decay';
import { sample } from './sample';
import { checkBounded, checkRoundTrip, LEAVES } from './test-support/arbitraries';
import { expectDescentError } from '@descent/core/testing';
import { expectRoundTrip, expectValues, fromJson } from './test-support/round-trip';

const multiplier = (fractions: number[]) => fractions.map((f) => 0.5 + 0.5 * Math.cos(Math.PI * f));

describe('cosineDecay', () => {
  it('matches the public vector: cosineDecay(0.1, 100, exponent 2) at 0, 10, 50, 75, 100', () => {
    // optax CosineDecayTest.test_with_exponent
    const s = cosineDecay({ initValue: 0.1, decaySteps: 100, exponent: 2 });
    // float64 values of the closed form (optax's test lists float32 ones, e.g. 0.0951655358)
    expectValues(
      [0, 10, 50, 75, 100].map(s),
      [0.1, 0.0951655382444445, 0.025, 0.0021446609406726, 0],
    );
    // the published 6-significant-digit vector
    const survey = [0.1, 0.0951655, 0.025, 0.00214466, 0];
    for (const [i, t] of [0, 10, 50, 75, 100].entries()) {
      expect(s(t)).toBeCloseTo(survey[i] as number, 7);
    }
    // closed form 0.1·(½(1 + cos(πt/100)))²
    for (const t of [10, 75])
      expect(s(t)).toBeCloseTo(0.1 * (0.5 * (1 + Math.cos((Math.PI * t) / 100))) ** 2, 15);
  });

  it('matches optax CosineDecayTest (decay_steps 10 and 5, alpha 0.1, giant steps)', () => {
    const fr = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
    expectValues(
      sample(cosineDecay({ initValue: 0.1, decaySteps: 10, alpha: 0 }), 10),
      multiplier(fr).map((m) => 0.1 * m),
    );
    const held = [0, 0.2, 0.4, 0.6, 0.8, 1, 1, 1, 1, 1, 1, 1];
    expectValues(
      sample(cosineDecay({ initValue: 0.1, decaySteps: 5 }), 12),
      multiplier(held).map((m) => 0.1 * m),
    );
    expectValues(
      sample(cosineDecay({ initValue: 0.1, decaySteps: 5, alpha: 0.1 }), 12),
      multiplier(held).map((m) => 0.1 * (0.9 * m + 0.1)),
    );
    // test_with_giant_int_steps: 1000 · ½(1 + cos(0.1π)) = 975.528258…
    expect(cosineDecay({ initValue: 1000, decaySteps: 1e10 })(1e9)).toBeCloseTo(
      500 * (1 + Math.cos(0.1 * Math.PI)),
      9,
    );
  });

  it('alpha is the final multiplier (optax), not an absolute minimum', () => {
    const s = cosineDecay({ initValue: 2, decaySteps: 10, alpha: 0.25 });
    expect(s(10)).toBe(0.5);
    expect(s(1e6)).toBe(0.5);
    expect(s.config).toEqual({
      type: 'cosineDecay',
      initValue: 2,
      decaySteps: 10,
      alpha: 0.25,
      exponent: 1,
    });
  });

  it('is finite and bounded for all steps; round-trips', () => {
    checkBounded(LEAVES.cosineDecay!);
    checkRoundTrip(LEAVES.cosineDecay!, scheduleFromConfig);
    expectRoundTrip(cosineDecay({ initValue: 0.1, decaySteps: 100, exponent: 2 }));
  });

  it('rejects bad options at construction and in scheduleFromConfig', () => {
    expectDescentError(
      () => cosineDecay({ initValue: 0.1, decaySteps: 0 }),
      'BAD_HYPERPARAM',
      'cosineDecay.decaySteps',
    );
    expectDescentError(
      () => cosineDecay({ initValue: 0.1, decaySteps: -10 }),
      'BAD_HYPERPARAM',
      'decaySteps',
    );
    expectDescentError(
      () => cosineDecay({ initValue: 0.1, decaySteps: 10, exponent: 0 }),
      'BAD_HYPERPARAM',
      'exponent',
    );
    expectDescentError(
      () => cosineDecay({ initValue: Number.NaN, decaySteps: 10 }),
      'NON_FINITE',
      'cosineDecay.initValue',
    );
    expectDescentError(
      () => cosineDecay({ initValue: 0.1, decaySteps: 10, alpha: Number.NaN }),
      'NON_FINITE',
      'alpha',
    );
    expectDescentError(
      () => cosineDecay({ initValue: 0.1, decaySteps: 10, eta_min: 0 } as never),
      'UNKNOWN_PARAM',
      'eta_min',
    );
    expectDescentError(
      () => cosineDecay(undefined as never),
      'BAD_ARGUMENT',
      'cosineDecay options',
    );
    expectDescentError(
      () => fromJson({ type: 'cosineDecay', initValue: 0.1, decaySteps: -1 }),
      'BAD_HYPERPARAM',
      'cosineDecay.decaySteps',
    );
    expectDescentError(
      () => fromJson({ type: 'cosineDecay', decaySteps: 10 }),
      'BAD_HYPERPARAM',
      'initValue',
    );
  });
});
