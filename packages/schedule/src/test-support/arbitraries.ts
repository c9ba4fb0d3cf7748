/**
 * fast-check arbitraries of valid options for every schedule kind, and the range `[lo, hi]` each
 * schedule's values must stay in (from its closed form), for the property tests.
 */
import type { Schedule, ScheduleConfig } from '@descent/core';
import fc from 'fast-check';
import { expect } from 'vitest';
import { constant } from '../constant';
import { cosineDecay } from '../cosine-decay';
import { cyclic } from '../cyclic';
import { cyclicMomentum } from '../cyclic-momentum';
import { exponentialDecay } from '../exponential-decay';
import { join } from '../join';
import { linearScaling } from '../linear-scaling';
import { linearSchedule } from '../linear-schedule';
import { linearWarmup } from '../linear-warmup';
import { oneCycle } from '../one-cycle';
import { oneCycleMomentum } from '../one-cycle-momentum';
import { piecewiseConstant } from '../piecewise-constant';
import { piecewiseInterpolate } from '../piecewise-interpolate';
import { polynomialDecay } from '../polynomial-decay';
import { sgdr } from '../sgdr';
import { warmupCosineDecay } from '../warmup-cosine-decay';

const value = fc.double({ min: -1e3, max: 1e3, noNaN: true });
/** A learning rate: ≥ 0. */
const rate = fc.double({ min: 0, max: 1e3, noNaN: true });
/** A momentum: [0, 1]. */
const momentum = fc.double({ min: 0, max: 1, noNaN: true });
const steps = (min: number, max: number) => fc.integer({ min, max });
const undef = { nil: undefined } as const;
const boundariesAndScales = fc.dictionary(
  steps(0, 200_000).map(String),
  fc.double({ min: 0, max: 3, noNaN: true }),
  { maxKeys: 5 },
);
const cycle = {
  stepSizeUp: fc.option(steps(1, 5000), undef),
  stepSizeDown: fc.option(steps(0, 5000), undef),
  mode: fc.option(fc.constantFrom('triangular', 'triangular2', 'expRange' as const), undef),
  gamma: fc.option(fc.double({ min: 1e-3, max: 1, noNaN: true }), undef),
};
const phases = {
  totalSteps: steps(1, 200_000),
  pctStart: fc.double({ min: 1e-3, max: 0.999, noNaN: true }),
  anneal: fc.option(fc.constantFrom('cos', 'linear' as const), undef),
  threePhase: fc.option(fc.boolean(), undef),
};
/** Three-phase cycles need pctStart ≤ 0.5. */
const fixPhases = <T extends { pctStart: number; threePhase?: boolean | undefined }>(o: T): T =>
  o.threePhase ? { ...o, pctStart: o.pctStart / 2 } : o;

/** Every pure leaf kind: an arbitrary schedule built from valid random options. */
export const LEAVES: Record<string, fc.Arbitrary<Schedule>> = {
  constant: value.map(constant),
  piecewiseConstant: fc
    .record({ initValue: value, boundariesAndScales })
    .map((o) => piecewiseConstant(o)),
  piecewiseInterpolate: fc
    .record({
      initValue: value,
      boundariesAndScales,
      interpolation: fc.constantFrom('linear', 'cosine' as const),
    })
    .map((o) => piecewiseInterpolate(o)),
  exponentialDecay: fc
    .record({
      initValue: value,
      transitionSteps: steps(1, 100_000),
      decayRate: fc.double({ min: 1e-3, max: 3, noNaN: true }),
      staircase: fc.option(fc.boolean(), undef),
      transitionBegin: fc.option(steps(0, 100_000), undef),
      endValue: fc.option(value, undef),
    })
    .map((o) =>
      exponentialDecay(
        o.decayRate > 1
          ? {
              ...o,
              initValue: Math.abs(o.initValue),
              endValue: Math.abs(o.initValue) + Math.abs(o.endValue ?? 7),
            }
          : o,
      ),
    ),
  polynomialDecay: fc
    .record({
      initValue: value,
      endValue: value,
      power: fc.option(fc.double({ min: 1e-3, max: 5, noNaN: true }), undef),
      transitionSteps: steps(1, 500_000),
      transitionBegin: fc.option(steps(0, 500_000), undef),
    })
    .map((o) => polynomialDecay(o)),
  linearSchedule: fc
    .record({
      initValue: value,
      endValue: value,
      transitionSteps: steps(1, 500_000),
      transitionBegin: fc.option(steps(0, 500_000), undef),
    })
    .map((o) => linearSchedule(o)),
  cosineDecay: fc
    .record({
      initValue: value,
      decaySteps: steps(1, 1_000_000),
      alpha: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), undef),
      exponent: fc.option(fc.double({ min: 1e-3, max: 5, noNaN: true }), undef),
    })
    .map((o) => cosineDecay(o)),
  warmupCosineDecay: fc
    .record({
      initValue: value,
      peakValue: value,
      warmupSteps: steps(0, 100_000),
      extra: steps(1, 900_000),
      endValue: fc.option(value, undef),
      exponent: fc.option(fc.double({ min: 1e-3, max: 5, noNaN: true }), undef),
    })
    .map(({ extra, ...o }) => warmupCosineDecay({ ...o, decaySteps: o.warmupSteps + extra })),
  sgdr: fc
    .record({
      initValue: rate,
      t0: steps(1, 100_000),
      tMult: fc.option(steps(1, 4), undef),
      etaMin: fc.option(rate, undef),
    })
    .map((o) => sgdr(o)),
  cyclic: fc.record({ baseValue: rate, maxValue: rate, ...cycle }).map((o) => cyclic(o)),
  cyclicMomentum: fc
    .record({
      baseMomentum: fc.option(momentum, undef),
      maxMomentum: fc.option(momentum, undef),
      ...cycle,
    })
    .map((o) => cyclicMomentum(o)),
  oneCycle: fc
    .record({
      maxValue: rate,
      ...phases,
      divFactor: fc.option(fc.double({ min: 0.5, max: 100, noNaN: true }), undef),
      finalDivFactor: fc.option(fc.double({ min: 0.5, max: 1e5, noNaN: true }), undef),
    })
    .map((o) => oneCycle(fixPhases(o))),
  oneCycleMomentum: fc
    .record({
      baseMomentum: fc.option(momentum, undef),
      maxMomentum: fc.option(momentum, undef),
      ...phases,
    })
    .map((o) => oneCycleMomentum(fixPhases(o))),
};

const leaf = fc.oneof(...Object.values(LEAVES));

/** The combinators, over random leaves. */
export const COMBINATORS: Record<string, fc.Arbitrary<Schedule>> = {
  linearWarmup: fc
    .record({ schedule: leaf, warmupSteps: steps(0, 100_000), initValue: fc.option(value, undef) })
    .map(({ schedule, ...o }) => linearWarmup(schedule, o)),
  join: fc.array(leaf, { minLength: 1, maxLength: 4 }).chain((schedules) =>
    fc
      .uniqueArray(steps(0, 500_000), {
        minLength: schedules.length - 1,
        maxLength: schedules.length - 1,
      })
      .map((b) =>
        join(
          schedules,
          [...b].sort((x, y) => x - y),
        ),
      ),
  ),
  linearScaling: fc
    .record({
      baseValue: fc.oneof(value, leaf),
      baseBatchSize: steps(1, 4096),
      batchSize: steps(1, 65_536),
    })
    .map((o) => linearScaling(o)),
};

/** Every kind above. */
export const ALL: Record<string, fc.Arbitrary<Schedule>> = { ...LEAVES, ...COMBINATORS };

type Range = [number, number];
const span = (...xs: number[]): Range => [Math.min(...xs), Math.max(...xs)];
const num = (c: ScheduleConfig, key: string) => c[key] as number;

/** `[lo, hi]` every value of the schedule with this config lies in. */
export function valueBounds(c: ScheduleConfig): Range {
  switch (c.type) {
    case 'constant':
      return span(num(c, 'value'));
    case 'piecewiseConstant':
    case 'piecewiseInterpolate': {
      const values = [num(c, 'initValue')];
      for (const s of Object.values(c.boundariesAndScales as Record<string, number>)) {
        values.push((values[values.length - 1] as number) * s);
      }
      return span(...values);
    }
    case 'exponentialDecay': {
      const init = num(c, 'initValue');
      const rate = num(c, 'decayRate');
      const raw: Range =
        rate < 1 ? span(init, 0) : rate === 1 || init === 0 ? [init, init] : [init, Infinity];
      if (c.endValue === undefined) return raw;
      const clip = rate < 1 ? Math.max : Math.min;
      return [clip(raw[0], num(c, 'endValue')), clip(raw[1], num(c, 'endValue'))];
    }
    case 'polynomialDecay':
    case 'linearSchedule':
      return span(num(c, 'initValue'), num(c, 'endValue'));
    case 'cosineDecay':
      return span(num(c, 'initValue'), num(c, 'initValue') * num(c, 'alpha'));
    case 'warmupCosineDecay':
      return span(num(c, 'initValue'), num(c, 'peakValue'), num(c, 'endValue'));
    case 'sgdr':
      return span(num(c, 'initValue'), num(c, 'etaMin'));
    case 'cyclic':
      return span(num(c, 'baseValue'), num(c, 'maxValue'));
    case 'cyclicMomentum':
    case 'oneCycleMomentum':
      return span(num(c, 'baseMomentum'), num(c, 'maxMomentum'));
    case 'oneCycle': {
      const initial = num(c, 'maxValue') / num(c, 'divFactor');
      return span(num(c, 'maxValue'), initial, initial / num(c, 'finalDivFactor'));
    }
    case 'linearWarmup': {
      const [lo, hi] = valueBounds(c.schedule as ScheduleConfig);
      return span(lo, hi, num(c, 'initValue'));
    }
    case 'join': {
      const ranges = (c.schedules as ScheduleConfig[]).map(valueBounds);
      return span(...ranges.flat());
    }
    case 'linearScaling': {
      const k = num(c, 'batchSize') / num(c, 'baseBatchSize');
      const [lo, hi] =
        typeof c.baseValue === 'number'
          ? span(c.baseValue)
          : valueBounds(c.baseValue as ScheduleConfig);
      return span(lo * k, hi * k);
    }
    default:
      throw new Error(`no bounds for ${c.type}`);
  }
}

/** Steps 0…10⁶: integers, plus fractional ones. */
export const STEP = fc.oneof(
  fc.integer({ min: 0, max: 1_000_000 }),
  fc.double({ min: 0, max: 1_000_000, noNaN: true }),
);

/** Property: finite and within `valueBounds` (up to rounding) at every step 0…10⁶. */
export function checkBounded(arbitrary: fc.Arbitrary<Schedule>, numRuns = 300): void {
  fc.assert(
    fc.property(arbitrary, STEP, (schedule, step) => {
      const v = schedule(step);
      const [lo, hi] = valueBounds(schedule.config);
      const slack = 1e-9 * Math.max(1, Math.abs(lo), Math.abs(hi) === Infinity ? 0 : Math.abs(hi));
      expect(Number.isFinite(v), `${JSON.stringify(schedule.config)} at ${step}: ${v}`).toBe(true);
      expect(v, `${JSON.stringify(schedule.config)} at ${step}`).toBeGreaterThanOrEqual(lo - slack);
      expect(v, `${JSON.stringify(schedule.config)} at ${step}`).toBeLessThanOrEqual(hi + slack);
    }),
    { numRuns },
  );
}

/** Property: JSON round trip through scheduleFromConfig gives identical values. */
export function checkRoundTrip(
  arbitrary: fc.Arbitrary<Schedule>,
  fromConfig: (c: ScheduleConfig) => Schedule,
  numRuns = 200,
): void {
  fc.assert(
    fc.property(arbitrary, fc.array(STEP, { minLength: 1, maxLength: 8 }), (schedule, probe) => {
      const back = fromConfig(JSON.parse(JSON.stringify(schedule.config)) as ScheduleConfig);
      expect(back.config).toEqual(schedule.config);
      for (const step of probe) expect(Object.is(back(step), schedule(step))).toBe(true);
    }),
    { numRuns },
  );
}
