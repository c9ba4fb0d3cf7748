import { DescentError } from '@descent/core';
import { cosineInterpolate, linearInterpolate } from './interpolate';
import type { ScheduleOptionReader } from './read-options';

/** How one-cycle phases anneal: torch's `anneal_strategy`. */
export const ANNEAL_STRATEGIES = ['cos', 'linear'] as const;

/** `'cos'` (cosine, flat at both ends) or `'linear'`. */
export type AnnealStrategy = (typeof ANNEAL_STRATEGIES)[number];

/** The resolved phase options shared by `oneCycle` and `oneCycleMomentum`. */
export interface PhaseOptions {
  totalSteps: number;
  pctStart: number;
  anneal: AnnealStrategy;
  threePhase: boolean;
}

/**
 * Reads `totalSteps` (integer ≥ 1), `pctStart` ∈ (0, 1) (≤ 0.5 with `threePhase`, default 0.3),
 * `anneal` (default `'cos'`) and `threePhase` (default false).
 */
export function readPhases(reader: ScheduleOptionReader): PhaseOptions {
  const totalSteps = reader.steps('totalSteps', undefined, 1);
  const pctStart = reader.number('pctStart', 0.3, {
    min: 0,
    max: 1,
    minExclusive: true,
    maxExclusive: true,
  });
  const anneal = reader.oneOf('anneal', ANNEAL_STRATEGIES, 'cos');
  const threePhase = reader.boolean('threePhase', false);
  if (threePhase && pctStart > 0.5) {
    throw new DescentError(
      'BAD_HYPERPARAM',
      `${reader.name('pctStart')} must be ≤ 0.5 with threePhase (the second phase mirrors the first), got ${pctStart}.`,
    );
  }
  return { totalSteps, pctStart, anneal, threePhase };
}

/**
 * The one-cycle value at `step` (torch `OneCycleLR.get_lr`): phases end at steps
 * `pT − 1, T − 1` (or `pT − 1, 2pT − 2, T − 1` with three phases), phase `i` anneals from
 * `points[i]` to `points[i + 1]` with `pct = (t − start)/(end − start)`. Unlike torch, `pct` is
 * clamped to [0, 1] — steps past `T − 1` hold the final value instead of extrapolating (torch
 * raises past `T`), and an empty phase counts as finished instead of giving NaN.
 */
export function phaseValue(options: PhaseOptions, points: readonly number[], step: number): number {
  const { totalSteps, pctStart, anneal, threePhase } = options;
  const ends = threePhase
    ? [pctStart * totalSteps - 1, 2 * pctStart * totalSteps - 2, totalSteps - 1]
    : [pctStart * totalSteps - 1, totalSteps - 1];
  const interpolate = anneal === 'cos' ? cosineInterpolate : linearInterpolate;
  let phase = 0;
  let start = 0;
  while (phase < ends.length - 1 && step > (ends[phase] as number)) {
    start = ends[phase] as number;
    phase++;
  }
  const span = (ends[phase] as number) - start;
  const pct = span > 0 ? Math.min(Math.max((step - start) / span, 0), 1) : 1;
  return interpolate(points[phase] as number, points[phase + 1] as number, pct);
}
