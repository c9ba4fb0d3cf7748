import {
  checkKnownKeys,
  checkNumber,
  DescentError,
  type HyperParameter,
  isSchedule,
  registerScheduleKind,
  type Schedule,
  type ScheduleConfig,
} from '@descent/core';
import { boundOf, LARGEST_PRODUCT, withBound } from './bound';
import { checkStep, deepFreeze } from './make-schedule';
import { describe, ScheduleOptionReader, optionsOf, rebuild } from './read-options';

/** Options of {@link reduceOnPlateau} (torch `ReduceLROnPlateau`'s, with torch's defaults). */
export interface ReduceOnPlateauOptions {
  /** `f` ∈ (0, 1): the value is multiplied by `f` on a plateau. Default 0.1. */
  factor?: number;
  /** Updates without improvement tolerated before reducing: an integer ≥ 0. Default 10. */
  patience?: number;
  /** `ε_th ≥ 0`: how much better than the best a metric must be to count. Default 1e-4. */
  threshold?: number;
  /** `'rel'`: better than `best·(1 ∓ ε_th)`; `'abs'`: better than `best ∓ ε_th`. Default `'rel'`. */
  thresholdMode?: 'rel' | 'abs';
  /** Updates to wait after a reduction before counting bad ones again: an integer ≥ 0. Default 0. */
  cooldown?: number;
  /** `v_min`: the value never goes below it (any finite number). Default 0. */
  minValue?: number;
  /** `'min'` (a loss: lower is better) or `'max'` (an accuracy). Default `'min'`. */
  mode?: 'min' | 'max';
  /** A reduction smaller than `eps ≥ 0` is skipped (torch's `eps`). Default 1e-8. */
  eps?: number;
  /** `v₀`, the value before any reduction: 1 for a multiplier, or a learning rate. Default 1. */
  initValue?: number;
}

/** The mutable state of a {@link ReduceOnPlateau}, as plain JSON (`best` is null before any metric). */
export interface ReduceOnPlateauState {
  /** The current value. */
  value: number;
  /** The best metric so far, or null before the first update. */
  best: number | null;
  /** Updates since the best one (reset on a reduction and during cooldown). */
  numBadEpochs: number;
  /** Updates of cooldown left. */
  cooldownCounter: number;
  /** How many times `update` ran. */
  updates: number;
}

/** A {@link ReduceOnPlateau} seen as a Schedule: `base(t) · value`, its config holding the live state. */
export type PlateauSchedule = Schedule & { readonly plateau: ReduceOnPlateau };

/**
 * A reduce-on-plateau controller: a small stateful object (the one schedule here that is not a
 * pure function of the step). Call `update(metric)` once per evaluation (e.g. per epoch);
 * `value` drops by `factor` when the metric stopped improving for more than `patience` updates.
 */
export interface ReduceOnPlateau {
  /** The current value (`initValue`, then reduced). */
  readonly value: number;
  /** The resolved options (defaults filled in). */
  readonly options: Readonly<Required<ReduceOnPlateauOptions>>;
  /**
   * Records one metric and returns the (possibly reduced) value.
   *
   * @throws DescentError `NON_FINITE` for NaN or ±Infinity, `BAD_HYPERPARAM` for a non-number.
   */
  update(metric: number): number;
  /** A JSON snapshot of the state, to save or to pass back to {@link reduceOnPlateau}. */
  state(): ReduceOnPlateauState;
  /**
   * This controller as a Schedule multiplying `base` (a number or a schedule, default 1):
   * `η_t = base(t) · value`, reading `value` live. Its `config` is a snapshot of the options,
   * the state and `base`, so an optimizer saved with it (`model.save({ includeOptimizer: true })`)
   * comes back with the state it had; the rebuilt schedule's `plateau` keeps taking `update`s.
   *
   * @throws DescentError `BAD_ARGUMENT` for a function that is not a Schedule, `NON_FINITE` /
   *   `BAD_HYPERPARAM` for a bad number, `BAD_HYPERPARAM` when `base` times the value (or
   *   `minValue`) could exceed half the largest double.
   */
  schedule(base?: HyperParameter): PlateauSchedule;
}

const OPTION_KEYS = [
  'factor',
  'patience',
  'threshold',
  'thresholdMode',
  'cooldown',
  'minValue',
  'mode',
  'eps',
  'initValue',
];
const STATE_KEYS = ['value', 'best', 'numBadEpochs', 'cooldownCounter', 'updates'];

/**
 * Reduce the value when a metric has stopped improving (torch's `ReduceLROnPlateau`, same rule
 * and defaults; Keras's `ReduceLROnPlateau` callback). On each `update(m)`:
 *
 * ```
 * better(m) = m < best·(1 − ε_th)  (min, rel)    m < best − ε_th  (min, abs)
 *             m > best·(1 + ε_th)  (max, rel)    m > best + ε_th  (max, abs)
 * if better(m): best ← m, bad ← 0   else bad ← bad + 1
 * if cooling down: cooldown ← cooldown − 1, bad ← 0
 * if bad > patience: v ← max(v·f, v_min) (skipped if the drop is ≤ eps), cooldown ← C, bad ← 0
 * ```
 *
 * Use `value` directly, or `schedule(base)` to drive an optimizer hyperparameter as a multiplier
 * of another schedule. Keep it outermost — `plateau.schedule(join(…))`, not `join([plateau.schedule(), …])`:
 * the combinators refuse a plateau schedule, whose config changes with its state. Defaults (torch's): `factor` 0.1, `patience` 10, `threshold` 1e-4,
 * `thresholdMode` `'rel'`, `cooldown` 0, `minValue` 0, `mode` `'min'`, `eps` 1e-8; `initValue` 1.
 * Config of `schedule(base)`: `{ type: 'reduceOnPlateau', ...options, state, base }`.
 *
 * @param state - resume from a {@link ReduceOnPlateauState} snapshot (default: fresh).
 * @throws DescentError `BAD_HYPERPARAM` (also an unknown `mode`/`thresholdMode`), `NON_FINITE`
 *   or `UNKNOWN_PARAM` naming the field, at construction and in `scheduleFromConfig`.
 *
 * @example
 * ```ts
 * const plateau = reduceOnPlateau({ factor: 0.5, patience: 2 });
 * const opt = sgd({ learningRate: plateau.schedule(cosineDecay({ initValue: 0.1, decaySteps: 10_000 })) });
 * // after each epoch:
 * plateau.update(validationLoss); // halves the multiplier after 3 epochs without improvement
 * ```
 */
export function reduceOnPlateau(
  options: ReduceOnPlateauOptions = {},
  state?: ReduceOnPlateauState,
): ReduceOnPlateau {
  const resolved = readOptions(options);
  const { factor, patience, threshold, thresholdMode, cooldown, minValue, mode, eps } = resolved;
  const worst = mode === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  const s = state === undefined ? undefined : readState(state);
  let value = s?.value ?? resolved.initValue;
  let best = s?.best ?? worst;
  let numBadEpochs = s?.numBadEpochs ?? 0;
  let cooldownCounter = s?.cooldownCounter ?? 0;
  let updates = s?.updates ?? 0;

  const isBetter = (m: number): boolean => {
    if (mode === 'min')
      return thresholdMode === 'rel' ? m < best * (1 - threshold) : m < best - threshold;
    return thresholdMode === 'rel' ? m > best * (threshold + 1) : m > best + threshold;
  };

  const plateau: ReduceOnPlateau = {
    get value() {
      return value;
    },
    options: Object.freeze(resolved),
    update(metric: number): number {
      checkNumber('reduceOnPlateau metric', metric);
      updates += 1;
      if (isBetter(metric)) {
        best = metric;
        numBadEpochs = 0;
      } else {
        numBadEpochs += 1;
      }
      if (cooldownCounter > 0) {
        cooldownCounter -= 1;
        numBadEpochs = 0;
      }
      if (numBadEpochs > patience) {
        const reduced = Math.max(value * factor, minValue);
        if (value - reduced > eps) value = reduced;
        cooldownCounter = cooldown;
        numBadEpochs = 0;
      }
      return value;
    },
    state: () => ({
      value,
      best: Number.isFinite(best) ? best : null,
      numBadEpochs,
      cooldownCounter,
      updates,
    }),
    schedule: (base: HyperParameter = 1) => plateauSchedule(plateau, base),
  };
  return plateau;
}

function plateauSchedule(plateau: ReduceOnPlateau, base: HyperParameter): PlateauSchedule {
  checkBase(base);
  // The value only moves toward minValue (or 0): |value| stays ≤ max(|value now|, |minValue|).
  const baseBound = boundOf(base);
  const bound =
    baseBound === undefined
      ? undefined
      : baseBound * Math.max(Math.abs(plateau.value), Math.abs(plateau.options.minValue));
  if (bound !== undefined && !(bound <= LARGEST_PRODUCT)) {
    throw new DescentError(
      'BAD_HYPERPARAM',
      `reduceOnPlateau base times the plateau's value (or minValue) reaches ${bound}; it must stay ≤ ${LARGEST_PRODUCT} (the schedule would overflow).`,
    );
  }
  const schedule = (step: number): number => {
    checkStep('reduceOnPlateau', step);
    return (typeof base === 'number' ? base : base(step)) * plateau.value;
  };
  Object.defineProperties(schedule, {
    config: {
      enumerable: true,
      get: (): ScheduleConfig =>
        deepFreeze({
          type: 'reduceOnPlateau',
          ...plateau.options,
          state: plateau.state(),
          base: typeof base === 'number' ? base : base.config,
        }),
    },
    plateau: { value: plateau, enumerable: true },
  });
  const plateauSchedule = schedule as PlateauSchedule;
  return bound === undefined ? plateauSchedule : withBound(plateauSchedule, bound);
}

/** A plateau's base: a finite number or a Schedule. */
function checkBase(base: unknown): asserts base is HyperParameter {
  if (typeof base === 'function' && !isSchedule(base)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `reduceOnPlateau base must be a number or a Schedule, got ${describe(base)}.`,
    );
  }
  if (!isSchedule(base)) checkNumber('reduceOnPlateau base', base);
}

function readOptions(options: ReduceOnPlateauOptions): Required<ReduceOnPlateauOptions> {
  const r = new ScheduleOptionReader('reduceOnPlateau', options, OPTION_KEYS);
  return {
    factor: r.number('factor', 0.1, { min: 0, max: 1, minExclusive: true, maxExclusive: true }),
    patience: r.steps('patience', 10),
    threshold: r.number('threshold', 1e-4, { min: 0 }),
    thresholdMode: r.oneOf('thresholdMode', ['rel', 'abs'] as const, 'rel'),
    cooldown: r.steps('cooldown', 0),
    minValue: r.number('minValue', 0),
    mode: r.oneOf('mode', ['min', 'max'] as const, 'min'),
    eps: r.number('eps', 1e-8, { min: 0 }),
    initValue: r.number('initValue', 1),
  };
}

function readState(state: ReduceOnPlateauState): ReduceOnPlateauState {
  const r = new ScheduleOptionReader('reduceOnPlateau.state', state, STATE_KEYS);
  const best = r.raw('best');
  return {
    value: r.number('value'),
    best: best === undefined ? null : r.number('best'),
    numBadEpochs: r.steps('numBadEpochs'),
    cooldownCounter: r.steps('cooldownCounter'),
    updates: r.steps('updates'),
  };
}

registerScheduleKind('reduceOnPlateau', (config) => {
  const { state, base, ...options } = optionsOf(config);
  checkKnownKeys('reduceOnPlateau options', Object.keys(options), OPTION_KEYS);
  if (state !== undefined && (typeof state !== 'object' || state === null)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `reduceOnPlateau.state must be a state object, got ${describe(state)}.`,
    );
  }
  const plateau = reduceOnPlateau(
    options as ReduceOnPlateauOptions,
    state as ReduceOnPlateauState | undefined,
  );
  return plateau.schedule((rebuild(base) ?? 1) as HyperParameter);
});
