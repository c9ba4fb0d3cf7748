import { registerScheduleKind, type Schedule } from '@descent/core';
import {
  accumulate,
  type BoundariesAndScales,
  readBoundariesAndScales,
  toRecord,
} from './boundaries-and-scales';
import { cosineInterpolate, linearInterpolate } from './interpolate';
import { withBound } from './bound';
import { makeSchedule } from './make-schedule';
import { ScheduleOptionReader, optionsOf } from './read-options';

/** Options of {@link piecewiseInterpolate}. */
export interface PiecewiseInterpolateOptions {
  /** `v₀`, the value at step 0 (any finite number). Required. */
  initValue: number;
  /** `{ step: scale }`: the value reaches `v_{i−1}·s_i` at step `b_i`. Default `{}`. */
  boundariesAndScales?: BoundariesAndScales;
  /** How to move between boundaries: `'linear'` or `'cosine'` (flat at both ends). Required. */
  interpolation: 'linear' | 'cosine';
}

const KEYS = ['initValue', 'boundariesAndScales', 'interpolation'];
const INTERPOLATIONS = ['linear', 'cosine'] as const;

/**
 * Piecewise interpolation between accumulated scales (optax's `piecewise_interpolate_schedule`):
 * with boundaries `0 = b₀ < b₁ < … < b_n` and values `v_i = v₀·s₁·…·s_i`,
 *
 * ```
 * η_t = interp(v_{i−1}, v_i, (t − b_{i−1}) / (b_i − b_{i−1}))   for b_{i−1} ≤ t < b_i
 * η_t = v_n                                                      for t ≥ b_n
 * linear: a + (b − a)·p        cosine: b + (a − b)/2 · (1 + cos πp)
 * ```
 *
 * It interpolates between the *accumulated* values, not between the scales. A boundary at step 0
 * applies its scale at once. Config:
 * `{ type: 'piecewiseInterpolate', initValue, boundariesAndScales, interpolation }`.
 *
 * @throws DescentError `BAD_HYPERPARAM` (bad key, negative scale, unknown interpolation, a product
 *   `v₀·s₁·…·sᵢ` that overflows), `NON_FINITE`, `UNKNOWN_PARAM`, at construction and in `scheduleFromConfig`.
 *
 * @example
 * ```ts
 * const lr = piecewiseInterpolate({
 *   initValue: 1, boundariesAndScales: { 4: 0.1, 8: 0.1 }, interpolation: 'linear',
 * });
 * [0, 2, 4, 6, 8].map(lr); // ≈ [1, 0.55, 0.1, 0.055, 0.01]
 * ```
 */
export function piecewiseInterpolate(options: PiecewiseInterpolateOptions): Schedule {
  const reader = new ScheduleOptionReader('piecewiseInterpolate', options, KEYS);
  const initValue = reader.number('initValue');
  const pairs = readBoundariesAndScales(reader);
  const interpolation = reader.oneOf('interpolation', INTERPOLATIONS);
  const config = {
    type: 'piecewiseInterpolate',
    initValue,
    boundariesAndScales: toRecord(pairs),
    interpolation,
  };
  const interp = interpolation === 'linear' ? linearInterpolate : cosineInterpolate;
  const bounds = [0, ...pairs.map(([b]) => b)];
  const values = accumulate(reader, initValue, pairs);
  const last = bounds.length - 1;
  const schedule = makeSchedule(config, (step) => {
    for (let i = 1; i <= last; i++) {
      const lo = bounds[i - 1] as number;
      const hi = bounds[i] as number;
      if (step < hi) {
        // The first interval that ends after `step` starts at or before it (empty ones are skipped).
        const pct = (step - lo) / Math.max(hi - lo, 1);
        return interp(values[i - 1] as number, values[i] as number, pct);
      }
    }
    return values[last] as number;
  });
  return withBound(schedule, Math.max(...values.map(Math.abs)));
}

registerScheduleKind('piecewiseInterpolate', (config) =>
  piecewiseInterpolate(optionsOf(config) as unknown as PiecewiseInterpolateOptions),
);
