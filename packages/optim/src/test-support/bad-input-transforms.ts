import type { DescentErrorCode, NumberRange } from '@descent/core';
import fc from 'fast-check';
import { badNumber, nonFiniteNumber, notANumber, outOfRange } from '@descent/core/testing';
import * as optim from '../index';

/**
 * The bad-input cases of the transformation half of the package: every exported transformation
 * factory with the range of each of its numeric options, its boolean options and its accepted
 * keys, and the names of the index exports the transformation suite covers.
 */

/** `[0, 1)`: decay rates. */
const DECAY: NumberRange = { min: 0, max: 1, maxExclusive: true };
const NON_NEGATIVE: NumberRange = { min: 0 };
const POSITIVE: NumberRange = { min: 0, minExclusive: true };

/** A transformation to wrap. */
export const innerTransform = (): optim.GradientTransformation => optim.scaleBySign();

/** One factory that takes an options object. */
export interface OptionFactoryCase {
  /** Builds the transformation from `options` (its other arguments valid). */
  make: (options: unknown) => unknown;
  /** The numeric options and their ranges. */
  numbers: Record<string, NumberRange>;
  /** The boolean options. */
  booleans: readonly string[];
  /** Every accepted key. */
  known: readonly string[];
}

const adamFamily = { beta1: DECAY, beta2: DECAY, epsilon: NON_NEGATIVE };

/** Every transformation factory of the index that takes an options object. */
export const OPTION_FACTORIES: Record<string, OptionFactoryCase> = {
  scaleByAdam: {
    make: (o) => optim.scaleByAdam(o as never),
    numbers: adamFamily,
    booleans: ['amsgrad'],
    known: ['beta1', 'beta2', 'epsilon', 'amsgrad'],
  },
  scaleByAdamax: {
    make: (o) => optim.scaleByAdamax(o as never),
    numbers: adamFamily,
    booleans: [],
    known: ['beta1', 'beta2', 'epsilon'],
  },
  scaleByNadam: {
    make: (o) => optim.scaleByNadam(o as never),
    numbers: { ...adamFamily, momentumDecay: NON_NEGATIVE },
    booleans: [],
    known: ['beta1', 'beta2', 'epsilon', 'momentumDecay'],
  },
  scaleByRadam: {
    make: (o) => optim.scaleByRadam(o as never),
    numbers: adamFamily,
    booleans: [],
    known: ['beta1', 'beta2', 'epsilon'],
  },
  scaleByAdabound: {
    make: (o) => optim.scaleByAdabound(o as never),
    numbers: {
      ...adamFamily,
      learningRate: POSITIVE,
      finalLr: NON_NEGATIVE,
      gamma: DECAY,
    },
    booleans: ['amsbound'],
    known: ['learningRate', 'finalLr', 'gamma', 'beta1', 'beta2', 'epsilon', 'amsbound'],
  },
  scaleByYogi: {
    make: (o) => optim.scaleByYogi(o as never),
    numbers: { ...adamFamily, initialAccumulatorValue: NON_NEGATIVE },
    booleans: [],
    known: ['beta1', 'beta2', 'epsilon', 'initialAccumulatorValue'],
  },
  scaleByPadam: {
    make: (o) => optim.scaleByPadam(o as never),
    numbers: { ...adamFamily, partial: { min: 0, minExclusive: true, max: 0.5 } },
    booleans: [],
    known: ['partial', 'beta1', 'beta2', 'epsilon'],
  },
  scaleByMomentum: {
    make: (o) => optim.scaleByMomentum(o as never),
    numbers: { momentum: { min: 0, max: 1 }, dampening: { min: 0, max: 1 } },
    booleans: ['nesterov'],
    known: ['momentum', 'nesterov', 'dampening'],
  },
  scaleByRss: {
    make: (o) => optim.scaleByRss(o as never),
    numbers: {
      initialAccumulatorValue: NON_NEGATIVE,
      epsilon: NON_NEGATIVE,
      lrDecay: NON_NEGATIVE,
    },
    booleans: [],
    known: ['initialAccumulatorValue', 'epsilon', 'lrDecay'],
  },
  scaleByRms: {
    make: (o) => optim.scaleByRms(o as never),
    numbers: { rho: DECAY, epsilon: NON_NEGATIVE, momentum: { min: 0, max: 1 } },
    booleans: ['centered'],
    known: ['rho', 'epsilon', 'centered', 'momentum'],
  },
  scaleByAdadelta: {
    make: (o) => optim.scaleByAdadelta(o as never),
    numbers: { rho: DECAY, epsilon: POSITIVE },
    booleans: [],
    known: ['rho', 'epsilon'],
  },
  scaleByLion: {
    make: (o) => optim.scaleByLion(o as never),
    numbers: { beta1: DECAY, beta2: DECAY },
    booleans: [],
    known: ['beta1', 'beta2'],
  },
  scaleByTrustRatio: {
    make: (o) => optim.scaleByTrustRatio(o as never),
    numbers: { minNorm: NON_NEGATIVE, trustCoefficient: POSITIVE, eps: NON_NEGATIVE },
    booleans: [],
    known: ['minNorm', 'trustCoefficient', 'eps', 'mask'],
  },
  scaleByFactoredRms: {
    make: (o) => optim.scaleByFactoredRms(o as never),
    numbers: {
      decayRate: NON_NEGATIVE,
      decayOffset: { min: 0, integer: true },
      minDimSizeToFactor: { min: 1, integer: true },
      epsilon: NON_NEGATIVE,
    },
    booleans: ['factored'],
    known: ['factored', 'decayRate', 'decayOffset', 'minDimSizeToFactor', 'epsilon'],
  },
  addDecayedWeights: {
    make: (o) => optim.addDecayedWeights(1e-2, o as never),
    numbers: {},
    booleans: [],
    known: ['mask'],
  },
  adaptiveClip: {
    make: (o) => optim.adaptiveClip(0.01, 1e-3, o as never),
    numbers: {},
    booleans: [],
    known: ['info'],
  },
  partition: {
    make: (o) => optim.partition([], o as never),
    numbers: {},
    booleans: [],
    known: ['default', 'info'],
  },
  multiSteps: {
    make: (o) => optim.multiSteps(innerTransform(), o as never),
    numbers: { everyK: { min: 1, integer: true } },
    booleans: [],
    known: ['everyK'],
  },
  applyIfFinite: {
    make: (o) => optim.applyIfFinite(innerTransform(), o as never),
    numbers: {},
    booleans: [],
    known: ['maxConsecutiveErrors'],
  },
  ema: {
    make: (o) => optim.ema(0.9, o as never),
    numbers: {},
    booleans: ['debias'],
    known: ['debias'],
  },
};

/** One positional numeric argument of a factory. */
export interface NumberArgumentCase {
  /** Calls the factory with `value` in the argument's place. */
  make: (value: unknown) => unknown;
  /** The argument's name, as the message names it. */
  name: string;
  /** Bad values of it. */
  bad: fc.Arbitrary<unknown>;
}

const CODES_OF_A_BAD_NUMBER: readonly DescentErrorCode[] = [
  'BAD_HYPERPARAM',
  'NON_FINITE',
  'BAD_ARGUMENT',
];

/** The codes a bad number (or schedule) is refused with. */
export const BAD_NUMBER_CODES = CODES_OF_A_BAD_NUMBER;

/** Every positional numeric argument of the transformation factories. */
export const NUMBER_ARGUMENTS: Record<string, NumberArgumentCase[]> = {
  scaleByLearningRate: [
    {
      make: (v) => optim.scaleByLearningRate(v as never),
      name: 'learningRate',
      bad: badNumber(NON_NEGATIVE),
    },
  ],
  addL2Gradient: [
    {
      make: (v) => optim.addL2Gradient(v as never),
      name: 'weightDecay',
      bad: badNumber(NON_NEGATIVE),
    },
  ],
  addDecayedWeights: [
    {
      make: (v) => optim.addDecayedWeights(v as never),
      name: 'weightDecay',
      bad: badNumber(NON_NEGATIVE),
    },
  ],
  scale: [{ make: (v) => optim.scale(v as never), name: 'factor', bad: badNumber() }],
  clipByGlobalNorm: [
    { make: (v) => optim.clipByGlobalNorm(v as never), name: 'maxNorm', bad: badNumber(POSITIVE) },
  ],
  clipByValue: [
    {
      make: (v) => optim.clipByValue(v as never),
      name: 'maxAbs',
      // +Infinity is accepted (no clipping); −Infinity and NaN are not.
      bad: fc.oneof(outOfRange(NON_NEGATIVE), fc.constant(Number.NaN), notANumber),
    },
    {
      make: (v) => optim.clipByValue(v as never, 1),
      name: 'min',
      bad: fc.oneof(
        fc.constant(Number.NaN),
        fc.double({ min: 1.5, max: 1e9, noNaN: true }),
        notANumber,
      ),
    },
    {
      make: (v) => optim.clipByValue(-1, v as never),
      name: 'max',
      bad: fc.oneof(
        fc.constant(Number.NaN),
        fc.double({ min: -1e9, max: -1.5, noNaN: true }),
        notANumber,
      ),
    },
  ],
  adaptiveClip: [
    { make: (v) => optim.adaptiveClip(v as never), name: 'clipping', bad: badNumber(POSITIVE) },
    {
      make: (v) => optim.adaptiveClip(0.01, v as never),
      name: 'eps',
      bad: badNumber(NON_NEGATIVE),
    },
  ],
  clipByBlockRms: [
    { make: (v) => optim.clipByBlockRms(v as never), name: 'threshold', bad: badNumber(POSITIVE) },
  ],
  scaleByParamBlockRms: [
    {
      make: (v) => optim.scaleByParamBlockRms(v as never),
      name: 'minScale',
      bad: badNumber(NON_NEGATIVE),
    },
  ],
  ema: [{ make: (v) => optim.ema(v as never), name: 'decay', bad: badNumber(DECAY) }],
  applyIfFinite: [
    {
      make: (v) => optim.applyIfFinite(innerTransform(), { maxConsecutiveErrors: v as never }),
      name: 'maxConsecutiveErrors',
      // +Infinity is accepted (skip for ever).
      bad: fc.oneof(
        outOfRange({ min: 0, integer: true }),
        fc.constantFrom(Number.NaN, Number.NEGATIVE_INFINITY),
        notANumber,
      ),
    },
  ],
  factoredDims: [
    {
      make: (v) => optim.factoredDims([4, 4], true, v as never),
      name: 'minDimSizeToFactor',
      bad: badNumber({ min: 1, integer: true }),
    },
  ],
};

/** Not a GradientTransformation: strings (an optimizer's name), numbers, halves of one. */
export const notATransformation: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('adam', 'sgd', null, undefined, 0.1, [], {}),
  fc.constant({ init: () => ({}) }),
  fc.constant({ update: () => ({}) }),
  fc.constant(() => ({})),
  nonFiniteNumber,
);

/**
 * The index exports the transformation half's bad-input suite covers (the factories, the state
 * helpers and the composition functions; the init and update of what they return are covered
 * with them).
 */
export const TRANSFORM_EXPORTS_COVERED: readonly string[] = [
  ...new Set([
    'makeState',
    'stateTensors',
    'disposeState',
    'disposeReplaced',
    'runUpdate',
    'perParameter',
    'tensorSlot',
    'numberSlot',
    'chain',
    'applyUpdates',
    'namedChain',
    'elementState',
    'relayoutState',
    'weightDecayMask',
    'maskUpdates',
    'scaleBySign',
    ...Object.keys(OPTION_FACTORIES),
    ...Object.keys(NUMBER_ARGUMENTS),
  ]),
];
