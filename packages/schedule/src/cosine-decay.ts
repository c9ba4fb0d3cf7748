import { registerScheduleKind, type Schedule } from '@descent/core';
import { withBound } from './bound';
import { makeSchedule } from './make-schedule';
import { ScheduleOptionReader, optionsOf } from './read-options';

/** Options of {@link cosineDecay}. */
export interface CosineDecayOptions {
  /** `η₀`, the value at step 0 (any finite number). Required. */
  initValue: number;
  /** `T`, the length of the decay: an integer ≥ 1. Required. */
  decaySteps: number;
  /** `α` ∈ [0, 1], the final multiplier: the value ends at `α·η₀` (Keras: a fraction of `η₀`). Default 0. */
  alpha?: number;
  /** `p > 0`, applied to the cosine factor. Default 1. */
  exponent?: number;
}

const KEYS = ['initValue', 'decaySteps', 'alpha', 'exponent'];

/** The cosine factor `c^p` with `c = ½(1 + cos(π·min(t, T)/T))`, in [0, 1]. */
export function cosineFactor(decaySteps: number, exponent: number, step: number): number {
  const count = Math.min(step, decaySteps);
  // π·(count/T), not (π·count)/T: the product would overflow for a huge T.
  return (0.5 * (1 + Math.cos(Math.PI * (count / decaySteps)))) ** exponent;
}

/**
 * Cosine decay (Loshchilov & Hutter, 2017, "SGDR", one cycle without restarts; optax's
 * `cosine_decay_schedule`; survey §5.1):
 *
 * ```
 * c   = ½ · (1 + cos(π · min(t, T) / T))
 * η_t = η₀ · ((1 − α) · c^p + α)
 * ```
 *
 * so `η₀` at step 0 and `α·η₀` from step `T` on. `alpha` is optax's final *multiplier* (Keras's
 * `alpha` too), not torch's absolute `eta_min`: `CosineAnnealingLR(eta_min)` is `α = eta_min/η₀`.
 * Defaults: `alpha` 0, `exponent` 1. Config:
 * `{ type: 'cosineDecay', initValue, decaySteps, alpha, exponent }`.
 *
 * @throws DescentError `BAD_HYPERPARAM` (also `alpha` outside [0, 1]), `NON_FINITE` or
 *   `UNKNOWN_PARAM` naming the field, at construction and in `scheduleFromConfig`.
 *
 * @example
 * ```ts
 * const lr = cosineDecay({ initValue: 0.1, decaySteps: 100, exponent: 2 });
 * [0, 10, 50, 75, 100].map(lr); // [0.1, 0.0951655…, 0.025, 0.00214466…, 0]
 * ```
 */
export function cosineDecay(options: CosineDecayOptions): Schedule {
  const reader = new ScheduleOptionReader('cosineDecay', options, KEYS);
  const initValue = reader.number('initValue');
  const decaySteps = reader.steps('decaySteps', undefined, 1);
  const alpha = reader.number('alpha', 0, { min: 0, max: 1 });
  const exponent = reader.number('exponent', 1, { min: 0, minExclusive: true });
  const config = { type: 'cosineDecay', initValue, decaySteps, alpha, exponent };
  const schedule = makeSchedule(
    config,
    (step) => initValue * ((1 - alpha) * cosineFactor(decaySteps, exponent, step) + alpha),
  );
  return withBound(schedule, Math.abs(initValue));
}

registerScheduleKind('cosineDecay', (config) =>
  cosineDecay(optionsOf(config) as unknown as CosineDecayOptions),
);
