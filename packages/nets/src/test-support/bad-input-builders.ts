import type { DescentErrorCode } from '@descent/core';
import { badNumber, nonFiniteNumber, notANumber, outOfRange } from '@descent/core/testing';
import { INITIALIZER_NAMES } from '@descent/init';
import fc from 'fast-check';
import { ACTIVATIONS } from '../activation';
import { lenet300100 } from '../lenet300100';
import { lenet5 } from '../lenet5';
import { mlp } from '../mlp';
import { resMlp } from '../res-mlp';
import { wideMlp } from '../wide-mlp';

/** One option of a builder and values it must refuse. */
export interface OptionCase {
  /** The option's key. */
  field: string;
  /** Values of the option that must be refused. */
  bad: fc.Arbitrary<unknown>;
  /** The codes a refusal may carry. */
  code: DescentErrorCode[];
  /** What the message must mention (default: the key). */
  mention?: string;
}

/** A net builder under test: valid options, its option keys and the bad values of each. */
export interface BuilderCase {
  build: (options: never) => unknown;
  /** Options it accepts (the bad value replaces one field). */
  valid: Record<string, unknown>;
  known: readonly string[];
  fields: readonly OptionCase[];
}

const NUMBER_CODES: DescentErrorCode[] = ['BAD_HYPERPARAM', 'NON_FINITE'];

/** Drops null and undefined, which mean "the default" for an optional option. */
function present(arb: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return arb.filter((v) => v !== null && v !== undefined);
}

/** A string none of `allowed`, or a value of another type. */
function notOneOf(allowed: readonly string[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.string({ maxLength: 8 }).filter((s) => !allowed.includes(s)),
    present(notANumber).filter((v) => typeof v !== 'string'),
    fc.double(),
  );
}

const positiveInteger = badNumber({ integer: true, min: 1 });

const badSeed = fc.oneof(
  outOfRange({ min: 0, integer: true }),
  fc.constant(2 ** 53),
  nonFiniteNumber,
  fc.boolean(),
  fc.constant({}),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.bigInt({ min: -5n, max: 5n }),
  fc.constant(() => 1),
);

const INIT_NAMES: readonly string[] = ['he', 'glorot', 'lecun', ...INITIALIZER_NAMES];

const seed: OptionCase = {
  field: 'seed',
  bad: badSeed,
  code: ['BAD_ARGUMENT', 'BAD_HYPERPARAM', 'NON_FINITE'],
};
const activation: OptionCase = {
  field: 'activation',
  bad: notOneOf(ACTIVATIONS),
  code: ['BAD_ARGUMENT'],
};
const init: OptionCase = {
  field: 'init',
  bad: fc.oneof(
    fc.string({ maxLength: 8 }).filter((s) => !INIT_NAMES.includes(s)),
    fc.constantFrom('constant', 'kaiming', 'fixup'),
    fc.double(),
    fc.constant({}),
    fc.array(fc.integer(), { maxLength: 2 }),
  ),
  code: ['BAD_ARGUMENT'],
};
const dropout: OptionCase = {
  field: 'dropout',
  bad: present(badNumber({ min: 0, max: 1, maxExclusive: true })),
  code: NUMBER_CODES,
};
const norm: OptionCase = {
  field: 'norm',
  bad: fc.oneof(
    notOneOf(['none', 'batch', 'layer']),
    fc.constant({ type: 'group' }),
    fc.constant({ type: 'layer', momentum: 0.9 }),
  ),
  code: ['BAD_ARGUMENT', 'UNKNOWN_PARAM'],
};
const momentum: OptionCase = {
  field: 'norm',
  bad: present(badNumber({ min: 0, max: 1 })).map((m) => ({ type: 'batch', momentum: m })),
  code: NUMBER_CODES,
  mention: 'momentum',
};
const epsilon: OptionCase = {
  field: 'norm',
  bad: present(badNumber({ min: 0, minExclusive: true })).map((e) => ({
    type: 'layer',
    epsilon: e,
  })),
  code: NUMBER_CODES,
  mention: 'epsilon',
};
const sizes: OptionCase = {
  field: 'sizes',
  bad: fc.oneof(
    fc.constantFrom(null, undefined, 3, 'x', {}),
    fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 1 }),
    fc.tuple(fc.integer({ min: 1, max: 4 }), positiveInteger).map(([a, b]) => [a, b]),
  ),
  code: NUMBER_CODES,
};

function required(field: string): OptionCase {
  return { field, bad: positiveInteger, code: NUMBER_CODES };
}

/** Every builder of the package with the bad values of each of its options. */
export const BUILDERS: Record<string, BuilderCase> = {
  mlp: {
    build: mlp,
    valid: { sizes: [3, 4, 2] },
    known: ['sizes', 'activation', 'init', 'norm', 'residual', 'dropout', 'seed'],
    fields: [
      sizes,
      activation,
      init,
      norm,
      momentum,
      epsilon,
      dropout,
      seed,
      {
        field: 'residual',
        bad: present(notANumber).filter((v) => typeof v !== 'boolean'),
        code: ['BAD_ARGUMENT'],
      },
    ],
  },
  lenet300100: {
    build: lenet300100,
    valid: {},
    known: ['seed', 'init', 'activation', 'dropout'],
    fields: [seed, init, activation, dropout],
  },
  lenet5: {
    build: lenet5,
    valid: {},
    known: ['seed', 'activation', 'pooling', 'init', 'dropout'],
    fields: [
      seed,
      init,
      activation,
      dropout,
      { field: 'pooling', bad: notOneOf(['max', 'avg']), code: ['BAD_ARGUMENT'] },
    ],
  },
  resMlp: {
    build: resMlp,
    valid: { inputDim: 3, outputDim: 2, width: 4, depth: 1 },
    known: ['inputDim', 'outputDim', 'width', 'depth', 'activation', 'init', 'norm', 'seed'],
    fields: [
      required('inputDim'),
      required('outputDim'),
      required('width'),
      required('depth'),
      activation,
      { ...init, bad: init.bad.filter((v) => v !== 'fixup') },
      norm,
      momentum,
      seed,
    ],
  },
  wideMlp: {
    build: wideMlp,
    valid: { inputDim: 3, width: 4, depth: 1 },
    known: [
      'inputDim',
      'outputDim',
      'width',
      'depth',
      'parameterization',
      'activation',
      'weightStd',
      'biasStd',
      'seed',
    ],
    fields: [
      required('inputDim'),
      { ...required('outputDim'), bad: present(positiveInteger) },
      required('width'),
      required('depth'),
      activation,
      seed,
      { field: 'parameterization', bad: notOneOf(['ntk', 'standard']), code: ['BAD_ARGUMENT'] },
      {
        field: 'weightStd',
        bad: present(badNumber({ min: 0, minExclusive: true })),
        code: NUMBER_CODES,
      },
      { field: 'biasStd', bad: present(badNumber({ min: 0 })), code: NUMBER_CODES },
    ],
  },
};
