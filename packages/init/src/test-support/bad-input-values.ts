/**
 * Test support (not exported): fast-check arbitraries of bad arguments specific to this
 * package (shapes, generators, names), allocating no tensors.
 */
import fc from 'fast-check';
import { notANumber } from '@descent/core/testing';
import { FLOAT32_MAX } from '../float32-range';
import { MAX_SIZE } from '../options';

/** A shape entry that is not a non-negative integer. */
const badDimension: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: -1000, max: -1 }),
  fc.double({ min: 0.01, max: 100, noNaN: true }).filter((d) => !Number.isInteger(d)),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e300),
  notANumber,
  fc.constant(undefined),
);

/** A shape with more than 2³⁰ elements (refused before any allocation). */
export const hugeShape: fc.Arbitrary<number[]> = fc.oneof(
  fc.constantFrom<number[]>(
    [MAX_SIZE + 1],
    [65536, 65536],
    [2 ** 31, 2],
    [1e6, 1e6, 3, 3],
    [0, 2 ** 40],
  ),
  fc.integer({ min: 2 ** 16, max: 2 ** 20 }).map((d) => [d, d, 1, 1]),
);

/** Not a shape: not an array, an array with a bad entry or a hole, or a huge shape. */
export const badShape: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, undefined, 3, '2,3', { length: 2 }, new Int32Array([2, 3])),
  fc
    .tuple(
      fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 3 }),
      badDimension,
      fc.nat({ max: 3 }),
    )
    .map(([dims, bad, at]) => {
      const shape: unknown[] = [...dims];
      shape.splice(Math.min(at, dims.length), 0, bad);
      return shape;
    }),
  // A sparse array: `[2, , 3]`.
  fc.constant(Object.assign(new Array(3), { 0: 2, 2: 3 })),
  hugeShape,
);

/** A bad `seed`: negative, fractional, too large, non-finite, or neither a number nor a string. */
export const badSeed: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: -1e6, max: -1 }),
  fc.double({ min: 0.01, max: 1e6, noNaN: true }).filter((d) => !Number.isInteger(d)),
  fc.constantFrom(2 ** 53, 1e300, Number.NaN, Number.POSITIVE_INFINITY),
  fc.constantFrom(true, {}, [1], () => 1, 5n),
);

/**
 * Not an `Rng`: plain values and look-alikes missing its methods (never `null`, which an options
 * object reads as absent).
 */
export const badRng: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(42, 'rng', [], {}),
  fc.constant({ normalArray: () => new Float32Array(0) }),
);

/**
 * Not one of `allowed`: misspellings, other strings and non-strings (bigints included; never
 * `null`, which an options object reads as absent).
 */
export function badChoice(allowed: readonly string[]): fc.Arbitrary<unknown> {
  return fc
    .oneof(
      fc.constantFrom(...allowed).map((a) => a.toUpperCase()),
      fc.constantFrom(...allowed).map((a) => `${a} `),
      fc.string({ maxLength: 6 }),
      fc.constantFrom(0, 1n, {}, ['relu'], true),
    )
    .filter((v) => !(allowed as readonly unknown[]).includes(v));
}

/** A finite number beyond float32's range (it would become ±Infinity in the tensor). */
export const beyondFloat32: fc.Arbitrary<number> = fc.oneof(
  fc.double({ min: FLOAT32_MAX * 1.001, max: 1e308, noNaN: true }),
  fc.double({ min: -1e308, max: -FLOAT32_MAX * 1.001, noNaN: true }),
);
