import {
  DescentError,
  isSchedule,
  OptionReader,
  type Schedule,
  type ScheduleConfig,
  scheduleFromConfig,
} from '@descent/core';

/**
 * The option reader of every schedule kind: core's `OptionReader` (fields named
 * `<kind>.<field>` in errors) plus step counts and nested schedules. Internal to the package.
 */
export class ScheduleOptionReader extends OptionReader {
  /** The schedule kind whose options these are. */
  get kind(): string {
    return this.what;
  }

  /**
   * A step count: an integer from `min` (default 0) to `2^53 − 1` (`Number.MAX_SAFE_INTEGER`, the
   * largest count a step counter reaches exactly; sums of two counts stay finite).
   */
  steps(field: string, fallback?: number, min = 0): number {
    return this.integer(field, fallback, { min, max: Number.MAX_SAFE_INTEGER });
  }

  /**
   * Asserts that a value derived from options (`maxValue / divFactor`, `initValue − endValue`, …)
   * is at most `limit` in magnitude (default: finite), so that the schedule's own arithmetic
   * cannot overflow to ±Infinity or NaN at any step. `fields` are the options it comes from.
   *
   * @throws DescentError `BAD_HYPERPARAM` naming the fields, the derivation and its value.
   */
  derived(
    fields: readonly string[],
    what: string,
    value: number,
    limit = Number.MAX_VALUE,
  ): number {
    if (!(Math.abs(value) <= limit)) {
      const names = fields.map((f) => this.name(f)).join(' and ');
      const bound = limit === Number.MAX_VALUE ? 'finite' : `at most ${limit} in magnitude`;
      throw new DescentError(
        'BAD_HYPERPARAM',
        `${names} give ${what} = ${value}; it must be ${bound} (the schedule would overflow).`,
      );
    }
    return value;
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
