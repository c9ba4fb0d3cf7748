import { type HyperParameter, hyperValue, type NumberRange, type Schedule } from '@descent/core';

/** The schedule each checked schedule wraps. */
const originals = new WeakMap<Schedule, Schedule>();

/**
 * `schedule` with its value checked against `range` at every step (the range the option has as
 * a number), so that no transformation of the chain can use a value outside it: a learning rate
 * that turns negative fails the step before anything changes, whichever transformation reads it.
 * Made once per option, when the optimizer is built; the config is the schedule's own.
 *
 * @throws DescentError (when called) `BAD_HYPERPARAM` / `NON_FINITE` naming the option, the
 *   schedule and the step.
 */
export function checkedSchedule(name: string, schedule: Schedule, range: NumberRange): Schedule {
  const checked = Object.assign((step: number) => hyperValue(name, schedule, step, range), {
    config: schedule.config,
  });
  originals.set(checked, schedule);
  return checked;
}

/** The value as the user gave it: the schedule a {@link checkedSchedule} wraps, else `value`. */
export function givenHyper<T extends HyperParameter | undefined>(value: T): T {
  return (typeof value === 'function' ? (originals.get(value) ?? value) : value) as T;
}
