import type { Rng } from './rng';

/** The methods every package calls on a generator. */
const RNG_METHODS = [
  'nextUint32',
  'float',
  'int',
  'normal',
  'uniformArray',
  'normalArray',
  'truncatedNormalArray',
  'permutation',
  'uniform',
  'split',
  'child',
  'state',
] as const;

/**
 * Whether `value` is a core {@link Rng}. Checked by its methods rather than `instanceof`, so a
 * generator made by another copy of `@descent/core` (two versions installed side by side) is
 * accepted too.
 *
 * @example
 * ```ts
 * isRng(new Rng(0)); // true
 * isRng({ seed: 0 }); // false
 * ```
 */
export function isRng(value: unknown): value is Rng {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return RNG_METHODS.every((method) => typeof candidate[method] === 'function');
}
