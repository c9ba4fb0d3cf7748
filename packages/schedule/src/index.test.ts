/**
 * The package entry: every schedule kind is registered on import, every export round-trips through
 * `JSON.stringify(config)` → `scheduleFromConfig`, and an invalid config fails with a DescentError
 * naming the field.
 */
import { hyperFromConfig, hyperToConfig, type Schedule, scheduleFromConfig } from '@descent/core';
import { describe, expect, it } from 'vitest';
import * as api from './index';
import { expectDescentError } from '@descent/core/testing';
import { expectRoundTrip, fromJson } from './test-support/round-trip';

const {
  constant,
  piecewiseConstant,
  piecewiseInterpolate,
  exponentialDecay,
  polynomialDecay,
  linearSchedule,
  cosineDecay,
  warmupCosineDecay,
  sgdr,
  cyclic,
  cyclicMomentum,
  oneCycle,
  oneCycleMomentum,
  linearWarmup,
  join,
  linearScaling,
  reduceOnPlateau,
} = api;

/** One instance of every kind (the README's examples). */
const EXAMPLES: Record<string, Schedule> = {
  constant: constant(0.1),
  piecewiseConstant: piecewiseConstant({
    initValue: 0.1,
    boundariesAndScales: { 300: 0.1, 600: 0.1 },
  }),
  piecewiseInterpolate: piecewiseInterpolate({
    initValue: 0.1,
    boundariesAndScales: { 300: 0.1, 600: 0.1 },
    interpolation: 'cosine',
  }),
  exponentialDecay: exponentialDecay({
    initValue: 0.1,
    transitionSteps: 100,
    decayRate: 0.5,
    staircase: true,
    endValue: 1e-3,
  }),
  polynomialDecay: polynomialDecay({
    initValue: 0.1,
    endValue: 1e-3,
    power: 2,
    transitionSteps: 800,
    transitionBegin: 100,
  }),
  linearSchedule: linearSchedule({ initValue: 0.1, endValue: 0, transitionSteps: 1000 }),
  cosineDecay: cosineDecay({ initValue: 0.1, decaySteps: 1000, alpha: 0.01 }),
  warmupCosineDecay: warmupCosineDecay({
    initValue: 0,
    peakValue: 0.1,
    warmupSteps: 100,
    decaySteps: 1000,
  }),
  sgdr: sgdr({ initValue: 0.1, t0: 100, tMult: 2 }),
  cyclic: cyclic({ baseValue: 0.01, maxValue: 0.1, stepSizeUp: 100, mode: 'triangular2' }),
  cyclicMomentum: cyclicMomentum({ baseMomentum: 0.85, maxMomentum: 0.95, stepSizeUp: 100 }),
  oneCycle: oneCycle({ maxValue: 0.1, totalSteps: 1000 }),
  oneCycleMomentum: oneCycleMomentum({ totalSteps: 1000 }),
  linearWarmup: linearWarmup(cosineDecay({ initValue: 0.1, decaySteps: 1000 }), {
    warmupSteps: 100,
  }),
  join: join([constant(0.1), sgdr({ initValue: 0.05, t0: 200 })], [200]),
  linearScaling: linearScaling({ baseValue: 0.1, baseBatchSize: 256, batchSize: 1024 }),
  reduceOnPlateau: reduceOnPlateau({ patience: 2 }).schedule(
    cosineDecay({ initValue: 0.1, decaySteps: 1000 }),
  ),
};

/** An invalid config per kind and the field its error must name. */
const INVALID: [object, string, string][] = [
  [{ type: 'constant', value: null }, 'BAD_HYPERPARAM', 'constant.value'],
  [
    { type: 'piecewiseConstant', initValue: 1, boundariesAndScales: { '-5': 1 } },
    'BAD_HYPERPARAM',
    'boundariesAndScales',
  ],
  [
    { type: 'piecewiseInterpolate', initValue: 1, interpolation: 'quadratic' },
    'BAD_HYPERPARAM',
    'interpolation',
  ],
  [
    { type: 'exponentialDecay', initValue: 1, transitionSteps: -1, decayRate: 0.5 },
    'BAD_HYPERPARAM',
    'transitionSteps',
  ],
  [
    { type: 'polynomialDecay', initValue: 1, endValue: 0, transitionSteps: 10, power: -2 },
    'BAD_HYPERPARAM',
    'power',
  ],
  [
    { type: 'linearSchedule', initValue: 1, endValue: 0, transitionSteps: 10, transitionBegin: -1 },
    'BAD_HYPERPARAM',
    'transitionBegin',
  ],
  [{ type: 'cosineDecay', initValue: 1, decaySteps: 0 }, 'BAD_HYPERPARAM', 'decaySteps'],
  [
    { type: 'warmupCosineDecay', initValue: 0, peakValue: 1, warmupSteps: 10, decaySteps: 5 },
    'BAD_HYPERPARAM',
    'decaySteps',
  ],
  [{ type: 'sgdr', initValue: 1, t0: -10 }, 'BAD_HYPERPARAM', 't0'],
  [{ type: 'cyclic', baseValue: 0, maxValue: 1, mode: 'exp_range' }, 'BAD_HYPERPARAM', 'mode'],
  [{ type: 'cyclicMomentum', stepSizeUp: 0 }, 'BAD_HYPERPARAM', 'stepSizeUp'],
  [{ type: 'oneCycle', maxValue: 1, totalSteps: 100, pctStart: 1.2 }, 'BAD_HYPERPARAM', 'pctStart'],
  [{ type: 'oneCycleMomentum', totalSteps: 100, pctStart: 0 }, 'BAD_HYPERPARAM', 'pctStart'],
  [
    { type: 'linearWarmup', schedule: { type: 'constant', value: 1 }, warmupSteps: -5 },
    'BAD_HYPERPARAM',
    'warmupSteps',
  ],
  [
    {
      type: 'join',
      schedules: [
        { type: 'constant', value: 1 },
        { type: 'constant', value: 2 },
      ],
      boundaries: [-1],
    },
    'BAD_HYPERPARAM',
    'boundaries[0]',
  ],
  [
    { type: 'linearScaling', baseValue: 0.1, baseBatchSize: 0, batchSize: 4 },
    'BAD_HYPERPARAM',
    'baseBatchSize',
  ],
  [{ type: 'reduceOnPlateau', mode: 'up' }, 'BAD_HYPERPARAM', 'mode'],
  [
    { type: 'cosineDecay', initValue: 1, decaySteps: 10, decay_steps: 10 },
    'UNKNOWN_PARAM',
    'decay_steps',
  ],
];

describe('@descent/schedule', () => {
  it('exports every schedule of the survey §5.1 and registers each kind on import', () => {
    expect(Object.keys(EXAMPLES).sort()).toEqual(
      Object.keys(api)
        .filter((k) => k in EXAMPLES)
        .sort(),
    );
    for (const [kind, s] of Object.entries(EXAMPLES)) {
      expect(s.config.type).toBe(kind);
      expect(() => scheduleFromConfig(JSON.parse(JSON.stringify(s.config)))).not.toThrow();
    }
  });

  it('round-trips every kind through JSON to identical values', () => {
    for (const s of Object.values(EXAMPLES)) {
      expectRoundTrip(
        s,
        Array.from({ length: 1200 }, (_, t) => t),
      );
      // and through the optimizers' hyperparameter helpers
      const back = hyperFromConfig(JSON.parse(JSON.stringify(hyperToConfig(s)))) as Schedule;
      expect(back(777)).toBe(s(777));
    }
  });

  it('fails on an invalid config with a DescentError naming the field', () => {
    for (const [config, code, field] of INVALID) {
      expectDescentError(() => fromJson(config), code as 'BAD_HYPERPARAM', field);
    }
    // NaN cannot go through JSON (it becomes null); straight into scheduleFromConfig it is NON_FINITE
    expectDescentError(
      () => scheduleFromConfig({ type: 'cosineDecay', initValue: Number.NaN, decaySteps: 10 }),
      'NON_FINITE',
      'cosineDecay.initValue',
    );
    expectDescentError(
      () => scheduleFromConfig({ type: 'sgdr', initValue: 1, t0: Number.POSITIVE_INFINITY }),
      'NON_FINITE',
      'sgdr.t0',
    );
  });

  it('values are finite at every step 0…10⁶ for the examples (dense check)', () => {
    for (const [kind, s] of Object.entries(EXAMPLES)) {
      for (let t = 0; t <= 1_000_000; t += 997) {
        if (!Number.isFinite(s(t))) throw new Error(`${kind}(${t}) = ${s(t)}`);
      }
      expect(Number.isFinite(s(1_000_000))).toBe(true);
    }
  });
});
