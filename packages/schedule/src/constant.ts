import { checkNumber, registerScheduleKind, type Schedule } from '@descent/core';
import { withBound } from './bound';
import { makeSchedule } from './make-schedule';
import { ScheduleOptionReader, optionsOf } from './read-options';

/**
 * A constant schedule: `η_t = value` at every step (optax's `constant_schedule`). Useful where a
 * `Schedule` is required (e.g. inside {@link join}) and as a baseline.
 *
 * Config: `{ type: 'constant', value }`.
 *
 * @param value - any finite number.
 * @throws DescentError `NON_FINITE` for NaN or ±Infinity, `BAD_HYPERPARAM` for a non-number.
 *
 * @example
 * ```ts
 * const lr = constant(0.1);
 * lr(0);      // 0.1
 * lr(10_000); // 0.1
 * ```
 */
export function constant(value: number): Schedule {
  checkNumber('constant.value', value);
  const v = Object.is(value, -0) ? 0 : value;
  return withBound(
    makeSchedule({ type: 'constant', value: v }, () => v),
    Math.abs(v),
  );
}

registerScheduleKind('constant', (config) => {
  const reader = new ScheduleOptionReader('constant', optionsOf(config), ['value']);
  return constant(reader.number('value'));
});
