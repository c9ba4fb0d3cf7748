import { DescentError, registerScheduleKind, type Schedule } from '@descent/core';
import { withBound } from './bound';
import { makeSchedule } from './make-schedule';
import { ScheduleOptionReader, optionsOf } from './read-options';

/** Options of {@link exponentialDecay}. */
export interface ExponentialDecayOptions {
  /** `η₀` (any finite number; ≥ 0 when `decayRate > 1`). Required. */
  initValue: number;
  /** `T`, the steps over which the value is multiplied by `decayRate` once: an integer ≥ 1. Required. */
  transitionSteps: number;
  /** `γ > 0`: < 1 decays, > 1 grows (then `endValue` is required). Required. */
  decayRate: number;
  /** Decay at discrete intervals: `⌊(t − B)/T⌋` instead of `(t − B)/T`. Default false. */
  staircase?: boolean;
  /** `B`, an integer ≥ 0: the value is held at `η₀` until this step. Default 0. */
  transitionBegin?: number;
  /** `η_end`: a lower bound when `γ < 1`, an upper bound when `γ ≥ 1`. Default none. */
  endValue?: number;
}

const KEYS = [
  'initValue',
  'transitionSteps',
  'decayRate',
  'staircase',
  'transitionBegin',
  'endValue',
];

/**
 * Exponential decay (optax's `exponential_decay`, Keras's `ExponentialDecay`; survey §5.1):
 *
 * ```
 * p   = (t − B) / T          (⌊(t − B) / T⌋ with staircase)
 * η_t = η₀                   for t ≤ B
 * η_t = η₀ · γ^p             for t > B
 * then η_t ← max(η_t, η_end) if γ < 1,  min(η_t, η_end) if γ ≥ 1   (when endValue is given)
 * ```
 *
 * Defaults: `staircase` false, `transitionBegin` 0, no `endValue`. Unlike optax, which silently
 * falls back to a constant for `transitionSteps ≤ 0` or `decayRate = 0`, those are errors here;
 * so is a growing schedule (`decayRate > 1`) without an `endValue` (it would overflow). Config:
 * `{ type: 'exponentialDecay', initValue, transitionSteps, decayRate, staircase, transitionBegin[, endValue] }`.
 *
 * @throws DescentError `BAD_HYPERPARAM`, `NON_FINITE` or `UNKNOWN_PARAM` naming the field, at
 *   construction and in `scheduleFromConfig`.
 *
 * @example
 * ```ts
 * // ×0.96 every 1000 steps, in steps, never below 1e-4
 * const lr = exponentialDecay({
 *   initValue: 0.1, transitionSteps: 1000, decayRate: 0.96, staircase: true, endValue: 1e-4,
 * });
 * lr(2500); // 0.1 · 0.96²
 * ```
 */
export function exponentialDecay(options: ExponentialDecayOptions): Schedule {
  const reader = new ScheduleOptionReader('exponentialDecay', options, KEYS);
  const initValue = reader.number('initValue');
  const transitionSteps = reader.steps('transitionSteps', undefined, 1);
  const decayRate = reader.number('decayRate', undefined, { min: 0, minExclusive: true });
  const staircase = reader.boolean('staircase', false);
  const transitionBegin = reader.steps('transitionBegin', 0);
  const endValue = reader.optionalNumber('endValue');
  if (decayRate > 1 && (endValue === undefined || initValue < 0)) {
    throw new DescentError(
      'BAD_HYPERPARAM',
      endValue === undefined
        ? `exponentialDecay.endValue is required when decayRate > 1 (got decayRate ${decayRate}): a growing value needs an upper bound.`
        : `exponentialDecay.initValue must be ≥ 0 when decayRate > 1, got ${initValue}.`,
    );
  }
  const config = {
    type: 'exponentialDecay',
    initValue,
    transitionSteps,
    decayRate,
    staircase,
    transitionBegin,
    ...(endValue === undefined ? {} : { endValue }),
  };
  const clip = endValue === undefined ? undefined : decayRate < 1 ? Math.max : Math.min;
  const schedule = makeSchedule(config, (step) => {
    const decreased = step - transitionBegin;
    let p = decreased / transitionSteps;
    if (staircase) p = Math.floor(p);
    // η₀ = 0 stays 0 (0·∞ would be NaN once γ^p overflows).
    const decayed = decreased <= 0 || initValue === 0 ? initValue : initValue * decayRate ** p;
    return clip === undefined ? decayed : clip(decayed, endValue as number);
  });
  // γ ≤ 1 moves η₀ toward 0 (or holds it); γ > 1 is capped by endValue.
  return withBound(schedule, Math.max(Math.abs(initValue), Math.abs(endValue ?? 0)));
}

registerScheduleKind('exponentialDecay', (config) =>
  exponentialDecay(optionsOf(config) as unknown as ExponentialDecayOptions),
);
