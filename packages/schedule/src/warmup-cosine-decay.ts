import { DescentError, registerScheduleKind, type Schedule } from '@descent/core';
import { cosineFactor } from './cosine-decay';
import { withBound } from './bound';
import { makeSchedule } from './make-schedule';
import { polynomialValue } from './polynomial-decay';
import { ScheduleOptionReader, optionsOf } from './read-options';

/** Options of {@link warmupCosineDecay}. */
export interface WarmupCosineDecayOptions {
  /** `η₀`, the value at step 0 (any finite number). Required. */
  initValue: number;
  /** `η_peak`, reached at the end of the warmup (any finite number). Required. */
  peakValue: number;
  /** `W`, the length of the linear warmup: an integer ≥ 0. Required. */
  warmupSteps: number;
  /** `T`, the total length *including* the warmup (optax's convention): an integer > `W`. Required. */
  decaySteps: number;
  /** `η_end`, the value from step `T` on (any finite number). Default 0. */
  endValue?: number;
  /** `p > 0`, applied to the cosine factor. Default 1. */
  exponent?: number;
}

const KEYS = ['initValue', 'peakValue', 'warmupSteps', 'decaySteps', 'endValue', 'exponent'];

/**
 * Linear warmup then cosine decay (optax's `warmup_cosine_decay_schedule`; Goyal et al., 2017 for
 * the warmup, Loshchilov & Hutter, 2017 for the cosine):
 *
 * ```
 * η_t = η₀ + (η_peak − η₀) · t / W                      for t < W
 * η_t = (η_peak − η_end) · c^p + η_end                    for t ≥ W
 * c   = ½ · (1 + cos(π · min(t − W, T − W) / (T − W)))
 * ```
 *
 * optax writes the decay as `η_peak·((1 − α)c^p + α)` with `α = η_end/η_peak` — the same value,
 * except that optax sets `α = 0` when `η_peak = 0` (the value is then 0 after the warmup, whatever
 * `η_end`); that case is kept here, and the form above cannot overflow when `η_peak` is tiny.
 * `decaySteps` counts the warmup, as in optax: the cosine part lasts `T − W` steps. Defaults:
 * `endValue` 0, `exponent` 1. Config:
 * `{ type: 'warmupCosineDecay', initValue, peakValue, warmupSteps, decaySteps, endValue, exponent }`.
 *
 * @throws DescentError `BAD_HYPERPARAM` (also for `decaySteps ≤ warmupSteps`, or a difference
 *   `peakValue − initValue` or `peakValue − endValue` that overflows), `NON_FINITE` or
 *   `UNKNOWN_PARAM` naming the field, at construction and in `scheduleFromConfig`.
 *
 * @example
 * ```ts
 * const lr = warmupCosineDecay({
 *   initValue: 0, peakValue: 1e-3, warmupSteps: 500, decaySteps: 10_000, endValue: 1e-5,
 * });
 * lr(250);    // 5e-4
 * lr(10_000); // 1e-5
 * ```
 */
export function warmupCosineDecay(options: WarmupCosineDecayOptions): Schedule {
  const reader = new ScheduleOptionReader('warmupCosineDecay', options, KEYS);
  const initValue = reader.number('initValue');
  const peakValue = reader.number('peakValue');
  const warmupSteps = reader.steps('warmupSteps');
  const decaySteps = reader.steps('decaySteps', undefined, 1);
  const endValue = reader.number('endValue', 0);
  const exponent = reader.number('exponent', 1, { min: 0, minExclusive: true });
  if (decaySteps <= warmupSteps) {
    throw new DescentError(
      'BAD_HYPERPARAM',
      `warmupCosineDecay.decaySteps must be > warmupSteps (it counts the warmup), got decaySteps ${decaySteps} and warmupSteps ${warmupSteps}.`,
    );
  }
  reader.derived(['initValue', 'peakValue'], 'peakValue − initValue', peakValue - initValue);
  reader.derived(['peakValue', 'endValue'], 'peakValue − endValue', peakValue - endValue);
  const config = {
    type: 'warmupCosineDecay',
    initValue,
    peakValue,
    warmupSteps,
    decaySteps,
    endValue,
    exponent,
  };
  // optax: α = η_end/η_peak (0 when η_peak = 0). η_peak·((1 − α)c^p + α) = (η_peak − η_end)c^p + η_end
  // is evaluated in the second form, which cannot overflow for a tiny η_peak.
  const top = peakValue === 0 ? 0 : peakValue - endValue;
  const bottom = peakValue === 0 ? 0 : endValue;
  const schedule = makeSchedule(config, (step) =>
    step < warmupSteps
      ? polynomialValue(initValue, peakValue, 1, warmupSteps, 0, step)
      : top * cosineFactor(decaySteps - warmupSteps, exponent, step - warmupSteps) + bottom,
  );
  return withBound(
    schedule,
    Math.max(Math.abs(initValue), Math.abs(peakValue), Math.abs(endValue)),
  );
}

registerScheduleKind('warmupCosineDecay', (config) =>
  warmupCosineDecay(optionsOf(config) as unknown as WarmupCosineDecayOptions),
);
