import { scheduleFromConfig } from '@descent/core';
import { describe, expect, it } from 'vitest';
import { oneCycle } from './one-cycle';
import { sample } from './sample';
import { checkBounded, checkRoundTrip, LEAVES } from './test-support/arbitraries';
import { expectDescentError } from '@descent/core/testing';
import { expectRoundTrip, expectValues, fromJson } from './test-support/round-trip';

/** torch `OneCycleLR._annealing_cos`. */
const annealCos = (start: number, end: number, pct: number) =>
  end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);

describe('oneCycle', () => {
  it('matches the public vector (linear, max 25, pctStart 0.3, divFactor 25, finalDivFactor 2, total 10)', () => {
    // torch test_lr_scheduler.py test_onecycle_lr_linear_annealing
    const s = oneCycle({
      maxValue: 25,
      totalSteps: 10,
      pctStart: 0.3,
      divFactor: 25,
      finalDivFactor: 2,
      anneal: 'linear',
    });
    expectValues(sample(s, 10), [1, 13, 25, 21.5, 18, 14.5, 11, 7.5, 4, 0.5]);
  });

  it('matches torch test_onecycle_lr_cosine_annealing', () => {
    const s = oneCycle({ maxValue: 25, totalSteps: 10, finalDivFactor: 2 });
    const expected = [1, 13, 25, ...[1, 2, 3, 4, 5, 6].map((k) => annealCos(25, 0.5, k / 7)), 0.5];
    expectValues(sample(s, 10), expected);
  });

  it('matches torch test_onecycle_lr_linear_annealing_three_phases', () => {
    const s = oneCycle({
      maxValue: 25,
      totalSteps: 10,
      pctStart: 0.4,
      divFactor: 25,
      finalDivFactor: 4,
      anneal: 'linear',
      threePhase: true,
    });
    expectValues(sample(s, 10), [1, 9, 17, 25, 17, 9, 1, 0.75, 0.5, 0.25]);
  });

  it('holds the final value past totalSteps (torch extrapolates at T, raises after)', () => {
    const s = oneCycle({ maxValue: 25, totalSteps: 10, finalDivFactor: 2, anneal: 'linear' });
    for (const t of [9, 10, 11, 1000, 1e6]) expect(s(t)).toBeCloseTo(0.5, 12);
    // pctStart·T = 1: torch's first phase is empty (0/0 = NaN); here it is finished at step 0
    const tiny = oneCycle({ maxValue: 1, totalSteps: 10, pctStart: 0.1, threePhase: true });
    expect(sample(tiny, 12).every(Number.isFinite)).toBe(true);
    expect(tiny(0)).toBe(1);
  });

  it('has torch’s defaults', () => {
    expect(oneCycle({ maxValue: 0.1, totalSteps: 100 }).config).toEqual({
      type: 'oneCycle',
      maxValue: 0.1,
      totalSteps: 100,
      pctStart: 0.3,
      divFactor: 25,
      finalDivFactor: 1e4,
      anneal: 'cos',
      threePhase: false,
    });
  });

  it('is finite and bounded for all steps; round-trips', () => {
    checkBounded(LEAVES.oneCycle!);
    checkRoundTrip(LEAVES.oneCycle!, scheduleFromConfig);
    expectRoundTrip(
      oneCycle({ maxValue: 0.4, totalSteps: 1000, threePhase: true, anneal: 'linear' }),
    );
  });

  it('rejects pctStart ∉ (0, 1), bad factors, unknown anneal — at construction and from config', () => {
    const base = { maxValue: 0.1, totalSteps: 100 };
    for (const pctStart of [0, 1, -0.1, 1.5]) {
      expectDescentError(
        () => oneCycle({ ...base, pctStart }),
        'BAD_HYPERPARAM',
        'oneCycle.pctStart',
      );
      expectDescentError(
        () => fromJson({ type: 'oneCycle', ...base, pctStart }),
        'BAD_HYPERPARAM',
        'oneCycle.pctStart',
      );
    }
    expectDescentError(() => oneCycle({ ...base, pctStart: Number.NaN }), 'NON_FINITE', 'pctStart');
    expectDescentError(
      () => oneCycle({ ...base, pctStart: 0.6, threePhase: true }),
      'BAD_HYPERPARAM',
      'pctStart',
      'threePhase',
    );
    expectDescentError(
      () => oneCycle({ ...base, totalSteps: 0 }),
      'BAD_HYPERPARAM',
      'oneCycle.totalSteps',
    );
    expectDescentError(
      () => oneCycle({ ...base, totalSteps: 10.5 }),
      'BAD_HYPERPARAM',
      'totalSteps',
    );
    expectDescentError(
      () => oneCycle({ ...base, divFactor: 0 }),
      'BAD_HYPERPARAM',
      'oneCycle.divFactor',
    );
    expectDescentError(
      () => oneCycle({ ...base, finalDivFactor: -1 }),
      'BAD_HYPERPARAM',
      'finalDivFactor',
    );
    expectDescentError(
      () => oneCycle({ ...base, anneal: 'cosine' as 'cos' }),
      'BAD_HYPERPARAM',
      'oneCycle.anneal',
    );
    expectDescentError(
      () => oneCycle({ ...base, threePhase: 1 as unknown as boolean }),
      'BAD_HYPERPARAM',
      'threePhase',
    );
    expectDescentError(() => oneCycle({ ...base, epochs: 3 } as never), 'UNKNOWN_PARAM', 'epochs');
  });
});
