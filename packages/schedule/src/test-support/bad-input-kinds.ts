/**
 * Bad-input properties of the option-taking schedule kinds, from one table: each kind's valid
 * options and the documented range of every field. Every field gets out-of-range, non-finite and
 * non-number values; every kind gets non-objects, unknown keys, missing required fields and bad
 * steps. All must be refused with a DescentError naming `<kind>.<field>`.
 */
import type { DescentErrorCode, NumberRange, Schedule } from '@descent/core';
import {
  BAD_INPUT_RUNS,
  badNumber,
  expectBadInput,
  notAPlainObject,
  unknownName,
} from '@descent/core/testing';
import fc from 'fast-check';
import { constant } from '../constant';
import { cosineDecay } from '../cosine-decay';
import { cyclic } from '../cyclic';
import { cyclicMomentum } from '../cyclic-momentum';
import { exponentialDecay } from '../exponential-decay';
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

/** A field: a numeric range (with extra codes it may give), a boolean, or one of some strings. */
type Field =
  | { range: NumberRange; codes?: readonly DescentErrorCode[] }
  | { boolean: true }
  | { oneOf: readonly string[] };

/** A kind: how to build it from options, valid options, its fields and the required ones. */
export interface KindSpec {
  make: (options: unknown) => unknown;
  valid: Record<string, unknown>;
  fields: Record<string, Field>;
  required: readonly string[];
  /** The schedule to call with bad steps (default: `make(valid)`). */
  schedule?: () => Schedule;
}

const any: Field = { range: {} };
const nonNegative: Field = { range: { min: 0 } };
const positive: Field = { range: { min: 0, minExclusive: true } };
const unit: Field = { range: { min: 0, max: 1 } };
const openUnit: Field = { range: { min: 0, max: 1, minExclusive: true, maxExclusive: true } };
const count = (min: number): Field => ({ range: { min, integer: true } });
const bool: Field = { boolean: true };
const cycleFields = {
  stepSizeUp: count(1),
  stepSizeDown: count(0),
  mode: { oneOf: ['triangular', 'triangular2', 'expRange'] },
  gamma: { range: { min: 0, max: 1, minExclusive: true } },
};
const phaseFields = {
  totalSteps: count(1),
  pctStart: openUnit,
  anneal: { oneOf: ['cos', 'linear'] },
  threePhase: bool,
};

/** Every kind that takes an options object, with its documented ranges. */
export const KINDS: Record<string, KindSpec> = {
  piecewiseConstant: {
    make: (o) => piecewiseConstant(o as never),
    valid: { initValue: 0.1, boundariesAndScales: { 5: 0.1 } },
    fields: { initValue: any },
    required: ['initValue'],
  },
  piecewiseInterpolate: {
    make: (o) => piecewiseInterpolate(o as never),
    valid: { initValue: 0.1, boundariesAndScales: { 5: 0.1 }, interpolation: 'linear' },
    fields: { initValue: any, interpolation: { oneOf: ['linear', 'cosine'] } },
    required: ['initValue', 'interpolation'],
  },
  exponentialDecay: {
    make: (o) => exponentialDecay(o as never),
    valid: { initValue: 0.1, transitionSteps: 10, decayRate: 0.5 },
    fields: {
      initValue: any,
      transitionSteps: count(1),
      decayRate: positive,
      staircase: bool,
      transitionBegin: count(0),
      endValue: any,
    },
    required: ['initValue', 'transitionSteps', 'decayRate'],
  },
  polynomialDecay: {
    make: (o) => polynomialDecay(o as never),
    valid: { initValue: 0.1, endValue: 0.01, transitionSteps: 10 },
    fields: {
      initValue: any,
      endValue: any,
      power: positive,
      transitionSteps: count(1),
      transitionBegin: count(0),
    },
    required: ['initValue', 'endValue', 'transitionSteps'],
  },
  linearSchedule: {
    make: (o) => linearSchedule(o as never),
    valid: { initValue: 0, endValue: 0.1, transitionSteps: 10 },
    fields: { initValue: any, endValue: any, transitionSteps: count(1), transitionBegin: count(0) },
    required: ['initValue', 'endValue', 'transitionSteps'],
  },
  cosineDecay: {
    make: (o) => cosineDecay(o as never),
    valid: { initValue: 0.1, decaySteps: 100 },
    fields: { initValue: any, decaySteps: count(1), alpha: unit, exponent: positive },
    required: ['initValue', 'decaySteps'],
  },
  warmupCosineDecay: {
    make: (o) => warmupCosineDecay(o as never),
    valid: { initValue: 0, peakValue: 0.1, warmupSteps: 5, decaySteps: 100 },
    fields: {
      initValue: any,
      peakValue: any,
      warmupSteps: count(0),
      decaySteps: count(1),
      endValue: any,
      exponent: positive,
    },
    required: ['initValue', 'peakValue', 'warmupSteps', 'decaySteps'],
  },
  sgdr: {
    make: (o) => sgdr(o as never),
    valid: { initValue: 0.1, t0: 10 },
    fields: { initValue: nonNegative, t0: count(1), tMult: count(1), etaMin: nonNegative },
    required: ['initValue', 't0'],
  },
  cyclic: {
    make: (o) => cyclic(o as never),
    valid: { baseValue: 0.001, maxValue: 0.006, stepSizeUp: 4 },
    fields: { baseValue: nonNegative, maxValue: nonNegative, ...cycleFields },
    required: ['baseValue', 'maxValue'],
  },
  cyclicMomentum: {
    make: (o) => cyclicMomentum(o as never),
    valid: { stepSizeUp: 4 },
    fields: { baseMomentum: unit, maxMomentum: unit, ...cycleFields },
    required: [],
  },
  oneCycle: {
    make: (o) => oneCycle(o as never),
    valid: { maxValue: 0.1, totalSteps: 100 },
    fields: {
      maxValue: nonNegative,
      divFactor: positive,
      finalDivFactor: positive,
      ...phaseFields,
    },
    required: ['maxValue', 'totalSteps'],
  },
  oneCycleMomentum: {
    make: (o) => oneCycleMomentum(o as never),
    valid: { totalSteps: 100 },
    fields: { baseMomentum: unit, maxMomentum: unit, ...phaseFields },
    required: ['totalSteps'],
  },
  linearWarmup: {
    make: (o) => linearWarmup(constant(0.1), o as never),
    valid: { warmupSteps: 5 },
    fields: { warmupSteps: count(0), initValue: any },
    required: ['warmupSteps'],
  },
  linearScaling: {
    make: (o) => linearScaling(o as never),
    valid: { baseValue: 0.1, baseBatchSize: 256, batchSize: 1024 },
    fields: {
      baseValue: { range: {}, codes: ['BAD_ARGUMENT'] },
      baseBatchSize: count(1),
      batchSize: count(1),
    },
    required: ['baseValue', 'baseBatchSize', 'batchSize'],
  },
  reduceOnPlateau: {
    make: (o) => reduceOnPlateau(o as never),
    valid: {},
    fields: {
      factor: openUnit,
      patience: count(0),
      threshold: nonNegative,
      thresholdMode: { oneOf: ['rel', 'abs'] },
      cooldown: count(0),
      minValue: any,
      mode: { oneOf: ['min', 'max'] },
      eps: nonNegative,
      initValue: any,
    },
    required: [],
    schedule: () => reduceOnPlateau().schedule(0.1),
  },
};

const run = { numRuns: BAD_INPUT_RUNS };
const VALUE_CODES: DescentErrorCode[] = ['BAD_HYPERPARAM', 'NON_FINITE'];

/** A value that is not a boolean. */
const notABoolean = fc.oneof(fc.double(), fc.string({ maxLength: 4 }), fc.constant({}));

/** Runs every bad-input property of one kind. */
export async function checkKind(kind: string, spec: KindSpec): Promise<void> {
  const keys = Object.keys(spec.fields);
  const known = [...keys, ...Object.keys(spec.valid)];
  // `undefined` means "no options" where the options are optional.
  const notOptions = notAPlainObject.filter((o) => o !== undefined);
  await fc.assert(
    fc.asyncProperty(notOptions, async (bad) => {
      await expectBadInput(() => spec.make(bad), { code: 'BAD_ARGUMENT', mentions: [kind] });
    }),
    run,
  );
  await fc.assert(
    fc.asyncProperty(unknownName(known), async (key) => {
      await expectBadInput(() => spec.make({ ...spec.valid, [key]: 1 }), {
        code: 'UNKNOWN_PARAM',
        mentions: [JSON.stringify(key)],
      });
    }),
    run,
  );
  for (const [field, def] of Object.entries(spec.fields)) {
    const bad: fc.Arbitrary<unknown> =
      'range' in def
        ? badNumber(def.range)
        : 'boolean' in def
          ? notABoolean
          : fc.string({ maxLength: 6 }).filter((s) => !def.oneOf.includes(s));
    // `null` means "absent" (JSON writes `null`): refused only where the field is required.
    const given = spec.required.includes(field) ? bad : bad.filter((v) => v !== null);
    const codes = [...VALUE_CODES, ...('range' in def ? (def.codes ?? []) : [])];
    await fc.assert(
      fc.asyncProperty(given, async (value) => {
        await expectBadInput(() => spec.make({ ...spec.valid, [field]: value }), {
          code: codes,
          mentions: [`${kind}.${field}`],
        });
      }),
      run,
    );
  }
  for (const field of spec.required) {
    const { [field]: _, ...missing } = spec.valid;
    await expectBadInput(() => spec.make(missing), {
      code: 'BAD_HYPERPARAM',
      mentions: [`${kind}.${field}`],
    });
  }
  const s = spec.schedule ? spec.schedule() : (spec.make(spec.valid) as Schedule);
  await checkSteps(s);
}

/** A schedule refuses every step that is not a finite number ≥ 0, naming the step. */
export async function checkSteps(s: Schedule): Promise<void> {
  await fc.assert(
    fc.asyncProperty(badNumber({ min: 0 }), async (step) => {
      await expectBadInput(() => s(step as number), { code: VALUE_CODES, mentions: ['step'] });
    }),
    run,
  );
}
