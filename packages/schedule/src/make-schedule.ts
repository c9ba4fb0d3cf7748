import {
  checkNumber,
  DescentError,
  describeValue,
  type Schedule,
  type ScheduleConfig,
} from '@descent/core';

/**
 * Asserts `step` is a step a schedule can take: a finite number ≥ 0 (fractional steps are allowed,
 * e.g. for plots; optimizers pass integers `0, 1, 2, …`).
 *
 * @throws DescentError `NON_FINITE` for NaN or ±Infinity, `BAD_HYPERPARAM` for a negative step,
 *   naming the schedule's kind.
 */
export function checkStep(type: string, step: unknown): asserts step is number {
  checkNumber(`${type} step`, step, { min: 0 });
}

/**
 * The shared constructor of every schedule of this package: attaches the (deeply frozen) JSON
 * `config` to the value function and checks the step of every call. The config must be plain JSON
 * (numbers, strings, booleans, null, arrays and records of them, nested schedule configs) so that
 * `scheduleFromConfig(JSON.parse(JSON.stringify(s.config)))` rebuilds `s` exactly; register its
 * kind with `registerScheduleKind` from `@descent/core`. Use it to define your own kinds the same
 * way.
 *
 * @param config - `{ type, ...options }`, every option resolved (defaults filled in).
 * @param value - the value at a step `t ≥ 0`; called only with checked steps.
 * @returns a `Schedule`: `s(t)` is `value(t)`, `s.config` is the frozen config.
 * @throws DescentError `BAD_ARGUMENT` if `config` is not a plain object with a non-empty string
 *   `type` or `value` is not a function; the schedule throws `NON_FINITE` / `BAD_HYPERPARAM` when
 *   called with a step that is not a finite number ≥ 0.
 *
 * @example
 * ```ts
 * const halving = (every: number) =>
 *   makeSchedule({ type: 'my.halving', every }, (t) => 0.5 ** Math.floor(t / every));
 * registerScheduleKind('my.halving', (c) => halving(c.every as number));
 * ```
 */
export function makeSchedule(config: ScheduleConfig, value: (step: number) => number): Schedule {
  checkConfig(config);
  if (typeof value !== 'function') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `makeSchedule value must be a function of the step, got ${describeValue(value)}.`,
    );
  }
  const frozen = deepFreeze(config);
  const { type } = frozen;
  const schedule = (step: number): number => {
    checkStep(type, step);
    return value(step);
  };
  Object.defineProperty(schedule, 'config', { value: frozen, enumerable: true });
  return schedule as Schedule;
}

function checkConfig(config: unknown): asserts config is ScheduleConfig {
  const ok =
    typeof config === 'object' &&
    config !== null &&
    Object.getPrototypeOf(config) === Object.prototype &&
    typeof (config as { type?: unknown }).type === 'string' &&
    (config as { type: string }).type !== '';
  if (!ok) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `makeSchedule config must be a plain object with a non-empty string type, got ${describeValue(config)}.`,
    );
  }
}

/** Freezes an object and everything reachable from it (configs are plain JSON trees). */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
