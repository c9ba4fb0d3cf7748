import { registerScheduleKind, type Schedule } from '@descent/core';
import { withBound } from './bound';
import { makeSchedule } from './make-schedule';
import { polynomialValue } from './polynomial-decay';
import { ScheduleOptionReader, optionsOf } from './read-options';

/** Options of {@link linearSchedule}. */
export interface LinearScheduleOptions {
  /** `η₀`, the value up to `transitionBegin` (any finite number). Required. */
  initValue: number;
  /** `η_end`, the value from `transitionBegin + transitionSteps` on (any finite number). Required. */
  endValue: number;
  /** `T`, the length of the ramp: an integer ≥ 1. Required. */
  transitionSteps: number;
  /** `B`, an integer ≥ 0: the value is held at `η₀` until this step. Default 0. */
  transitionBegin?: number;
}

const KEYS = ['initValue', 'endValue', 'transitionSteps', 'transitionBegin'];

/**
 * A linear ramp from `initValue` to `endValue` (optax's `linear_schedule`, `polynomialDecay` with
 * power 1): decay when `η_end < η₀`, a warmup when `η_end > η₀`.
 *
 * ```
 * η_t = η₀ + (η_end − η₀) · min(max(t − B, 0), T) / T
 * ```
 *
 * Defaults: `transitionBegin` 0. Config:
 * `{ type: 'linearSchedule', initValue, endValue, transitionSteps, transitionBegin }`.
 *
 * @throws DescentError `BAD_HYPERPARAM` (also when `initValue − endValue` overflows), `NON_FINITE`
 *   or `UNKNOWN_PARAM` naming the field, at construction and in `scheduleFromConfig`.
 *
 * @example
 * ```ts
 * const lr = linearSchedule({ initValue: 10, endValue: 20, transitionSteps: 10 });
 * lr(3);  // 13
 * lr(50); // 20
 * ```
 */
export function linearSchedule(options: LinearScheduleOptions): Schedule {
  const reader = new ScheduleOptionReader('linearSchedule', options, KEYS);
  const initValue = reader.number('initValue');
  const endValue = reader.number('endValue');
  const transitionSteps = reader.steps('transitionSteps', undefined, 1);
  const transitionBegin = reader.steps('transitionBegin', 0);
  reader.derived(['initValue', 'endValue'], 'initValue − endValue', initValue - endValue);
  const config = { type: 'linearSchedule', initValue, endValue, transitionSteps, transitionBegin };
  const schedule = makeSchedule(config, (step) =>
    polynomialValue(initValue, endValue, 1, transitionSteps, transitionBegin, step),
  );
  return withBound(schedule, Math.max(Math.abs(initValue), Math.abs(endValue)));
}

registerScheduleKind('linearSchedule', (config) =>
  linearSchedule(optionsOf(config) as unknown as LinearScheduleOptions),
);
