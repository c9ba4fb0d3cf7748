import { registerScheduleKind, type Schedule } from '@descent/core';
import {
  accumulate,
  type BoundariesAndScales,
  readBoundariesAndScales,
  toRecord,
} from './boundaries-and-scales';
import { withBound } from './bound';
import { makeSchedule } from './make-schedule';
import { ScheduleOptionReader, optionsOf } from './read-options';

/** Options of {@link piecewiseConstant}. */
export interface PiecewiseConstantOptions {
  /** `η₀`, the value before the first boundary (any finite number). Required. */
  initValue: number;
  /** `{ step: scale }`: from `step` on, the value is multiplied by `scale` ≥ 0. Default `{}`. */
  boundariesAndScales?: BoundariesAndScales;
}

const KEYS = ['initValue', 'boundariesAndScales'];

/**
 * Step decay with scaled jumps at given steps (optax's `piecewise_constant_schedule`, the "step
 * schedule" of survey §5.1; He et al., 2016, divide by 10 at fixed epochs):
 *
 * ```
 * η_t = η₀ · ∏_{b_i ≤ t} s_i
 * ```
 *
 * Defaults: no boundaries (a constant). Config:
 * `{ type: 'piecewiseConstant', initValue, boundariesAndScales }` (keys as decimal strings).
 *
 * @throws DescentError `BAD_HYPERPARAM` (a key that is not an integer step ≥ 0, a negative scale),
 *   `NON_FINITE`, `UNKNOWN_PARAM`, at construction (`BAD_HYPERPARAM` also when a product
 *   `η₀·s₁·…·sᵢ` overflows) and in `scheduleFromConfig`.
 *
 * @example
 * ```ts
 * const lr = piecewiseConstant({ initValue: 0.1, boundariesAndScales: { 30_000: 0.1, 60_000: 0.1 } });
 * lr(29_999); // 0.1
 * lr(30_000); // ≈ 0.01
 * ```
 */
export function piecewiseConstant(options: PiecewiseConstantOptions): Schedule {
  const reader = new ScheduleOptionReader('piecewiseConstant', options, KEYS);
  const initValue = reader.number('initValue');
  const pairs = readBoundariesAndScales(reader);
  const values = accumulate(reader, initValue, pairs);
  const config = {
    type: 'piecewiseConstant',
    initValue,
    boundariesAndScales: toRecord(pairs),
  };
  const schedule = makeSchedule(config, (step) => {
    let i = 0;
    while (i < pairs.length && step >= (pairs[i] as [number, number])[0]) i++;
    return values[i] as number;
  });
  return withBound(schedule, Math.max(...values.map(Math.abs)));
}

registerScheduleKind('piecewiseConstant', (config) =>
  piecewiseConstant(optionsOf(config) as unknown as PiecewiseConstantOptions),
);
