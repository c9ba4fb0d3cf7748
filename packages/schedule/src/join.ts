import {
  checkKnownKeys,
  checkNumber,
  DescentError,
  registerScheduleKind,
  type Schedule,
} from '@descent/core';
import { boundOf, maxBound, withBound } from './bound';
import { makeSchedule } from './make-schedule';
import { describe, ScheduleOptionReader, optionsOf, rebuild } from './read-options';

/**
 * Runs schedules one after another (optax's `join_schedules`): `schedules[0]` until
 * `boundaries[0]`, then `schedules[1]` — which sees the step *relative to its boundary*, starting
 * again at 0 — until `boundaries[1]`, and so on:
 *
 * ```
 * η_t = s₀(t)              for t < b₀
 * η_t = s_i(t − b_{i−1})   for b_{i−1} ≤ t < b_i
 * η_t = s_n(t − b_{n−1})   for t ≥ b_{n−1}
 * ```
 *
 * `boundaries` must be increasing integer steps ≥ 0, one fewer than `schedules`. Config:
 * `{ type: 'join', schedules: [<configs>], boundaries }`.
 *
 * @throws DescentError `BAD_ARGUMENT` (not an array, an entry that is not a Schedule, wrong
 *   number of boundaries), `BAD_HYPERPARAM` / `NON_FINITE` for a bad boundary, naming its index —
 *   at construction and in `scheduleFromConfig`.
 *
 * @example
 * ```ts
 * const lr = join(
 *   [linearSchedule({ initValue: 0, endValue: 0.1, transitionSteps: 500 }),
 *    cosineDecay({ initValue: 0.1, decaySteps: 9500 })],
 *   [500],
 * );
 * lr(500); // 0.1 (the cosine at its step 0)
 * ```
 */
export function join(schedules: readonly Schedule[], boundaries: readonly number[]): Schedule {
  if (!Array.isArray(schedules) || schedules.length === 0) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `join.schedules must be a non-empty array of Schedules, got ${describe(schedules)}.`,
    );
  }
  const reader = new ScheduleOptionReader('join', { schedules }, ['schedules']);
  const parts = schedules.map((s, i) => reader.schedule(`schedules[${i}]`, s));
  if (!Array.isArray(boundaries) || boundaries.length !== parts.length - 1) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `join.boundaries must be an array of ${parts.length - 1} step(s) (one fewer than schedules), got ${describe(boundaries)}.`,
    );
  }
  const bounds = boundaries.map((b, i) => {
    const previous = i === 0 ? undefined : (boundaries[i - 1] as number);
    checkNumber(`join.boundaries[${i}]`, b, {
      integer: true,
      min: previous ?? 0,
      minExclusive: previous !== undefined,
    });
    return b;
  });
  const config = { type: 'join', schedules: parts.map((s) => s.config), boundaries: bounds };
  const schedule = makeSchedule(config, (step) => {
    let i = 0;
    while (i < bounds.length && step >= (bounds[i] as number)) i++;
    const offset = i === 0 ? 0 : (bounds[i - 1] as number);
    return (parts[i] as Schedule)(step - offset);
  });
  const bound = maxBound(...parts.map(boundOf));
  return bound === undefined ? schedule : withBound(schedule, bound);
}

registerScheduleKind('join', (config) => {
  const options = optionsOf(config);
  checkKnownKeys('join options', Object.keys(options), ['schedules', 'boundaries']);
  const { schedules, boundaries } = options;
  return join(
    (Array.isArray(schedules) ? schedules.map(rebuild) : schedules) as Schedule[],
    boundaries as number[],
  );
});
