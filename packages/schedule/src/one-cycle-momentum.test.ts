import { scheduleFromConfig } from '@descent/core';
import { describe, expect, it } from 'vitest';
import { oneCycle } from './one-cycle';
import { oneCycleMomentum } from './one-cycle-momentum';
import { sample } from './sample';
import { checkBounded, checkRoundTrip, LEAVES } from './test-support/arbitraries';
import { expectDescentError } from '@descent/core/testing';
import { expectRoundTrip, expectValues, fromJson } from './test-support/round-trip';

const annealCos = (start: number, end: number, pct: number) =>
  end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);

describe('oneCycleMomentum', () => {
  // torch's vectors use base_momentum 1, max_momentum 22; momenta lie in [0, 1] here, so the
  // same cycle runs from 1/22 to 1 and is compared ×22.
  const x22 = (values: number[]) => values.map((v) => v * 22);

  it('matches torch test_onecycle_lr_linear_annealing momentum (base 1, max 22)', () => {
    const m = oneCycleMomentum({
      baseMomentum: 1 / 22,
      maxMomentum: 1,
      totalSteps: 10,
      anneal: 'linear',
    });
    expectValues(x22(sample(m, 10)), [22, 11.5, 1, 4, 7, 10, 13, 16, 19, 22]);
  });

  it('matches torch test_onecycle_lr_cosine_annealing momentum', () => {
    const m = oneCycleMomentum({ baseMomentum: 1 / 22, maxMomentum: 1, totalSteps: 10 });
    expectValues(x22(sample(m, 10)), [
      22,
      11.5,
      1,
      ...[1, 2, 3, 4, 5, 6].map((k) => annealCos(1, 22, k / 7)),
      22,
    ]);
  });

  it('matches torch test_onecycle_lr_linear_annealing_three_phases momentum', () => {
    const m = oneCycleMomentum({
      baseMomentum: 1 / 22,
      maxMomentum: 1,
      totalSteps: 10,
      pctStart: 0.4,
      anneal: 'linear',
      threePhase: true,
    });
    expectValues(x22(sample(m, 10)), [22, 15, 8, 1, 8, 15, 22, 22, 22, 22]);
  });

  it('cycles inversely to oneCycle with the same phases; holds μ_max afterwards', () => {
    const phases = { totalSteps: 97, pctStart: 0.27, anneal: 'cos' as const };
    const lr = oneCycle({ maxValue: 1, divFactor: 1e12, finalDivFactor: 1, ...phases });
    const m = oneCycleMomentum({ baseMomentum: 0.85, maxMomentum: 0.95, ...phases });
    for (let t = 0; t < 120; t++) expect(m(t)).toBeCloseTo(0.95 - 0.1 * lr(t), 9);
    expect(m(1e6)).toBe(0.95);
    expect(oneCycleMomentum({ totalSteps: 5 }).config).toMatchObject({
      baseMomentum: 0.85,
      maxMomentum: 0.95,
    });
  });

  it('is finite and bounded for all steps; round-trips; validates', () => {
    checkBounded(LEAVES.oneCycleMomentum!);
    checkRoundTrip(LEAVES.oneCycleMomentum!, scheduleFromConfig);
    expectRoundTrip(oneCycleMomentum({ totalSteps: 1000, threePhase: true }));
    expectDescentError(
      () => oneCycleMomentum({ totalSteps: 10, pctStart: 1 }),
      'BAD_HYPERPARAM',
      'oneCycleMomentum.pctStart',
    );
    expectDescentError(
      () => oneCycleMomentum({ totalSteps: 10, divFactor: 25 } as never),
      'UNKNOWN_PARAM',
      'divFactor',
    );
    expectDescentError(
      () => oneCycleMomentum({} as never),
      'BAD_HYPERPARAM',
      'oneCycleMomentum.totalSteps',
    );
    expectDescentError(
      () => fromJson({ type: 'oneCycleMomentum', totalSteps: 10, anneal: 'quadratic' }),
      'BAD_HYPERPARAM',
      'anneal',
    );
  });
});
