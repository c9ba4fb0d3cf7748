import {
  checkKnownKeys,
  checkNumber,
  DescentError,
  isSchedule,
  type NumberRange,
  type Schedule,
  type ScheduleConfig,
  scheduleFromConfig,
} from '@descent/core';

/**
 * Reads and validates the options object of one schedule kind, naming every field as
 * `<kind>.<field>` in its errors (`cosineDecay.decaySteps must be …`). Internal to the package.
 */
export class OptionReader {
  private readonly options: Record<string, unknown>;

  /**
   * @throws DescentError `BAD_ARGUMENT` if `options` is not a plain object, `UNKNOWN_PARAM` for a
   *   key outside `known`.
   */
  constructor(
    readonly kind: string,
    options: unknown,
    known: readonly string[],
  ) {
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${kind} options must be an object, got ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}.`,
      );
    }
    checkKnownKeys(`${kind} options`, Object.keys(options), known);
    this.options = options as Record<string, unknown>;
  }

  /** The field's full name in messages. */
  name(field: string): string {
    return `${this.kind}.${field}`;
  }

  /** The raw value of a field (`undefined` and `null` both mean absent). */
  raw(field: string): unknown {
    const v = this.options[field];
    return v === null ? undefined : v;
  }

  /** A finite number in `range`; `fallback` when absent (required when `fallback` is undefined). */
  number(field: string, fallback?: number, range: NumberRange = {}): number {
    const v = this.raw(field) ?? fallback;
    if (v === undefined) this.missing(field, 'a finite number');
    checkNumber(this.name(field), v, range);
    return Object.is(v, -0) ? 0 : v; // -0 would not survive JSON
  }

  /** A finite number in `range`, or `undefined` when absent. */
  optionalNumber(field: string, range: NumberRange = {}): number | undefined {
    return this.raw(field) === undefined ? undefined : this.number(field, undefined, range);
  }

  /** A step count: an integer ≥ `min` (default 0). */
  steps(field: string, fallback?: number, min = 0): number {
    return this.number(field, fallback, { integer: true, min });
  }

  /** A boolean. */
  boolean(field: string, fallback: boolean): boolean {
    const v = this.raw(field) ?? fallback;
    if (typeof v !== 'boolean') {
      throw new DescentError(
        'BAD_HYPERPARAM',
        `${this.name(field)} must be a boolean, got ${describe(v)}.`,
      );
    }
    return v;
  }

  /** One of `allowed` (exact strings). */
  oneOf<T extends string>(field: string, allowed: readonly T[], fallback?: T): T {
    const v = this.raw(field) ?? fallback;
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
      throw new DescentError(
        'BAD_HYPERPARAM',
        `${this.name(field)} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describe(v)}.`,
      );
    }
    return v as T;
  }

  /**
   * A pure `Schedule` given as the value of `field`. A reduce-on-plateau schedule is refused: its
   * config changes with its state, which a combinator's frozen config would not follow.
   */
  schedule(field: string, value: unknown): Schedule {
    if (isSchedule(value) && 'plateau' in value) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${this.name(field)} is a reduceOnPlateau schedule, whose state a ${this.kind} config cannot follow; ` +
          `put the plateau outermost instead: plateau.schedule(${this.kind}(…)).`,
      );
    }
    if (isSchedule(value)) return value;
    throw new DescentError(
      'BAD_ARGUMENT',
      `${this.name(field)} must be a Schedule (a function of the step with a config), got ${describe(value)}.`,
    );
  }

  private missing(field: string, what: string): never {
    throw new DescentError('BAD_HYPERPARAM', `${this.name(field)} is required (${what}).`);
  }
}

/**
 * A nested schedule of a loaded config: a schedule config is rebuilt with `scheduleFromConfig`,
 * anything else is returned as it is (for the constructor to reject, naming the field).
 */
export function rebuild(value: unknown): unknown {
  return typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { type?: unknown }).type === 'string'
    ? scheduleFromConfig(value as ScheduleConfig)
    : value;
}

/** The options of a config: every key but `type`. */
export function optionsOf(config: ScheduleConfig): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) if (key !== 'type') options[key] = value;
  return options;
}

/** A short description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function without a schedule config';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
