import { Rng, checkNumber } from '@descent/core';

/** A seed as `Rng` takes it: an integer in [0, 2⁵³) or any string. */
export type Seed = number | string;

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
