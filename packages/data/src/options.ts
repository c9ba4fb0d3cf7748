import { DescentError, Rng, checkKnownKeys, checkNumber } from '@descent/core';

/** A seed as `Rng` takes it: an integer in [0, 2⁵³) or any string. */
export type Seed = number | string;

/**
 * Asserts `options` is a plain object whose keys are all in `known` (so a typo such as `batchsize`
 * fails loudly instead of being ignored).
 */
export function checkOptions(fn: string, options: unknown, known: readonly string[]): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn} expects an options object, got ${options === null ? 'null' : typeof options}.`,
    );
  }
  checkKnownKeys(`${fn} options`, Object.keys(options), known);
}

/** A new `Rng` from `seed` (default 0), with errors naming `label`. */
export function rngFromSeed(label: string, seed: unknown = 0): Rng {
  if (typeof seed !== 'string') {
    checkNumber(label, seed, { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER });
  }
  return new Rng(seed);
}

/** Asserts `n` is an integer number of examples in [1, 2³¹). */
export function checkCount(label: string, n: unknown): asserts n is number {
  checkNumber(label, n, { integer: true, min: 1, max: 2147483647 });
}
