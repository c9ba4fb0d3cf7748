import { scheduleFromConfig } from '@descent/core';
import { describe, expect, it } from 'vitest';
import { sample } from './sample';
import { sgdr } from './sgdr';
import { checkBounded, checkRoundTrip, LEAVES } from './test-support/arbitraries';
import { expectDescentError } from '@descent/core/testing';
import { expectRoundTrip, expectValues, fromJson } from './test-support/round-trip';

/**
 * torch test_lr_scheduler.py test_CosineAnnealingWarmRestarts_lr1's target loop: T_cur += 1 each
 * step; on T_cur ≥ T_i, T_cur −= T_i and T_i ×= T_mult; η = η_min + (η₀ − η_min)(1 + cos(πT_cur/T_i))/2.
 */
function torchTargets(
  base: number,
  etaMin: number,
  t0: number,
  tMult: number,
  n: number,
): number[] {
  let ti = t0;
  let tCur = 0;
  const out = [base];
  for (let i = 1; i < n; i++) {
    tCur += 1;
    if (tCur >= ti) {
      tCur -= ti;
      ti *= tMult;
    }
    out.push(etaMin + ((base - etaMin) * (1 + Math.cos((Math.PI * tCur) / ti))) / 2);
  }
  return out;
}

describe('sgdr', () => {
  it('matches torch CosineAnnealingWarmRestarts (T_0 10, T_mult 1, 2, 4, eta_min 1e-10, 100 steps)', () => {
    for (const tMult of [1, 2, 4]) {
      const s = sgdr({ initValue: 0.05, t0: 10, tMult, etaMin: 1e-10 });
      expectValues(sample(s, 100), torchTargets(0.05, 1e-10, 10, tMult, 100));
    }
  });

  it('restarts at T₀, T₀(1 + T_mult), … (Loshchilov & Hutter 2017)', () => {
    const s = sgdr({ initValue: 0.1, t0: 10, tMult: 2, etaMin: 0.001 });
    for (const t of [0, 10, 30, 70, 150, 310]) expect(s(t)).toBe(0.1);
    expect(s(5)).toBeCloseTo(0.001 + 0.099 * 0.5, 15);
    expect(s(20)).toBeCloseTo(0.001 + 0.099 * 0.5, 15); // middle of the 20-step cycle
    expect(s(29)).toBeCloseTo(0.001 + (0.099 * (1 + Math.cos((Math.PI * 19) / 20))) / 2, 15);
    expect(sgdr({ initValue: 1, t0: 3 }).config).toEqual({
      type: 'sgdr',
      initValue: 1,
      t0: 3,
      tMult: 1,
      etaMin: 0,
    });
  });

  it('is finite and bounded for all steps; round-trips', () => {
    checkBounded(LEAVES.sgdr!);
    checkRoundTrip(LEAVES.sgdr!, scheduleFromConfig);
    expectRoundTrip(sgdr({ initValue: 0.1, t0: 7, tMult: 3, etaMin: 1e-4 }));
  });

  it('rejects bad options', () => {
    expectDescentError(() => sgdr({ initValue: 0.1, t0: 0 }), 'BAD_HYPERPARAM', 'sgdr.t0');
    expectDescentError(
      () => sgdr({ initValue: 0.1, t0: 10, tMult: 0 }),
      'BAD_HYPERPARAM',
      'sgdr.tMult',
    );
    expectDescentError(
      () => sgdr({ initValue: 0.1, t0: 10, tMult: 1.5 }),
      'BAD_HYPERPARAM',
      'tMult',
    );
    expectDescentError(
      () => sgdr({ initValue: 0.1, t0: 10, etaMin: Number.NEGATIVE_INFINITY }),
      'NON_FINITE',
      'etaMin',
    );
    expectDescentError(
      () => fromJson({ type: 'sgdr', initValue: 0.1, t0: 10, T_mult: 2 }),
      'UNKNOWN_PARAM',
      'T_mult',
    );
  });
});
