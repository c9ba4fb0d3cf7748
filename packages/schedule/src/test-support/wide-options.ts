/**
 * fast-check arbitraries of WIDE finite options for every schedule kind — the whole double range,
 * subnormals, huge values and extreme step counts, within each option's documented range — and
 * the property every kind must satisfy with them: construction refuses the options with a
 * `DescentError`, or the schedule is finite at every step ≥ 0.
 */
import { isDescentError, type Schedule } from '@descent/core';
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
import { reduceOnPlateau } from '../reduce-on-plateau';
import { sgdr } from '../sgdr';
import { warmupCosineDecay } from '../warmup-cosine-decay';

const undef = { nil: undefined } as const;
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, undef);
const huge = Number.MAX_VALUE;

/** Any finite double, subnormals and ±1.8e308 included. */
const finite = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(huge, -huge, Number.MIN_VALUE, -Number.MIN_VALUE, 0),
);
/** Any finite double ≥ 0. */
const nonNegative = fc.oneof(
  fc.double({ min: 0, max: huge, noNaN: true }),
  fc.constantFrom(huge, Number.MIN_VALUE, 0),
);
/** Any finite double > 0. */
const positive = fc.oneof(
  fc.double({ min: 0, max: huge, minExcluded: true, noNaN: true }),
  fc.constantFrom(huge, Number.MIN_VALUE, 5e-324, 6e-323),
);
/** A double in [0, 1]. */
const unit = fc.oneof(
  fc.double({ min: 0, max: 1, noNaN: true }),
  fc.constantFrom(0, 1, Number.MIN_VALUE),
);
/** A double in (0, 1). */
const openUnit = fc.double({ min: 0, max: 1, minExcluded: true, maxExcluded: true, noNaN: true });
/** An integer ≥ `min`: small ones, up to 2^53 and far beyond (every double above 2^53 is one). */
const count = (min: number) =>
  fc.oneof(
    fc.integer({ min, max: min + 20 }),
    fc.constantFrom(Number.MAX_SAFE_INTEGER, 1e15, 2 ** 53, 1e300, huge),
    fc.double({ min, max: huge, noNaN: true }).map(Math.floor),
  );
const boundariesAndScales = fc.dictionary(
  fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.constant(Number.MAX_SAFE_INTEGER)).map(String),
  nonNegative,
  { maxKeys: 4 },
);
const cycle = {
  stepSizeUp: opt(count(1)),
  stepSizeDown: opt(count(0)),
  mode: opt(fc.constantFrom('triangular', 'triangular2', 'expRange' as const)),
  gamma: opt(fc.oneof(fc.double({ min: 0, max: 1, minExcluded: true, noNaN: true }))),
};
const phases = {
  totalSteps: count(1),
  pctStart: openUnit,
  anneal: opt(fc.constantFrom('cos', 'linear' as const)),
  threePhase: opt(fc.boolean()),
};
const fixPhases = <T extends { pctStart: number; threePhase?: boolean | undefined }>(o: T): T =>
  o.threePhase && o.pctStart > 0.5 ? { ...o, pctStart: o.pctStart / 2 } : o;

/** A wide case: options and the constructor that takes them. */
export interface WideCase {
  options: fc.Arbitrary<unknown>;
  make: (options: never) => Schedule;
}

/** Wide options of every pure leaf kind. */
export const WIDE_LEAVES: Record<string, WideCase> = {
  constant: { options: finite, make: constant },
  piecewiseConstant: {
    options: fc.record({ initValue: finite, boundariesAndScales }),
    make: piecewiseConstant,
  },
  piecewiseInterpolate: {
    options: fc.record({
      initValue: finite,
      boundariesAndScales,
      interpolation: fc.constantFrom('linear', 'cosine' as const),
    }),
    make: piecewiseInterpolate,
  },
  exponentialDecay: {
    options: fc.record({
      initValue: finite,
      transitionSteps: count(1),
      decayRate: positive,
      staircase: opt(fc.boolean()),
      transitionBegin: opt(count(0)),
      endValue: opt(finite),
    }),
    make: exponentialDecay,
  },
  polynomialDecay: {
    options: fc.record({
      initValue: finite,
      endValue: finite,
      power: opt(positive),
      transitionSteps: count(1),
      transitionBegin: opt(count(0)),
    }),
    make: polynomialDecay,
  },
  linearSchedule: {
    options: fc.record({
      initValue: finite,
      endValue: finite,
      transitionSteps: count(1),
      transitionBegin: opt(count(0)),
    }),
    make: linearSchedule,
  },
  cosineDecay: {
    options: fc.record({
      initValue: finite,
      decaySteps: count(1),
      alpha: opt(unit),
      exponent: opt(positive),
    }),
    make: cosineDecay,
  },
  warmupCosineDecay: {
    options: fc.record({
      initValue: finite,
      peakValue: finite,
      warmupSteps: count(0),
      decaySteps: count(1),
      endValue: opt(finite),
      exponent: opt(positive),
    }),
    make: warmupCosineDecay,
  },
  sgdr: {
    options: fc.record({
      initValue: nonNegative,
      t0: count(1),
      tMult: opt(count(1)),
      etaMin: opt(nonNegative),
    }),
    make: sgdr,
  },
  cyclic: {
    options: fc.record({ baseValue: nonNegative, maxValue: nonNegative, ...cycle }),
    make: cyclic,
  },
  cyclicMomentum: {
    options: fc.record({ baseMomentum: opt(unit), maxMomentum: opt(unit), ...cycle }),
    make: cyclicMomentum,
  },
  oneCycle: {
    options: fc
      .record({
        maxValue: nonNegative,
        ...phases,
        divFactor: opt(positive),
        finalDivFactor: opt(positive),
      })
      .map(fixPhases),
    make: oneCycle,
  },
  oneCycleMomentum: {
    options: fc
      .record({ baseMomentum: opt(unit), maxMomentum: opt(unit), ...phases })
      .map(fixPhases),
    make: oneCycleMomentum,
  },
};

/** The schedule, or undefined when its options are refused (with a DescentError, asserted). */
export function tryMake(make: () => Schedule): Schedule | undefined {
  try {
    return make();
  } catch (e) {
    expect(isDescentError(e), String(e)).toBe(true);
    expect(['BAD_HYPERPARAM', 'NON_FINITE'], String(e)).toContain((e as { code: string }).code);
    return undefined;
  }
}

/** Leaves built from wide options that were accepted. */
const wideLeaf: fc.Arbitrary<Schedule> = fc.oneof(
  ...Object.values(WIDE_LEAVES).map((c) =>
    c.options
      .map((o) => tryMake(() => c.make(o as never)))
      .filter((s): s is Schedule => s !== undefined),
  ),
);

/** Wide options of the combinators (over accepted wide leaves) and of a plateau schedule. */
export const WIDE_COMBINATORS: Record<string, WideCase> = {
  linearWarmup: {
    options: fc.record({ schedule: wideLeaf, warmupSteps: count(0), initValue: opt(finite) }),
    make: ({ schedule, ...o }: { schedule: Schedule; warmupSteps: number }) =>
      linearWarmup(schedule, o),
  },
  join: {
    options: fc.array(wideLeaf, { minLength: 1, maxLength: 3 }).chain((schedules) =>
      fc
        .uniqueArray(count(0), {
          minLength: schedules.length - 1,
          maxLength: schedules.length - 1,
        })
        .map((b) => ({ schedules, boundaries: [...b].sort((x, y) => x - y) })),
    ),
    make: (o: { schedules: Schedule[]; boundaries: number[] }) => join(o.schedules, o.boundaries),
  },
  linearScaling: {
    options: fc.record({
      baseValue: fc.oneof(finite, wideLeaf),
      baseBatchSize: count(1),
      batchSize: count(1),
    }),
    make: linearScaling,
  },
  reduceOnPlateau: {
    options: fc.record({
      options: fc.record({
        factor: opt(openUnit),
        threshold: opt(nonNegative),
        thresholdMode: opt(fc.constantFrom('rel', 'abs' as const)),
        minValue: opt(finite),
        mode: opt(fc.constantFrom('min', 'max' as const)),
        eps: opt(nonNegative),
        initValue: opt(finite),
        patience: opt(fc.integer({ min: 0, max: 2 })),
      }),
      base: opt(fc.oneof(finite, wideLeaf)),
      metrics: fc.array(finite, { maxLength: 8 }),
    }),
    make: (o: {
      options: Parameters<typeof reduceOnPlateau>[0];
      base?: number | Schedule;
      metrics: number[];
    }) => {
      const plateau = reduceOnPlateau(o.options);
      const s = plateau.schedule(o.base);
      for (const m of o.metrics) plateau.update(m);
      return s;
    },
  },
};

/** Steps ≥ 0 that stress a schedule: fractional, huge, 2^53 − 1, around its own option values. */
export const WIDE_STEP = fc.oneof(
  fc.constantFrom(0, 0.5, 1, 2, 7.25, 1e6, 1e15, Number.MAX_SAFE_INTEGER, 1e300, huge),
  fc.double({ min: 0, max: huge, noNaN: true }),
  fc.integer({ min: 0, max: 10_000 }),
);

/** Every finite number ≥ 0 inside `options` (and its neighbours): the steps where phases turn. */
export function stepsNear(options: unknown, out: number[] = []): number[] {
  if (typeof options === 'number' && Number.isFinite(options) && options >= 0) {
    out.push(options, options + 0.5, Math.max(options - 1, 0), options * 0.3, options * 0.5);
  } else if (typeof options === 'object' && options !== null && typeof options !== 'function') {
    for (const v of Object.values(options)) stepsNear(v, out);
  }
  return out;
}

/**
 * The property: the options are refused with a DescentError (`BAD_HYPERPARAM` / `NON_FINITE`), or
 * the schedule is finite at the random steps and at every step near an option value.
 */
export function checkRefusedOrFinite(c: WideCase, numRuns: number): void {
  fc.assert(
    fc.property(c.options, fc.array(WIDE_STEP, { maxLength: 6 }), (options, steps) => {
      const s = tryMake(() => c.make(options as never));
      if (s === undefined) return;
      for (const step of [...steps, ...stepsNear(options)]) {
        const v = s(step);
        expect(Number.isFinite(v), `${JSON.stringify(s.config)} at step ${step}: ${v}`).toBe(true);
      }
    }),
    { numRuns },
  );
}
