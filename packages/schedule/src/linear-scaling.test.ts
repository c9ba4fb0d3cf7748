import { scheduleFromConfig } from '@descent/core';
import { describe, expect, it } from 'vitest';
import { cosineDecay } from './cosine-decay';
import { linearScaling } from './linear-scaling';
import { checkBounded, checkRoundTrip, COMBINATORS } from './test-support/arbitraries';
import { expectDescentError } from '@descent/core/testing';
import { expectRoundTrip, fromJson } from './test-support/round-trip';

describe('linearScaling', () => {
  it('multiplies by B/B₀ (Goyal et al. 2017: 0.1 per 256 → 3.2 at 8192)', () => {
    const s = linearScaling({ baseValue: 0.1, baseBatchSize: 256, batchSize: 8192 });
    expect(s(0)).toBeCloseTo(3.2, 15);
    expect(s(1e6)).toBe(s(0));
    expect(linearScaling({ baseValue: 0.1, baseBatchSize: 256, batchSize: 64 })(3)).toBeCloseTo(
      0.025,
      16,
    );
  });

  it('scales a whole schedule', () => {
    const base = cosineDecay({ initValue: 0.1, decaySteps: 100 });
    const s = linearScaling({ baseValue: base, baseBatchSize: 128, batchSize: 1024 });
    for (const t of [0, 10, 50, 99, 100]) expect(s(t)).toBe(base(t) * 8);
    expect(s.config.baseValue).toEqual(base.config);
  });

  it('round-trips (number and schedule bases), is bounded', () => {
    expectRoundTrip(linearScaling({ baseValue: 0.1, baseBatchSize: 256, batchSize: 1000 }));
    expectRoundTrip(
      linearScaling({
        baseValue: cosineDecay({ initValue: 1, decaySteps: 9 }),
        baseBatchSize: 3,
        batchSize: 7,
      }),
    );
    checkBounded(COMBINATORS.linearScaling!, 200);
    checkRoundTrip(COMBINATORS.linearScaling!, scheduleFromConfig, 100);
  });

  it('rejects bad batch sizes and base values', () => {
    const ok = { baseValue: 0.1, baseBatchSize: 256, batchSize: 512 };
    expectDescentError(
      () => linearScaling({ ...ok, baseBatchSize: 0 }),
      'BAD_HYPERPARAM',
      'linearScaling.baseBatchSize',
    );
    expectDescentError(
      () => linearScaling({ ...ok, batchSize: 12.5 }),
      'BAD_HYPERPARAM',
      'linearScaling.batchSize',
    );
    expectDescentError(
      () => linearScaling({ ...ok, baseValue: Number.NaN }),
      'NON_FINITE',
      'linearScaling.baseValue',
    );
    expectDescentError(
      () => linearScaling({ ...ok, baseValue: 'x' as never }),
      'BAD_HYPERPARAM',
      'baseValue',
    );
    expectDescentError(
      () => fromJson({ type: 'linearScaling', ...ok, batchSize: -4 }),
      'BAD_HYPERPARAM',
      'batchSize',
    );
  });
});
