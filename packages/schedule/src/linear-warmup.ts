import { registerScheduleKind, type Schedule } from '@descent/core';
import { boundOf, maxBound, withBound } from './bound';
import { linearInterpolate } from './interpolate';
import { makeSchedule } from './make-schedule';
import { ScheduleOptionReader, optionsOf, rebuild } from './read-options';

/** Options of {@link linearWarmup}. */
export interface LinearWarmupOptions {
  /** `W`, the length of the warmup: an integer ≥ 0 (0 leaves the schedule unchanged). Required. */
  warmupSteps: number;
  /** `η_init`, the value at step 0 (any finite number). Default 0. */
  initValue?: number;
}

const KEYS = ['warmupSteps', 'initValue'];

/**
 * Gradual linear warmup in front of a schedule (Goyal et al., 2017, "Accurate, Large Minibatch
 * SGD: Training ImageNet in 1 Hour"; survey §5.4): the first `W` steps ramp linearly from
 * `η_init` to the schedule's own value at step `W`, then the schedule takes over unchanged:
 *
 * ```
 * η_t = η_init + (s(W) − η_init) · t / W    for t < W
 * η_t = s(t)                                for t ≥ W
 * ```
 *
 * The wrapped schedule keeps counting from step 0 (Goyal et al.'s step decay stays at its epochs);
 * to start it *after* the warmup instead, use {@link join} with a {@link linearSchedule}:
 * `join([linearSchedule({ initValue: 0, endValue: s(0), transitionSteps: W }), s], [W])`.
 * Defaults: `initValue` 0. Config:
 * `{ type: 'linearWarmup', schedule: <config of s>, warmupSteps, initValue }`.
 *
 * @throws DescentError `BAD_ARGUMENT` if `schedule` is not a Schedule, `BAD_HYPERPARAM` (also when
 *   the ramp `schedule(warmupSteps) − initValue` overflows),
 *   `NON_FINITE` or `UNKNOWN_PARAM` naming the field, at construction and in `scheduleFromConfig`.
 *
 * @example
 * ```ts
 * // Goyal et al.: kη over 5 epochs, ×0.1 at epochs 30, 60, 80 (E steps per epoch)
 * const steps = piecewiseConstant({ initValue: 0.1 * k, boundariesAndScales: { [30 * E]: 0.1, [60 * E]: 0.1, [80 * E]: 0.1 } });
 * const lr = linearWarmup(steps, { warmupSteps: 5 * E, initValue: 0.1 });
 * ```
 */
export function linearWarmup(schedule: Schedule, options: LinearWarmupOptions): Schedule {
  const reader = new ScheduleOptionReader('linearWarmup', options, KEYS);
  const inner = reader.schedule('schedule', schedule);
  const warmupSteps = reader.steps('warmupSteps');
  const initValue = reader.number('initValue', 0);
  const config = { type: 'linearWarmup', schedule: inner.config, warmupSteps, initValue };
  const target = warmupSteps > 0 ? inner(warmupSteps) : 0;
  reader.derived(
    ['schedule', 'initValue'],
    'the ramp schedule(warmupSteps) − initValue',
    target - initValue,
  );
  const warmed = makeSchedule(config, (step) =>
    step < warmupSteps ? linearInterpolate(initValue, target, step / warmupSteps) : inner(step),
  );
  const bound = maxBound(initValue, boundOf(inner));
  return bound === undefined ? warmed : withBound(warmed, bound);
}

registerScheduleKind('linearWarmup', (config) => {
  const { schedule, ...options } = optionsOf(config);
  return linearWarmup(rebuild(schedule) as Schedule, options as unknown as LinearWarmupOptions);
});
