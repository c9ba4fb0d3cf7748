import { registerScheduleKind, type Schedule } from '@descent/core';
import { withBound } from './bound';
import { makeSchedule } from './make-schedule';
import { type AnnealStrategy, phaseValue, readPhases } from './one-cycle-phases';
import { ScheduleOptionReader, optionsOf } from './read-options';

/** Options of {@link oneCycle}. */
export interface OneCycleOptions {
  /** `η_max`, the peak learning rate: a finite number ≥ 0 (torch's `max_lr`). Required. */
  maxValue: number;
  /** `T`, the length of the cycle in steps: an integer ≥ 1. Required. */
  totalSteps: number;
  /** `p` ∈ (0, 1): the fraction of the steps spent rising (≤ 0.5 with `threePhase`). Default 0.3. */
  pctStart?: number;
  /** `d > 0`: the cycle starts at `η_max / d`. Default 25. */
  divFactor?: number;
  /** `d_f > 0`: the cycle ends at `η_max / (d · d_f)`. Default 1e4. */
  finalDivFactor?: number;
  /** `'cos'` or `'linear'` annealing inside each phase. Default `'cos'`. */
  anneal?: AnnealStrategy;
  /** Three phases (rise, fall back to the start, anneal to the end; fastai/Smith) instead of two (torch's default). Default false. */
  threePhase?: boolean;
}

const KEYS = [
  'maxValue',
  'totalSteps',
  'pctStart',
  'divFactor',
  'finalDivFactor',
  'anneal',
  'threePhase',
];

/**
 * The one-cycle policy (Smith & Topin, 2019, "Super-Convergence"; torch's `OneCycleLR`; survey
 * §5.1). With `η₀ = η_max/d`, `η_min = η₀/d_f` and `anneal(a, b, x)` cosine or linear:
 *
 * ```
 * two phases:    0 → pT−1: η₀ → η_max     pT−1 → T−1: η_max → η_min
 * three phases:  0 → pT−1: η₀ → η_max     pT−1 → 2pT−2: η_max → η₀     2pT−2 → T−1: η₀ → η_min
 * η_t = anneal(start, end, (t − phaseStart) / (phaseEnd − phaseStart))
 * ```
 *
 * Steps from `T − 1` on hold `η_min` (torch raises past `T`). Pair it with
 * {@link oneCycleMomentum}. Defaults (torch's): `pctStart` 0.3, `divFactor` 25,
 * `finalDivFactor` 1e4, `anneal` `'cos'`, `threePhase` false. Config:
 * `{ type: 'oneCycle', maxValue, totalSteps, pctStart, divFactor, finalDivFactor, anneal, threePhase }`.
 *
 * @throws DescentError `BAD_HYPERPARAM` (also `pctStart` ∉ (0, 1), an unknown `anneal`, a negative
 *   `maxValue`, or factors so small that `maxValue / divFactor` or the final value overflows),
 *   `NON_FINITE` or `UNKNOWN_PARAM` naming the field, at construction and in `scheduleFromConfig`.
 *
 * @example
 * ```ts
 * const lr = oneCycle({ maxValue: 25, totalSteps: 10, finalDivFactor: 2, anneal: 'linear' });
 * sample(lr, 10); // [1, 13, 25, 21.5, 18, 14.5, 11, 7.5, 4, 0.5]
 * ```
 */
export function oneCycle(options: OneCycleOptions): Schedule {
  const reader = new ScheduleOptionReader('oneCycle', options, KEYS);
  const maxValue = reader.number('maxValue', undefined, { min: 0 });
  const phases = readPhases(reader);
  const divFactor = reader.number('divFactor', 25, { min: 0, minExclusive: true });
  const finalDivFactor = reader.number('finalDivFactor', 1e4, { min: 0, minExclusive: true });
  const config = {
    type: 'oneCycle',
    maxValue,
    totalSteps: phases.totalSteps,
    pctStart: phases.pctStart,
    divFactor,
    finalDivFactor,
    anneal: phases.anneal,
    threePhase: phases.threePhase,
  };
  const initial = reader.derived(
    ['maxValue', 'divFactor'],
    'the initial value maxValue / divFactor',
    maxValue / divFactor,
  );
  const final = reader.derived(
    ['maxValue', 'divFactor', 'finalDivFactor'],
    'the final value maxValue / (divFactor · finalDivFactor)',
    initial / finalDivFactor,
  );
  const points = phases.threePhase
    ? [initial, maxValue, initial, final]
    : [initial, maxValue, final];
  const schedule = makeSchedule(config, (step) => phaseValue(phases, points, step));
  return withBound(schedule, Math.max(...points));
}

registerScheduleKind('oneCycle', (config) =>
  oneCycle(optionsOf(config) as unknown as OneCycleOptions),
);
