import { DescentError } from '../errors/descent-error';
import { describeValue } from '../validate/describe-value';

/**
 * How a loss reduces its per-example (or per-element) values:
 * - `'mean'` (default): their mean, a scalar;
 * - `'sum'`: their sum, a scalar;
 * - `'none'`: no reduction — one value per example (per element for {@link mse}).
 */
export type Reduction = 'mean' | 'sum' | 'none';

/** Every {@link Reduction}. */
export const REDUCTIONS: readonly Reduction[] = ['mean', 'sum', 'none'];

/** Validates a `reduction` option (default `'mean'`). Internal. */
export function readReduction(name: string, value: unknown): Reduction {
  if (value === undefined) return 'mean';
  if (!REDUCTIONS.includes(value as Reduction)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name} must be one of 'mean', 'sum', 'none', got ${JSON.stringify(value)}.`,
    );
  }
  return value as Reduction;
}

/** Validates that `options` is undefined or a plain object. Internal. */
export function readObject<T extends object>(name: string, options: T | undefined): Partial<T> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name} must be an object, got ${describeValue(options)}.`,
    );
  }
  return options;
}
