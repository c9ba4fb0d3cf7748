import type { DescentErrorCode } from '@descent/core';
import { badNumber, nonFiniteNumber, notANumber, outOfRange } from '@descent/core/testing';
import fc from 'fast-check';

/** One option of a generator and values it must refuse. */
export interface OptionCase {
  /** The option's key (messages name it `<generator>.<field>`). */
  field: string;
  /** Values that must be refused. */
  bad: fc.Arbitrary<unknown>;
  /** The codes a refusal may carry. */
  code: DescentErrorCode[];
}

/** A dataset generator under test (the model of `teacherStudent` is added by the test). */
export interface GeneratorCase {
  valid: Record<string, unknown>;
  known: readonly string[];
  fields: readonly OptionCase[];
}

const NUMBER_CODES: DescentErrorCode[] = ['BAD_HYPERPARAM', 'NON_FINITE'];

/** Drops undefined, which means "the default" for an optional option. */
export function present(arb: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return arb.filter((v) => v !== undefined);
}

/** Drops undefined and null, both of which mean "the default" for some options. */
function absentAside(arb: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return arb.filter((v) => v !== undefined && v !== null);
}

/** A string none of `allowed`, or a value of another type. */
export function notOneOf(allowed: readonly string[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.string({ maxLength: 8 }).filter((s) => !allowed.includes(s)),
    notANumber.filter((v) => typeof v !== 'string'),
    fc.double(),
  );
}

/** A seed that is neither an integer in [0, 2⁵³) nor a string. */
export const badSeed: fc.Arbitrary<unknown> = fc.oneof(
  outOfRange({ min: 0, integer: true }),
  fc.constant(2 ** 53),
  nonFiniteNumber,
  notANumber.filter((v) => typeof v !== 'string'),
);

function option(field: string, bad: fc.Arbitrary<unknown>, code = NUMBER_CODES): OptionCase {
  return { field, bad, code };
}

const count = option('n', badNumber({ integer: true, min: 1, max: 2147483647 }));
const noise = option('noise', present(badNumber({ min: 0 })));
const seed = option('seed', badSeed);

/** Every synchronous and asynchronous generator of the package with the bad values of its options. */
export const GENERATORS: Record<string, GeneratorCase> = {
  twoSpirals: {
    valid: { n: 4 },
    known: ['n', 'noise', 'turns', 'seed'],
    fields: [
      count,
      noise,
      seed,
      option('turns', present(badNumber({ min: 0, minExclusive: true, max: 1e4 }))),
    ],
  },
  gaussianBlobs: {
    valid: { n: 4 },
    known: ['n', 'centers', 'k', 'dim', 'std', 'centerBox', 'seed'],
    fields: [
      count,
      seed,
      // k and dim read `null` as absent (`??`), as core's OptionReader does.
      option('k', absentAside(badNumber({ integer: true, min: 1, max: 65536 }))),
      option('dim', absentAside(badNumber({ integer: true, min: 1, max: 1 << 20 }))),
      option('centerBox', present(badNumber({ min: 0, minExclusive: true }))),
      option(
        'std',
        fc.oneof(
          present(badNumber({ min: 0 })).filter((v) => !Array.isArray(v)),
          present(badNumber({ min: 0 })).map((v) => [1, v, 1]),
          fc.constant([1, 1]),
        ),
        ['BAD_HYPERPARAM', 'NON_FINITE', 'BAD_ARGUMENT'],
      ),
      option(
        'centers',
        fc.oneof(
          fc.constantFrom(null, 3, 'c', {}, [], [[]], [[0, 0], [1]], [1, 2]),
          present(badNumber()).map((v) => [
            [0, 0],
            [1, v],
          ]),
        ),
        ['BAD_ARGUMENT', 'BAD_HYPERPARAM', 'NON_FINITE'],
      ),
    ],
  },
  sinusoid: {
    valid: { n: 4 },
    known: ['n', 'amplitude', 'phase', 'xRange', 'noise', 'seed'],
    fields: [
      count,
      noise,
      seed,
      option('amplitude', present(badNumber())),
      option('phase', present(badNumber({ min: -1e6, max: 1e6 }))),
      option(
        'xRange',
        fc.oneof(
          fc.constantFrom(null, 1, 'r', {}, [1], [1, 2, 3], [2, 1], [0, 0]),
          present(badNumber({ min: -1e6, max: 1e6 })).map((v) => [v, 1e7]),
        ),
        ['BAD_ARGUMENT', 'BAD_HYPERPARAM', 'NON_FINITE'],
      ),
    ],
  },
  teacherStudent: {
    valid: { n: 4 },
    known: ['teacher', 'n', 'inputDim', 'inputShape', 'noise', 'task', 'seed'],
    fields: [
      count,
      noise,
      seed,
      option('task', present(notOneOf(['regression', 'classification'])), ['BAD_ARGUMENT']),
      option('inputDim', present(badNumber({ integer: true, min: 1 }))),
      option(
        'inputShape',
        fc.constantFrom(null, 3, 's', {}, [], [0], [2.5], [-1, 2], [Number.NaN]),
        ['BAD_ARGUMENT'],
      ),
      option('teacher', fc.constantFrom(null, undefined, 1, 'm', {}, [], { params: {} }), [
        'BAD_ARGUMENT',
      ]),
    ],
  },
  mnist: {
    valid: {},
    known: ['split', 'limit', 'seed', 'flatten', 'cacheDir'],
    fields: [
      seed,
      option('split', present(notOneOf(['train', 'test', 'all'])), ['BAD_ARGUMENT']),
      option('limit', present(badNumber({ integer: true, min: 1 }))),
      option('flatten', present(notANumber.filter((v) => typeof v !== 'boolean')), [
        'BAD_HYPERPARAM',
      ]),
      option(
        'cacheDir',
        present(notANumber.filter((v) => typeof v !== 'string')).filter((v) => v !== false),
        ['BAD_ARGUMENT'],
      ),
    ],
  },
};
