import {
  checkBoolean,
  checkNumber,
  DescentError,
  describeValue,
  type HyperParameter,
  hyperValue,
  type NumberRange,
} from '@descent/core';
import type { FusedStep } from '../fused/fused-step';
import type { GradientTransformation } from '../transform/gradient-transformation';
import type { ChainLayout } from '../transform/named-chain';
import { checkDecayMask, type DecayMask } from '../transforms/add-decayed-weights';
import type { PreprocessingOptions } from './preprocessing';

/** One option of a named optimizer: its default and its check. */
export interface OptionSpec<T> {
  /** The value when the option is not given (`undefined`: the option is off, or required). */
  readonly default?: T;
  /** Whether the option must be given (it has no default). */
  readonly required?: boolean;
  /** Asserts a given or default value is valid; throws a `DescentError` naming `name`. */
  check(name: string, value: T): void;
  /**
   * The range of a hyperparameter's values: a schedule given for the option is checked against it
   * at every step (as a number is once), whichever transformation reads it.
   */
  readonly range?: NumberRange;
}

const RANGE_KEYS: Readonly<Record<keyof NumberRange, 'number' | 'boolean'>> = {
  min: 'number',
  max: 'number',
  minExclusive: 'boolean',
  maxExclusive: 'boolean',
  integer: 'boolean',
};

/** `[0, 1)`: decay rates such as `β₁`, `β₂`. */
export const DECAY_RATE: NumberRange = { min: 0, max: 1, maxExclusive: true };
/** `[0, ∞)`: learning rates, weight decay, `ε`. */
export const NON_NEGATIVE: NumberRange = { min: 0 };

/**
 * A number, or a schedule of the step count, in `range`: a schedule is checked at step 0 here, and
 * at every step later (see {@link OptionSpec.range}).
 *
 * @throws DescentError `BAD_ARGUMENT` for a `range` that is no {@link NumberRange} or a default
 *   that is neither a number nor a schedule; `BAD_HYPERPARAM` / `NON_FINITE` for one outside it.
 */
export function hyperOption(
  defaultValue: HyperParameter | undefined,
  range?: NumberRange,
): OptionSpec<HyperParameter> {
  checkRange('hyperOption', range);
  if (defaultValue !== undefined) hyperValue('hyperOption default', defaultValue, 0, range);
  return {
    ...(defaultValue === undefined ? {} : { default: defaultValue }),
    ...(range === undefined ? {} : { range }),
    check: (name, value) => {
      hyperValue(name, value, 0, range);
    },
  };
}

/**
 * A number or a schedule that must be given (no default), checked as {@link hyperOption}.
 *
 * @throws DescentError `BAD_ARGUMENT` for a `range` that is no {@link NumberRange}.
 */
export function requiredHyperOption(range?: NumberRange): OptionSpec<HyperParameter> {
  checkRange('requiredHyperOption', range);
  return { ...hyperOption(undefined, range), required: true };
}

/**
 * A plain number in `range`.
 *
 * @throws DescentError `BAD_ARGUMENT` for a `range` that is no {@link NumberRange};
 *   `BAD_HYPERPARAM` / `NON_FINITE` for a default outside it.
 */
export function numberOption(
  defaultValue: number | undefined,
  range?: NumberRange,
): OptionSpec<number> {
  checkRange('numberOption', range);
  if (defaultValue !== undefined) checkNumber('numberOption default', defaultValue, range);
  return {
    ...(defaultValue === undefined ? {} : { default: defaultValue }),
    check: (name, value) => checkNumber(name, value, range),
  };
}

/**
 * A boolean switch.
 *
 * @throws DescentError `BAD_ARGUMENT` for a default that is not a boolean.
 */
export function booleanOption(defaultValue: boolean): OptionSpec<boolean> {
  if (typeof defaultValue !== 'boolean') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `booleanOption default must be a boolean, got ${describeValue(defaultValue)}.`,
    );
  }
  return { default: defaultValue, check: (name, value) => checkBoolean(name, value) };
}

/** Which parameters a term applies to (see `weightDecayMask()`); default all. */
export const maskOption: OptionSpec<DecayMask | undefined> = {
  check: (name, value) => checkDecayMask(name, value),
};

/** An option the optimizer's transformations check themselves, or one with no invalid value. */
export function chainCheckedOption<T>(defaultValue?: T): OptionSpec<T> {
  return { ...(defaultValue === undefined ? {} : { default: defaultValue }), check: () => {} };
}

/**
 * The Adam family's moment options: `β₁` in [0, 1) (a number or a schedule; default 0.9), `β₂` in
 * [0, 1) (default 0.999) and `ε` ≥ 0 (default 1e-8, torch's). Spread into a description's options.
 */
export const ADAM_MOMENT_OPTIONS = {
  beta1: hyperOption(0.9, DECAY_RATE),
  beta2: numberOption(0.999, DECAY_RATE),
  epsilon: numberOption(1e-8, NON_NEGATIVE),
} as const;

/** The options of `O` that a description declares (gradient preprocessing is common to all). */
export type OwnOptions<O> = Omit<O, keyof PreprocessingOptions>;

/** Options after defaults: every declared key present (`undefined` where off and not given). */
export type Resolved<O> = Required<OwnOptions<O>>;

/**
 * Everything that makes a named optimizer, in one place: its options (defaults and checks), its
 * update as a chain of named gradient transformations, and its fused step where it has one.
 * `defineOptimizer` builds from it the option validation (unknown names are `UNKNOWN_PARAM`), the
 * `tf.Optimizer` subclass registered for serialization, `getConfig`/`fromConfig`, a settable
 * `learningRate`, and the state layout the fused step reads by name.
 */
export interface OptimizerDescription<O extends object> {
  /** The factory's name, used in messages (`'adamw'`). */
  readonly name: string;
  /** The serialization name (`'descent.AdamW'`). */
  readonly className: string;
  /** Every option but the common gradient preprocessing (`globalClipNorm`, `masks`). */
  readonly options: { readonly [K in keyof OwnOptions<O>]-?: OptionSpec<OwnOptions<O>[K]> };
  /** The message when the options are not an object (e.g. a required option's hint). */
  readonly notObject?: string;
  /** Checks between options (after each option's own check). */
  check?(options: Resolved<O>): void;
  /**
   * The update: transformations by name, applied in key order (`undefined` ones left out). Fused
   * steps find each element's state by these names.
   */
  chain(options: Resolved<O>): Readonly<Record<string, GradientTransformation | undefined>>;
  /**
   * One fused in-place kernel step equal to the chain, given where each element's state is
   * (descent's own optimizers: fused steps are built from the package's kernels).
   *
   * @internal
   */
  fused?(options: Resolved<O>, layout: ChainLayout): FusedStep;
}

/** Asserts `range` is absent or a {@link NumberRange} (finite bounds, boolean flags, nothing else). */
function checkRange(what: string, range: unknown): void {
  if (range === undefined) return;
  const fields = range as Record<string, unknown> | null;
  const ok =
    typeof fields === 'object' &&
    fields !== null &&
    Object.getPrototypeOf(fields) === Object.prototype &&
    Object.entries(fields).every(([key, value]) => {
      const kind = RANGE_KEYS[key as keyof NumberRange];
      if (kind === undefined) return false;
      if (value === undefined) return true;
      return kind === 'number' ? Number.isFinite(value) : typeof value === 'boolean';
    });
  if (!ok) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${what} range must be a NumberRange { min?, max?, minExclusive?, maxExclusive?, integer? } ` +
        `with finite bounds, got ${describeValue(range)}.`,
    );
  }
}
