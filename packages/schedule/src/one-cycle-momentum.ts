import { registerScheduleKind, type Schedule } from '@descent/core';
import { withBound } from './bound';
import { makeSchedule } from './make-schedule';
import { MOMENTUM } from './cyclic-momentum';
import { type AnnealStrategy, phaseValue, readPhases } from './one-cycle-phases';
import { ScheduleOptionReader, optionsOf } from './read-options';

/** Options of {@link oneCycleMomentum}: the momentum bounds plus the phase options of {@link oneCycle}. */
export interface OneCycleMomentumOptions {
  /** `μ_base` ∈ [0, 1], reached when the learning rate peaks. Default 0.85 (torch). */
  baseMomentum?: number;
  /** `μ_max` ∈ [0, 1], at the start and the end of the cycle. Default 0.95 (torch). */
  maxMomentum?: number;
  /** As {@link OneCycleOptions.totalSteps}. Required. */
  totalSteps: number;
  /** As {@link OneCycleOptions.pctStart}. Default 0.3. */
  pctStart?: number;
  /** As {@link OneCycleOptions.anneal}. Default `'cos'`. */
  anneal?: AnnealStrategy;
  /** As {@link OneCycleOptions.threePhase}. Default false. */
  threePhase?: boolean;
}

const KEYS = ['baseMomentum', 'maxMomentum', 'totalSteps', 'pctStart', 'anneal', 'threePhase'];

/**
 * The momentum of the one-cycle policy, cycling inversely to {@link oneCycle} (Smith & Topin,
 * 2019; Smith, 2018; torch `OneCycleLR(cycle_momentum=True)`):
 *
 * ```
 * two phases:    0 → pT−1: μ_max → μ_base     pT−1 → T−1: μ_base → μ_max
 * three phases:  0 → pT−1: μ_max → μ_base     pT−1 → 2pT−2: μ_base → μ_max     then μ_max
 * ```
 *
 * with the same phase boundaries and annealing as `oneCycle` — give both the same `totalSteps`,
 * `pctStart`, `anneal` and `threePhase`. Steps from `T − 1` on hold `μ_max`. Defaults:
 * `baseMomentum` 0.85, `maxMomentum` 0.95, `pctStart` 0.3, `anneal` `'cos'`, `threePhase` false.
 * Config: `{ type: 'oneCycleMomentum', baseMomentum, maxMomentum, totalSteps, pctStart, anneal, threePhase }`.
 *
 * @throws DescentError `BAD_HYPERPARAM` (also a momentum outside [0, 1]), `NON_FINITE` or
 *   `UNKNOWN_PARAM` naming the field, at construction and in `scheduleFromConfig`.
 *
 * @example
 * ```ts
 * const phases = { totalSteps: 10_000, pctStart: 0.25 };
 * const opt = sgd({
 *   learningRate: oneCycle({ maxValue: 0.4, ...phases }),
 *   momentum: oneCycleMomentum({ baseMomentum: 0.85, maxMomentum: 0.95, ...phases }),
 * });
 * ```
 */
export function oneCycleMomentum(options: OneCycleMomentumOptions): Schedule {
  const reader = new ScheduleOptionReader('oneCycleMomentum', options, KEYS);
  const baseMomentum = reader.number('baseMomentum', 0.85, MOMENTUM);
  const maxMomentum = reader.number('maxMomentum', 0.95, MOMENTUM);
  const phases = readPhases(reader);
  const config = { type: 'oneCycleMomentum', baseMomentum, maxMomentum, ...phases };
  const points = phases.threePhase
    ? [maxMomentum, baseMomentum, maxMomentum, maxMomentum]
    : [maxMomentum, baseMomentum, maxMomentum];
  const schedule = makeSchedule(config, (step) => phaseValue(phases, points, step));
  return withBound(schedule, Math.max(baseMomentum, maxMomentum));
}

registerScheduleKind('oneCycleMomentum', (config) =>
  oneCycleMomentum(optionsOf(config) as unknown as OneCycleMomentumOptions),
);
