import { DescentError } from '../errors/descent-error';
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
 *   a schedule), `BAD_ARGUMENT` if it is neither a number nor a schedule.
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
  if (typeof value === 'number') {
    checkNumber(name, value, range);
    return value;
  }
  if (!isSchedule(value)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name} must be a number or a Schedule (a function of the step with a config), got ${typeof value}.`,
    );
  }
  const v = value(step);
  checkNumber(`${name} (schedule ${value.config.type} at step ${step})`, v, range);
  return v;
}

const kinds = new Map<string, (config: ScheduleConfig) => Schedule>();

/**
 * Makes {@link scheduleFromConfig} able to rebuild schedules of kind `type`. `@descent/schedule`
 * registers each of its kinds when imported; register your own the same way.
 */
export function registerScheduleKind(
  type: string,
  fromConfig: (config: ScheduleConfig) => Schedule,
): void {
  kinds.set(type, fromConfig);
}

/**
 * Rebuilds a schedule from its JSON config (e.g. when a saved optimizer is loaded).
 *
 * @throws DescentError `BAD_ARGUMENT` for a kind nobody registered, naming the import that fixes it.
 */
export function scheduleFromConfig(config: ScheduleConfig): Schedule {
  const make = typeof config?.type === 'string' ? kinds.get(config.type) : undefined;
  if (!make) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `no schedule kind ${JSON.stringify(config?.type)} is registered; import '@descent/schedule' ` +
        '(or the module that defines it) before loading this config.',
    );
  }
  return make(config);
}

/** The JSON form of a hyperparameter: the number itself, or the schedule's config. */
export function hyperToConfig(value: HyperParameter): number | ScheduleConfig {
  return typeof value === 'number' ? value : value.config;
}

/** Inverse of {@link hyperToConfig}. */
export function hyperFromConfig(value: number | ScheduleConfig): HyperParameter {
  return typeof value === 'number' ? value : scheduleFromConfig(value);
}
