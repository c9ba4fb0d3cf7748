import { registerScheduleKind, type Schedule } from '@descent/core';
import { withBound } from './bound';
import { makeSchedule } from './make-schedule';
import { ScheduleOptionReader, optionsOf } from './read-options';

/** Options of {@link polynomialDecay}. */
export interface PolynomialDecayOptions {
  /** `η₀`, the value up to `transitionBegin` (any finite number). Required. */
  initValue: number;
  /** `η_end`, the value from `transitionBegin + transitionSteps` on (any finite number). Required. */
  endValue: number;
  /** `p > 0`, the power of the polynomial. Default 1 (linear). */
  power?: number;
  /** `T`, the length of the transition: an integer ≥ 1. Required. */
  transitionSteps: number;
  /** `B`, an integer ≥ 0: the value is held at `η₀` until this step. Default 0. */
  transitionBegin?: number;
}

const KEYS = ['initValue', 'endValue', 'power', 'transitionSteps', 'transitionBegin'];

/** `(η₀ − η_end)·(1 − clip(t − B, 0, T)/T)^p + η_end` (optax's `polynomial_schedule`). */
export function polynomialValue(
  initValue: number,
  endValue: number,
  power: number,
  transitionSteps: number,
  transitionBegin: number,
  step: number,
): number {
  const count = Math.min(Math.max(step - transitionBegin, 0), transitionSteps);
  const frac = 1 - count / transitionSteps;
  return (initValue - endValue) * frac ** power + endValue;
}

/**
 * Polynomial decay from `initValue` to `endValue` (optax's `polynomial_schedule`; survey §5.1):
 *
 * ```
 * η_t = (η₀ − η_end) · (1 − min(max(t − B, 0), T) / T)^p + η_end
 * ```
 *
 * so `η₀` until step `B`, `η_end` from step `B + T` on. Defaults: `power` 1, `transitionBegin` 0.
 * Unlike optax (a silent constant for `transitionSteps ≤ 0`), a non-positive `transitionSteps`
 * is an error. Config:
 * `{ type: 'polynomialDecay', initValue, endValue, power, transitionSteps, transitionBegin }`.
 *
 * @throws DescentError `BAD_HYPERPARAM` (also when `initValue − endValue` overflows), `NON_FINITE`
 *   or `UNKNOWN_PARAM` naming the field, at construction and in `scheduleFromConfig`.
 *
 * @example
 * ```ts
 * const lr = polynomialDecay({ initValue: 25, endValue: 10, power: 2, transitionSteps: 10 });
 * lr(5); // 10 + 15 · 0.5² = 13.75
 * ```
 */
export function polynomialDecay(options: PolynomialDecayOptions): Schedule {
  const reader = new ScheduleOptionReader('polynomialDecay', options, KEYS);
  const initValue = reader.number('initValue');
  const endValue = reader.number('endValue');
  const power = reader.number('power', 1, { min: 0, minExclusive: true });
  const transitionSteps = reader.steps('transitionSteps', undefined, 1);
  const transitionBegin = reader.steps('transitionBegin', 0);
  reader.derived(['initValue', 'endValue'], 'initValue − endValue', initValue - endValue);
  const config = {
    type: 'polynomialDecay',
    initValue,
    endValue,
    power,
    transitionSteps,
    transitionBegin,
  };
  const schedule = makeSchedule(config, (step) =>
    polynomialValue(initValue, endValue, power, transitionSteps, transitionBegin, step),
  );
  return withBound(schedule, Math.max(Math.abs(initValue), Math.abs(endValue)));
}

registerScheduleKind('polynomialDecay', (config) =>
  polynomialDecay(optionsOf(config) as unknown as PolynomialDecayOptions),
);
