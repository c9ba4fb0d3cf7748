import { DescentError } from '../errors/descent-error';
import { describeValue } from './describe-value';

/** A closed or open numeric range. `min`/`max` are inclusive unless the `*Exclusive` flag is set. */
export interface NumberRange {
  min?: number;
  max?: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
  integer?: boolean;
}

/**
 * Asserts a hyperparameter is a finite number in `range`, e.g.
 * `checkNumber('beta1', 0.9, { min: 0, max: 1, maxExclusive: true })`.
 *
 * @throws DescentError `NON_FINITE` for NaN or ±Infinity, `BAD_HYPERPARAM` for anything else
 * outside the range (or not a number); the message names the parameter, the value and the range.
 */
export function checkNumber(
  name: string,
  value: unknown,
  range: NumberRange = {},
): asserts value is number {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new DescentError('NON_FINITE', `${name} must be ${describeRange(range)}, got ${value}.`);
  }
  const ok =
    typeof value === 'number' &&
    (!range.integer || Number.isInteger(value)) &&
    (range.min === undefined || (range.minExclusive ? value > range.min : value >= range.min)) &&
    (range.max === undefined || (range.maxExclusive ? value < range.max : value <= range.max));
  if (!ok) {
    throw new DescentError(
      'BAD_HYPERPARAM',
      `${name} must be ${describeRange(range)}, got ${shown(value)}.`,
    );
  }
}

/**
 * Asserts an option is a boolean, e.g. `checkBoolean('amsgrad', options.amsgrad)`.
 *
 * @throws DescentError `BAD_HYPERPARAM` for anything else; the message names the option and the value.
 */
export function checkBoolean(name: string, value: unknown): asserts value is boolean {
  if (typeof value !== 'boolean') {
    throw new DescentError('BAD_HYPERPARAM', `${name} must be a boolean, got ${shown(value)}.`);
  }
}

/**
 * Asserts every key of `given` is one of `known`.
 *
 * @throws DescentError `UNKNOWN_PARAM` naming the unknown keys and listing the known ones.
 */
export function checkKnownKeys(
  name: string,
  given: Iterable<string>,
  known: Iterable<string>,
): void {
  const knownSet = new Set(known);
  const unknown = [...given].filter((k) => !knownSet.has(k));
  if (unknown.length > 0) {
    const list = [...knownSet];
    const shown = list
      .slice(0, 8)
      .map((k) => JSON.stringify(k))
      .join(', ');
    throw new DescentError(
      'UNKNOWN_PARAM',
      `${name} has unknown name${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k)).join(', ')}; ` +
        `known: ${shown}${list.length > 8 ? `, … (${list.length} in all)` : ''}.`,
    );
  }
}

/** `String(value)` where it exists (an object without a prototype has none), else its description. */
function shown(value: unknown): string {
  if (typeof value !== 'object' || value === null) return String(value);
  try {
    return String(value);
  } catch {
    return describeValue(value);
  }
}

function describeRange(range: NumberRange): string {
  const kind = range.integer ? 'a finite integer' : 'a finite number';
  const lo = range.min === undefined ? '' : `${range.minExclusive ? '>' : '≥'} ${range.min}`;
  const hi = range.max === undefined ? '' : `${range.maxExclusive ? '<' : '≤'} ${range.max}`;
  const bounds = [lo, hi].filter(Boolean).join(' and ');
  return bounds ? `${kind} ${bounds}` : kind;
}
