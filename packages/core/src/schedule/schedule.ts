import { DescentError } from '../errors/descent-error';
import { describeValue } from '../validate/describe-value';
import { checkNumber } from '../validate/number-checks';

/**
 * The JSON form of a {@link Schedule}: its kind and its options, e.g.
 * `{ type: 'cosineDecay', initValue: 0.1, decaySteps: 1000 }`. `JSON.stringify` it to save a
 * schedule; {@link scheduleFromConfig} rebuilds it.
 */
export interface ScheduleConfig {
  readonly type: string;
  readonly [option: string]: unknown;
}

/**
 * A hyperparameter as a pure function of the step (`0, 1, 2, …`) that carries its JSON config.
 * Learning rates, momenta and weight decays of descent optimizers accept one in place of a number;
 * the optimizer's step counter drives it. `@descent/schedule` provides the survey's schedules
 * (Loshchilov & Hutter; Smith; Goyal et al.).
 *
 * @example
 * ```ts
 * const halve: Schedule = Object.assign((step: number) => 0.1 * 0.5 ** Math.floor(step / 100), {
 *   config: { type: 'example.halving' },
 * });
 * ```
 */
export type Schedule = ((step: number) => number) & { readonly config: ScheduleConfig };

/** A hyperparameter: a constant, or a {@link Schedule} of the step. */
export type HyperParameter = number | Schedule;

/** True for a {@link Schedule} (a function with a `config` whose `type` is a string). */
export function isSchedule(value: unknown): value is Schedule {
  return (
    typeof value === 'function' &&
    typeof (value as { config?: { type?: unknown } }).config?.type === 'string'
  );
}

/**
 * The value of a hyperparameter at `step`, checked: `checkNumber(name, value, range)`.
 *
 * @throws DescentError `NON_FINITE` / `BAD_HYPERPARAM` naming the hyperparameter (and the step, for
 *   a schedule), `BAD_ARGUMENT` if it is neither a number nor a schedule or `name` is no string;
 *   `BAD_HYPERPARAM` / `NON_FINITE` for a `step` that is not a finite number ≥ 0.
 *
 * @example
 * ```ts
 * hyperValue('learningRate', 0.1, 7);            // 0.1
 * hyperValue('learningRate', cosine, 7, { min: 0 });
 * ```
 */
export function hyperValue(
  name: string,
  value: HyperParameter,
  step: number,
  range?: Parameters<typeof checkNumber>[2],
): number {
  if (typeof name !== 'string') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `hyperValue: name must be a string, got ${describeValue(name)}.`,
    );
  }
  checkNumber(`${name}: step`, step, { min: 0 });
  if (typeof value === 'number') {
    checkNumber(name, value, range);
    return value;
  }
  if (!isSchedule(value)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name} must be a number or a Schedule (a function of the step with a config), got ${describeValue(value)}.`,
    );
  }
  const v = value(step);
  checkNumber(`${name} (schedule ${value.config.type} at step ${step})`, v, range);
  return v;
}

const kinds = new Map<string, (config: ScheduleConfig) => Schedule>();

/**
 * Makes {@link scheduleFromConfig} able to rebuild schedules of kind `type`. `@descent/schedule`
 * registers each of its kinds when imported; register your own the same way. Registering a kind
 * again replaces its factory.
 *
 * @throws DescentError `BAD_ARGUMENT` if `type` is not a non-empty string or `fromConfig` is not a
 *   function (nothing is registered then).
 */
export function registerScheduleKind(
  type: string,
  fromConfig: (config: ScheduleConfig) => Schedule,
): void {
  if (typeof type !== 'string' || type.trim() === '') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `registerScheduleKind: type must be a non-empty string, got ${describeValue(type)}.`,
    );
  }
  if (typeof fromConfig !== 'function') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `registerScheduleKind(${JSON.stringify(type)}): fromConfig must be a function (config) => Schedule, got ${describeValue(fromConfig)}.`,
    );
  }
  kinds.set(type, fromConfig);
}

/**
 * Rebuilds a schedule from its JSON config (e.g. when a saved optimizer is loaded).
 *
 * @throws DescentError `BAD_ARGUMENT` for a config that is no object with a string `type`, for a
 *   kind nobody registered (naming the import that fixes it), and when the registered factory
 *   returns something that is not a schedule.
 */
export function scheduleFromConfig(config: ScheduleConfig): Schedule {
  if (typeof config !== 'object' || config === null || typeof config.type !== 'string') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `config must be a schedule config { type, … }, got ${describeValue(config)}.`,
    );
  }
  const make = kinds.get(config.type);
  if (!make) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `no schedule kind ${JSON.stringify(config?.type)} is registered; import '@descent/schedule' ` +
        '(or the module that defines it) before loading this config.',
    );
  }
  const schedule = make(config);
  if (!isSchedule(schedule)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `the factory registered for schedule kind ${JSON.stringify(config.type)} returned ${describeValue(schedule)}, not a Schedule (a function with a config).`,
    );
  }
  return schedule;
}

/**
 * The JSON form of a hyperparameter: the number itself, or the schedule's config.
 *
 * @throws DescentError `NON_FINITE` for NaN or ±Infinity (JSON has no such number),
 *   `BAD_ARGUMENT` for anything that is neither a number nor a schedule.
 */
export function hyperToConfig(value: HyperParameter): number | ScheduleConfig {
  if (isSchedule(value)) return value.config;
  checkHyperNumber('value', value);
  return value;
}

/**
 * Inverse of {@link hyperToConfig}.
 *
 * @throws DescentError `NON_FINITE` for NaN or ±Infinity, `BAD_ARGUMENT` for anything that is
 *   neither a number nor a schedule config, and whatever {@link scheduleFromConfig} throws.
 */
export function hyperFromConfig(value: number | ScheduleConfig): HyperParameter {
  if (typeof value === 'object' && value !== null) return scheduleFromConfig(value);
  checkHyperNumber('value', value);
  return value;
}

function checkHyperNumber(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name} must be a number or a Schedule (or its config), got ${describeValue(value)}.`,
    );
  }
  checkNumber(name, value);
}
