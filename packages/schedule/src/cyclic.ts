import { registerScheduleKind, type Schedule } from '@descent/core';
import { type CyclicMode, cycleValue, readCycle } from './cycle';
import { withBound } from './bound';
import { makeSchedule } from './make-schedule';
import { ScheduleOptionReader, optionsOf } from './read-options';

/** Options of {@link cyclic}. */
export interface CyclicOptions {
  /** `η_base`, the bottom of the cycle: a learning rate, a finite number ≥ 0 (torch's `base_lr`). Required. */
  baseValue: number;
  /** `η_max`, the top of the (first) cycle: a finite number ≥ 0 (torch's `max_lr`). Required. */
  maxValue: number;
  /** Steps from the bottom to the top: an integer ≥ 1. Default 2000 (torch). */
  stepSizeUp?: number;
  /** Steps from the top back to the bottom: an integer ≥ 0. Default `stepSizeUp`. */
  stepSizeDown?: number;
  /** `'triangular'`, `'triangular2'` or `'expRange'`. Default `'triangular'`. */
  mode?: CyclicMode;
  /** `γ` ∈ (0, 1]: the `'expRange'` amplitude is multiplied by `γ^t` (t in steps). Default 1. */
  gamma?: number;
}

const KEYS = ['baseValue', 'maxValue', 'stepSizeUp', 'stepSizeDown', 'mode', 'gamma'];

/**
 * Cyclical learning rates (Smith, 2017, "Cyclical Learning Rates for Training Neural Networks";
 * torch's `CyclicLR`, which steps per batch — the scale here is iterations; survey §5.1):
 *
 * ```
 * L     = up + down,  r = up / L
 * cycle = ⌊1 + t / L⌋,  x = 1 + t / L − cycle
 * h     = x / r              if x ≤ r   (rising)
 *       = (x − 1) / (r − 1)  otherwise  (falling)
 * η_t   = η_base + (η_max − η_base) · h · s,
 * s     = 1 (triangular),  1 / 2^{cycle−1} (triangular2),  γ^t (expRange)
 * ```
 *
 * Defaults: `stepSizeUp` 2000, `stepSizeDown` = `stepSizeUp`, `mode` `'triangular'`, `gamma` 1.
 * Smith suggests a step size of 2–10 epochs' worth of iterations. See {@link cyclicMomentum} for
 * the matching momentum cycle. Config:
 * `{ type: 'cyclic', baseValue, maxValue, stepSizeUp, stepSizeDown, mode, gamma }`.
 *
 * @throws DescentError `BAD_HYPERPARAM` (also for an unknown `mode`, a negative `baseValue` or
 *   `maxValue`), `NON_FINITE` or
 *   `UNKNOWN_PARAM` naming the field, at construction and in `scheduleFromConfig`.
 *
 * @example
 * ```ts
 * const lr = cyclic({ baseValue: 1, maxValue: 5, stepSizeUp: 4 });
 * [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(lr); // [1, 2, 3, 4, 5, 4, 3, 2, 1, 2, 3]
 * ```
 */
export function cyclic(options: CyclicOptions): Schedule {
  const reader = new ScheduleOptionReader('cyclic', options, KEYS);
  const baseValue = reader.number('baseValue', undefined, { min: 0 });
  const maxValue = reader.number('maxValue', undefined, { min: 0 });
  const cycle = readCycle(reader);
  const config = { type: 'cyclic', baseValue, maxValue, ...cycle };
  const schedule = makeSchedule(config, (step) => cycleValue(cycle, baseValue, maxValue, step));
  return withBound(schedule, Math.max(baseValue, maxValue));
}

registerScheduleKind('cyclic', (config) => cyclic(optionsOf(config) as unknown as CyclicOptions));
