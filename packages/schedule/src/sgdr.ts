import { registerScheduleKind, type Schedule } from '@descent/core';
import { withBound } from './bound';
import { cosineInterpolate } from './interpolate';
import { makeSchedule } from './make-schedule';
import { ScheduleOptionReader, optionsOf } from './read-options';

/** Options of {@link sgdr}. */
export interface SgdrOptions {
  /** `η_max`, the learning rate at the start of every cycle: a finite number ≥ 0. Required. */
  initValue: number;
  /** `T₀`, the length of the first cycle: an integer ≥ 1. Required. */
  t0: number;
  /** `T_mult`, each cycle is this many times longer than the previous: an integer ≥ 1. Default 1. */
  tMult?: number;
  /** `η_min`, the learning rate the cosine approaches at the end of each cycle: a finite number ≥ 0 (torch's `eta_min`). Default 0. */
  etaMin?: number;
}

const KEYS = ['initValue', 't0', 'tMult', 'etaMin'];

/** Position `[T_cur, T_i]` of `step` in its cycle (cycles of length `t0·tMult^i`). */
export function sgdrCycle(t0: number, tMult: number, step: number): [number, number] {
  if (tMult === 1) return [step % t0, t0];
  let tCur = step;
  let ti = t0;
  while (tCur >= ti) {
    tCur -= ti;
    ti *= tMult;
  }
  return [tCur, ti];
}

/**
 * Cosine annealing with warm restarts, SGDR (Loshchilov & Hutter, 2017; torch's
 * `CosineAnnealingWarmRestarts(T_0, T_mult, eta_min)`; survey §5.1):
 *
 * ```
 * T_i   = T₀ · T_mult^i                (length of cycle i)
 * T_cur = steps since the last restart
 * η_t   = η_min + (η_max − η_min) · (1 + cos(π · T_cur / T_i)) / 2
 * ```
 *
 * The value jumps back to `η_max` at steps `T₀`, `T₀(1 + T_mult)`, … . The cycle is found by exact
 * subtraction rather than torch's `log(…, T_mult)`, which can be off by one cycle by rounding at a
 * restart step. Defaults: `tMult` 1, `etaMin` 0. Config: `{ type: 'sgdr', initValue, t0, tMult, etaMin }`.
 *
 * @throws DescentError `BAD_HYPERPARAM` (also a negative `initValue` or `etaMin`), `NON_FINITE` or
 *   `UNKNOWN_PARAM` naming the field, at construction and in `scheduleFromConfig`.
 *
 * @example
 * ```ts
 * const lr = sgdr({ initValue: 0.1, t0: 10, tMult: 2, etaMin: 1e-4 });
 * lr(0);  // 0.1
 * lr(10); // 0.1 again (restart; the next cycle lasts 20 steps)
 * ```
 */
export function sgdr(options: SgdrOptions): Schedule {
  const reader = new ScheduleOptionReader('sgdr', options, KEYS);
  const initValue = reader.number('initValue', undefined, { min: 0 });
  const t0 = reader.steps('t0', undefined, 1);
  const tMult = reader.steps('tMult', 1, 1);
  const etaMin = reader.number('etaMin', 0, { min: 0 });
  const config = { type: 'sgdr', initValue, t0, tMult, etaMin };
  const schedule = makeSchedule(config, (step) => {
    const [tCur, ti] = sgdrCycle(t0, tMult, step);
    // tCur / ti first: π·tCur overflows for a huge step (ti may even overflow to Infinity).
    return cosineInterpolate(initValue, etaMin, tCur / ti);
  });
  return withBound(schedule, Math.max(initValue, etaMin));
}

registerScheduleKind('sgdr', (config) => sgdr(optionsOf(config) as unknown as SgdrOptions));
