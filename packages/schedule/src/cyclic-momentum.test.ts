import { scheduleFromConfig } from '@descent/core';
import { describe, expect, it } from 'vitest';
import { cyclic } from './cyclic';
import { cyclicMomentum } from './cyclic-momentum';
import { sample } from './sample';
import { checkBounded, checkRoundTrip, LEAVES } from './test-support/arbitraries';
import { expectDescentError } from '@descent/core/testing';
import { expectRoundTrip, expectValues } from './test-support/round-trip';

describe('cyclicMomentum', () => {
  // torch's vectors use base_momentum 1, max_momentum 5; momenta lie in [0, 1] here, so the
  // same cycle runs from 0.1 to 0.5 and is compared ×10.
  const x10 = (values: number[]) => values.map((v) => v * 10);

  it('cycles inversely: 5, 4, 3, 2, 1, 2, … (public vector; torch base_momentum 1, max_momentum 5)', () => {
    const m = cyclicMomentum({ baseMomentum: 0.1, maxMomentum: 0.5, stepSizeUp: 4 });
    expectValues(x10(sample(m, 11)), [5, 4, 3, 2, 1, 2, 3, 4, 5, 4, 3]);
    const lr = cyclic({ baseValue: 0.1, maxValue: 0.5, stepSizeUp: 4 });
    for (let t = 0; t < 40; t++) expect(m(t) + lr(t)).toBeCloseTo(0.6, 12);
  });

  it('matches torch test_cycle_lr_triangular_mode_step_size_up_down momentum targets', () => {
    const m = cyclicMomentum({
      baseMomentum: 0.1,
      maxMomentum: 0.5,
      stepSizeUp: 4,
      stepSizeDown: 6,
    });
    expectValues(x10(sample(m, 11)), [5, 4, 3, 2, 1, 5 / 3, 7 / 3, 3, 11 / 3, 13 / 3, 5]);
  });

  it('follows triangular2 and expRange like the learning-rate cycle', () => {
    for (const mode of ['triangular2', 'expRange'] as const) {
      const cycle = { stepSizeUp: 3, stepSizeDown: 5, mode, gamma: 0.95 };
      const m = cyclicMomentum({ baseMomentum: 0.8, maxMomentum: 0.95, ...cycle });
      const lr = cyclic({ baseValue: 0, maxValue: 1, ...cycle });
      for (let t = 0; t < 50; t++) expect(m(t)).toBeCloseTo(0.95 - 0.15 * lr(t), 12);
    }
  });

  it('has torch’s defaults, is bounded, round-trips, and validates', () => {
    expect(cyclicMomentum().config).toMatchObject({
      baseMomentum: 0.8,
      maxMomentum: 0.9,
      stepSizeUp: 2000,
    });
    checkBounded(LEAVES.cyclicMomentum!);
    checkRoundTrip(LEAVES.cyclicMomentum!, scheduleFromConfig);
    expectRoundTrip(cyclicMomentum({ mode: 'triangular2', stepSizeUp: 10 }));
    expectDescentError(
      () => cyclicMomentum({ baseMomentum: Number.NaN }),
      'NON_FINITE',
      'cyclicMomentum.baseMomentum',
    );
    expectDescentError(
      () => cyclicMomentum({ baseValue: 1 } as never),
      'UNKNOWN_PARAM',
      'baseValue',
    );
  });
});
