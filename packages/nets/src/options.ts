import { DescentError, Rng, checkNumber, checkOptions, describeValue } from '@descent/core';
import { ACTIVATIONS, type Activation } from './activation';

/** Options every builder takes for reproducibility. */
export interface SeedOptions {
  /**
   * The seed of every random draw of the net (an integer in [0, 2⁵³) or a string). Parameter
   * `name` is drawn from `new Rng(seed).child(name)`, so it depends only on the seed and its name
   * (adding a layer leaves the others unchanged) and is bit-identical on every backend. Default 0.
   */
  seed?: number | string;
}

/**
 * Asserts `options` is a plain object (or undefined) with only `known` keys (core's
 * `checkOptions`, named after `fn`); returns it, `{}` for undefined.
 */
export function readOptions<T extends object>(
  fn: string,
  options: T | undefined,
  known: readonly string[],
): Partial<T> {
  if (options === undefined) return {};
  checkOptions(fn, options, known);
  return options;
}

/** A positive integer option (a width, a depth, a dimension). */
export function checkPositiveInteger(name: string, value: unknown, min = 1): number {
  checkNumber(name, value, { integer: true, min });
  return value;
}

/** The root generator of a net: `new Rng(seed)` (default seed 0), with the option named on error. */
export function rootRng(fn: string, seed: unknown): Rng {
  const s = seed ?? 0;
  if (typeof s !== 'number' && typeof s !== 'string') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: options.seed must be a number or a string, got ${describeValue(s)}.`,
    );
  }
  try {
    return new Rng(s);
  } catch (error) {
    const code = (error as DescentError).code ?? 'BAD_ARGUMENT';
    throw new DescentError(code, `${fn}: options.seed: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Validates an activation name. */
export function checkActivation(name: string, value: unknown): Activation {
  if (!ACTIVATIONS.includes(value as Activation)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name} must be one of ${ACTIVATIONS.map((a) => `'${a}'`).join(', ')}, got ${describeValue(value)}.`,
    );
  }
  return value as Activation;
}

/** A dropout rate in [0, 1). */
export function checkDropout(name: string, value: unknown): number {
  checkNumber(name, value, { min: 0, max: 1, maxExclusive: true });
  return value;
}
