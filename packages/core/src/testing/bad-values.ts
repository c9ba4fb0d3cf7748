import fc from 'fast-check';
import type { NumberRange } from '../validate/number-checks';

/**
 * fast-check arbitraries of values a hostile or careless caller passes where descent expects
 * something else, for property-based bad-input tests. None of them allocates tensors (a tensor made
 * inside a property run would count as a leak); build tensor arguments in the test body.
 */

/** NaN, +Infinity or -Infinity. */
export const nonFiniteNumber: fc.Arbitrary<number> = fc.constantFrom(
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
);

/**
 * Anything that is not a number: strings (numeric ones too), booleans, arrays, objects, functions,
 * bigints. Not `null`: an options object reads `null` as "absent" (a config that went through JSON
 * has `null`s), so test `null` on its own where an argument is required.
 */
export const notANumber: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.constantFrom('1', '0.1', 'NaN', ''),
  fc.boolean(),
  fc.array(fc.double(), { maxLength: 3 }),
  fc.constant({}),
  fc.constant(() => 1),
  fc.bigInt({ min: -5n, max: 5n }),
);

/** Anything but a boolean (not `null`, which options read as absent): numbers, strings, objects. */
export const notABoolean: fc.Arbitrary<unknown> = fc.oneof(
  fc.double(),
  fc.constantFrom('true', 'false', '', 0, 1),
  fc.constant({}),
  fc.array(fc.boolean(), { maxLength: 2 }),
);

/** A value that is not a finite number: {@link nonFiniteNumber} or {@link notANumber}. */
export const notAFiniteNumber: fc.Arbitrary<unknown> = fc.oneof(nonFiniteNumber, notANumber);

/**
 * Finite numbers outside `range` (below `min`, above `max`, on an exclusive bound, or
 * fractional where an integer is required). The range must exclude something.
 */
export function outOfRange(range: NumberRange): fc.Arbitrary<number> {
  const options: fc.Arbitrary<number>[] = [];
  if (range.min !== undefined) {
    const min = range.min;
    const lower = Math.min(-1e12, 2 * min);
    options.push(fc.double({ min: lower, max: min, noNaN: true, maxExcluded: true }));
    options.push(fc.constant(min - 1));
    if (range.minExclusive) options.push(fc.constant(min));
  }
  if (range.max !== undefined) {
    const max = range.max;
    const upper = Math.max(1e12, 2 * max);
    options.push(fc.double({ min: max, max: upper, noNaN: true, minExcluded: true }));
    options.push(fc.constant(max + 1));
    if (range.maxExclusive) options.push(fc.constant(max));
  }
  if (range.integer) {
    const lo = range.min ?? -1e6;
    const hi = range.max ?? 1e6;
    options.push(fc.double({ min: lo, max: hi, noNaN: true }).filter((x) => !Number.isInteger(x)));
  }
  if (options.length === 0) throw new Error('outOfRange: the range excludes nothing');
  // A double just below a bound of 0 may be -0, which is inside the range.
  return fc.oneof(...options).filter((x) => !inRange(x, range));
}

function inRange(x: number, range: NumberRange): boolean {
  return (
    (!range.integer || Number.isInteger(x)) &&
    (range.min === undefined || (range.minExclusive ? x > range.min : x >= range.min)) &&
    (range.max === undefined || (range.maxExclusive ? x < range.max : x <= range.max))
  );
}

/** A bad value for a numeric option with `range`: out of range, non-finite or not a number. */
export function badNumber(range: NumberRange = {}): fc.Arbitrary<unknown> {
  const excludesSomething =
    range.min !== undefined || range.max !== undefined || range.integer === true;
  return excludesSomething
    ? fc.oneof(outOfRange(range), nonFiniteNumber, notANumber)
    : fc.oneof(nonFiniteNumber, notANumber);
}

/** Not a plain object: null, numbers, strings, arrays, functions, a Map. */
export const notAPlainObject: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.double(),
  fc.string({ maxLength: 6 }),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.constant(() => ({})),
  fc.constant(new Map()),
  fc.boolean(),
);

/** Not a tensor: numbers, arrays of numbers, plain objects, strings, null and undefined. */
export const notATensor: fc.Arbitrary<unknown> = fc.oneof(
  fc.double(),
  fc.array(fc.double(), { maxLength: 4 }),
  fc.constant({ shape: [2], dtype: 'float32' }),
  fc.string({ maxLength: 6 }),
  fc.constant(null),
  fc.constant(undefined),
);

/** Not a function. */
export const notAFunction: fc.Arbitrary<unknown> = fc.oneof(
  fc.double(),
  fc.string({ maxLength: 6 }),
  fc.constant(null),
  fc.constant({}),
  fc.array(fc.integer(), { maxLength: 2 }),
);

/** A string that is none of `known` (a misspelling or garbage), e.g. an unknown option name. */
export function unknownName(known: readonly string[]): fc.Arbitrary<string> {
  const misspelled = known.length
    ? fc.constantFrom(...known).chain((k) =>
        fc.constantFrom(
          `${k}_`,
          k.toUpperCase(),
          k.slice(1),
          `${k}s`,
          k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
        ),
      )
    : fc.string({ minLength: 1, maxLength: 8 });
  return fc
    .oneof(misspelled, fc.string({ minLength: 1, maxLength: 8 }))
    .filter((s) => !known.includes(s) && s !== '__proto__');
}

/** A shape other than `shape`: another rank, or one dimension changed. Sizes stay small. */
export function otherShape(shape: readonly number[]): fc.Arbitrary<number[]> {
  const dims = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 3 });
  return dims.filter((s) => s.length !== shape.length || s.some((d, i) => d !== shape[i]));
}

/** Property runs per bad-input property: enough to hit every branch of a validator, bounded for CI. */
export const BAD_INPUT_RUNS = 12;
