import { DescentError } from '../errors/descent-error';
import { isRng } from '../rng/is-rng';
import type { Rng } from '../rng/rng';
import { type HyperParameter, isSchedule } from '../schedule/schedule';
import { checkOptions } from './check-options';
import { describeValue } from './describe-value';
import { checkNumber, type NumberRange } from './number-checks';

/**
 * Reads and checks one options object, naming every field as `<what>.<field>` in its errors
 * (`cosineDecay.decaySteps must be …`). Construction rejects anything but a plain object and
 * every unknown key; each reader method then checks one field and fills in its default. Every
 * package reads its options through this class, so every option gets the same checks and the
 * same messages.
 *
 * `undefined` and `null` both mean "absent" (a config that went through JSON has `null`s).
 *
 * @example
 * ```ts
 * const read = new OptionReader('myDecay', options, ['initValue', 'rate', 'staircase']);
 * const initValue = read.number('initValue');                 // required
 * const rate = read.number('rate', 0.5, { min: 0, max: 1 });  // default 0.5
 * const staircase = read.boolean('staircase', false);
 * ```
 */
export class OptionReader {
  private readonly options: Record<string, unknown>;

  /**
   * @param what - Whose options these are, as the user knows it (`'adam'`, `'cosineDecay'`).
   * @param options - The value given as options.
   * @param known - Every accepted key.
   * @throws DescentError `BAD_ARGUMENT` if `options` is not a plain object, `UNKNOWN_PARAM` for
   *   a key outside `known`.
   */
  constructor(
    readonly what: string,
    options: unknown,
    known: readonly string[],
  ) {
    checkOptions(what, options, known);
    this.options = options as Record<string, unknown>;
  }

  /** The field's full name in messages: `<what>.<field>`. */
  name(field: string): string {
    return `${this.what}.${field}`;
  }

  /** The raw value of a field (`undefined` when absent or `null`). */
  raw(field: string): unknown {
    const v = this.options[field];
    return v === null ? undefined : v;
  }

  /**
   * A finite number in `range`; `fallback` when absent (then the field is required when
   * `fallback` is `undefined`). `-0` reads as `0`, which survives JSON.
   *
   * @throws DescentError `BAD_HYPERPARAM` (missing, not a number, out of range) or `NON_FINITE`.
   */
  number(field: string, fallback?: number, range: NumberRange = {}): number {
    const v = this.raw(field) ?? fallback;
    if (v === undefined) this.missing(field, 'a finite number');
    checkNumber(this.name(field), v, range);
    return Object.is(v, -0) ? 0 : v;
  }

  /** A finite number in `range`, or `undefined` when absent. */
  optionalNumber(field: string, range: NumberRange = {}): number | undefined {
    return this.raw(field) === undefined ? undefined : this.number(field, undefined, range);
  }

  /** An integer in `range` (e.g. a step count: `integer('decaySteps', undefined, { min: 1 })`). */
  integer(field: string, fallback?: number, range: NumberRange = {}): number {
    return this.number(field, fallback, { ...range, integer: true });
  }

  /** A boolean; `fallback` when absent. */
  boolean(field: string, fallback: boolean): boolean {
    const v = this.raw(field) ?? fallback;
    if (typeof v !== 'boolean') {
      throw new DescentError(
        'BAD_HYPERPARAM',
        `${this.name(field)} must be a boolean, got ${describeValue(v)}.`,
      );
    }
    return v;
  }

  /** One of the strings in `allowed`; `fallback` when absent. */
  oneOf<T extends string>(field: string, allowed: readonly T[], fallback?: T): T {
    const v = this.raw(field) ?? fallback;
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
      throw new DescentError(
        'BAD_HYPERPARAM',
        `${this.name(field)} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describeValue(v)}.`,
      );
    }
    return v as T;
  }

  /**
   * A hyperparameter: a finite number in `range`, or a `Schedule` (whose values are checked
   * against the same range at every step, by `hyperValue`); `fallback` when absent.
   *
   * @throws DescentError `BAD_HYPERPARAM` / `NON_FINITE` for a bad number, `BAD_ARGUMENT` for
   *   anything that is neither a number nor a schedule.
   */
  hyper(field: string, fallback?: HyperParameter, range: NumberRange = {}): HyperParameter {
    const v = this.raw(field) ?? fallback;
    if (v === undefined) this.missing(field, 'a number or a Schedule');
    if (isSchedule(v)) return v;
    if (typeof v === 'function') {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${this.name(field)} must be a number or a Schedule (a function of the step with a config), got a function without a schedule config.`,
      );
    }
    checkNumber(this.name(field), v, range);
    return v;
  }

  /**
   * A core `Rng` (a seeded generator); `fallback` when absent, required when it is `undefined`.
   *
   * @throws DescentError `BAD_ARGUMENT` (missing, or not an `Rng`).
   */
  generator(field: string, fallback?: Rng): Rng {
    const v = this.raw(field) ?? fallback;
    if (!isRng(v)) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${this.name(field)} must be an Rng from @descent/core, got ${describeValue(v)}.`,
      );
    }
    return v;
  }

  /** A function (a callback); `fallback` when absent. */
  func<F extends (...args: never[]) => unknown>(field: string, fallback?: F): F {
    const v = this.raw(field) ?? fallback;
    if (typeof v !== 'function') {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${this.name(field)} must be a function, got ${describeValue(v)}.`,
      );
    }
    return v as F;
  }

  private missing(field: string, what: string): never {
    throw new DescentError('BAD_HYPERPARAM', `${this.name(field)} is required (${what}).`);
  }
}
