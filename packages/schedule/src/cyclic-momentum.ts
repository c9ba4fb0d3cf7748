import { registerScheduleKind, type Schedule } from '@descent/core';
import { type CyclicMode, cycleValue, readCycle } from './cycle';
import { withBound } from './bound';
import { makeSchedule } from './make-schedule';
import { ScheduleOptionReader, optionsOf } from './read-options';

/** Options of {@link cyclicMomentum}. */
export interface CyclicMomentumOptions {
  /** `μ_base` ∈ [0, 1], reached when the learning rate peaks. Default 0.8 (torch). */
  baseMomentum?: number;
  /** `μ_max` ∈ [0, 1], at the bottom of the learning-rate cycle. Default 0.9 (torch). */
  maxMomentum?: number;
  /** As {@link CyclicOptions.stepSizeUp}. Default 2000. */
  stepSizeUp?: number;
  /** As {@link CyclicOptions.stepSizeDown}. Default `stepSizeUp`. */
  stepSizeDown?: number;
  /** As {@link CyclicOptions.mode}. Default `'triangular'`. */
  mode?: CyclicMode;
  /** As {@link CyclicOptions.gamma}. Default 1. */
  gamma?: number;
}

/** A momentum coefficient: [0, 1] (Smith, 2018; torch's `base_momentum`, `max_momentum`). */
export const MOMENTUM = { min: 0, max: 1 } as const;

const KEYS = ['baseMomentum', 'maxMomentum', 'stepSizeUp', 'stepSizeDown', 'mode', 'gamma'];

/**
 * The momentum that cycles inversely to {@link cyclic} (torch `CyclicLR(cycle_momentum=True)`;
 * Smith, 2018, "A disciplined approach to neural network hyper-parameters"): with the same cycle
 * height `h·s` as `cyclic`,
 *
 * ```
 * μ_t = μ_max − (μ_max − μ_base) · h · s
 * ```
 *
 * Give it the same `stepSizeUp`, `stepSizeDown`, `mode` and `gamma` as the learning-rate cycle.
 * Defaults: `baseMomentum` 0.8, `maxMomentum` 0.9, `stepSizeUp` 2000, `stepSizeDown` =
 * `stepSizeUp`, `mode` `'triangular'`, `gamma` 1. Config:
 * `{ type: 'cyclicMomentum', baseMomentum, maxMomentum, stepSizeUp, stepSizeDown, mode, gamma }`.
 *
 * @throws DescentError `BAD_HYPERPARAM` (also a momentum outside [0, 1]), `NON_FINITE` or
 *   `UNKNOWN_PARAM` naming the field, at construction and in `scheduleFromConfig`.
 *
 * @example
 * ```ts
 * const cycle = { stepSizeUp: 500, mode: 'triangular2' } as const;
 * const opt = sgd({
 *   learningRate: cyclic({ baseValue: 1e-3, maxValue: 6e-3, ...cycle }),
 *   momentum: cyclicMomentum({ baseMomentum: 0.85, maxMomentum: 0.95, ...cycle }),
 * });
 * ```
 */
export function cyclicMomentum(options: CyclicMomentumOptions = {}): Schedule {
  const reader = new ScheduleOptionReader('cyclicMomentum', options, KEYS);
  const baseMomentum = reader.number('baseMomentum', 0.8, MOMENTUM);
  const maxMomentum = reader.number('maxMomentum', 0.9, MOMENTUM);
  const cycle = readCycle(reader);
  const config = { type: 'cyclicMomentum', baseMomentum, maxMomentum, ...cycle };
  const schedule = makeSchedule(config, (step) =>
    cycleValue(cycle, maxMomentum, baseMomentum, step),
  );
  return withBound(schedule, Math.max(baseMomentum, maxMomentum));
}

registerScheduleKind('cyclicMomentum', (config) =>
  cyclicMomentum(optionsOf(config) as unknown as CyclicMomentumOptions),
);
