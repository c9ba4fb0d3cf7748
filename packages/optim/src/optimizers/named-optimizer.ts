import * as tf from '@tensorflow/tfjs-core';
import {
  checkOptions,
  DescentError,
  describeValue,
  type HyperParameter,
  isSchedule,
} from '@descent/core';
import { checkedSchedule, givenHyper } from './checked-schedule';
import type { FusedStep } from '../fused/fused-step';
import { type NamedChain, namedChain, relayoutState } from '../transform/named-chain';
import { fromOptionsConfig, optionsToConfig } from './config-codec';
import type { OptimizerDescription, OptionSpec, Resolved } from './optimizer-description';
import { makePreprocessor, PREPROCESSING_KEYS, type PreprocessingOptions } from './preprocessing';
import { TransformOptimizer } from './transform-optimizer';

/** Options of a named optimizer: numbers, booleans, strings, schedules, and arrays or records of them. */
export type OptimizerOptions = object;

/** What a description makes of one set of options. */
interface Built<O extends object> {
  resolved: Resolved<O>;
  core: NamedChain;
  fused: FusedStep | undefined;
}

/**
 * The options checked (unknown names, each option's range, the description's own check), with
 * their defaults, and what they make: the chain and the fused step. A schedule for an option with
 * a range is checked against it at every step ({@link checkedSchedule}). Throws before anything
 * exists.
 */
function build<O extends object>(description: OptimizerDescription<O>, options: O): Built<O> {
  const { name, notObject } = description;
  const specs = description.options as Record<string, OptionSpec<unknown>>;
  checkOptions(name, options, [...PREPROCESSING_KEYS, ...Object.keys(specs)], notObject);
  const given = options as Record<string, unknown>;
  const resolved: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(specs)) {
    const value = given[key] === undefined ? spec.default : given[key];
    if (value !== undefined || spec.required) spec.check(key, value);
    resolved[key] =
      spec.range !== undefined && isSchedule(value)
        ? checkedSchedule(key, value, spec.range)
        : value;
  }
  const typed = resolved as Resolved<O>;
  description.check?.(typed);
  const core = namedChain(description.chain(typed));
  return { resolved: typed, core, fused: description.fused?.(typed, core.layout) };
}

/**
 * Base of the named optimizers (`adam`, `sgd`, …), each made by {@link defineOptimizer} from one
 * {@link OptimizerDescription}: a {@link TransformOptimizer} whose config is its options, so it
 * serializes with `model.save(…, { includeOptimizer: true })` and comes back with
 * `tf.loadLayersModel` (schedules travel as their JSON config and are rebuilt by
 * `scheduleFromConfig`, so their kind must be registered when loading).
 *
 * As `tf.train`'s optimizers, it has a `learningRate` that may be assigned (or set with
 * {@link setLearningRate}) between steps: the next step uses it, and `getConfig()` (so a saved
 * model) holds it. The state carries over.
 *
 * tfjs-layers converts every key and every string of a loaded config from snake_case to camelCase
 * (`'exp_range'` → `'expRange'`); `getConfig` therefore writes `_` and `%` in keys and strings as
 * `%5F` and `%25`, and `fromConfig` reads them back, so every option round-trips unchanged. An
 * option that is a function (other than a schedule) or a tensor cannot be saved: `getConfig`
 * throws naming it.
 */
export abstract class NamedOptimizer<O extends OptimizerOptions> extends TransformOptimizer {
  private readonly description: OptimizerDescription<O>;
  private given: Readonly<O>;
  private built: Built<O>;

  constructor(options: O, description: OptimizerDescription<O>) {
    const built = build(description, options);
    const preprocessor = makePreprocessor(options as PreprocessingOptions);
    super(preprocessor ? preprocessor.wrap(built.core) : built.core);
    this.preprocessor = preprocessor;
    this.fusedStep = built.fused;
    this.description = description;
    this.built = built;
    this.given = Object.freeze({ ...options });
  }

  /** The options as given (before defaults). */
  get options(): Readonly<O> {
    return this.given;
  }

  /** `η`: a number or a schedule. Assigning it is {@link setLearningRate}. */
  get learningRate(): HyperParameter {
    return givenHyper(
      (this.built.resolved as unknown as { learningRate: HyperParameter }).learningRate,
    );
  }

  set learningRate(value: HyperParameter) {
    this.setLearningRate(value);
  }

  /**
   * Sets `η` from the next step on (as `tf.train.sgd`'s `setLearningRate`, and assigning
   * `optimizer.learningRate`): a number or a schedule, checked as the option is. The state and
   * the step count carry over (a schedule set mid-run is evaluated at the steps taken so far;
   * from 0 where the optimizer had no learning rate, as `adafactor` without one); `getConfig()`
   * holds the new value.
   *
   * @throws DescentError `BAD_HYPERPARAM` / `NON_FINITE` / `BAD_ARGUMENT` for a bad value; nothing changes then.
   */
  setLearningRate(value: HyperParameter): void {
    const given = { ...this.given, learningRate: value } as O;
    const built = build(this.description, given);
    const from = this.built.core.layout;
    this.replaceTransform(
      this.preprocessor ? this.preprocessor.wrap(built.core) : built.core,
      built.fused,
      (state) =>
        this.preprocessor
          ? this.preprocessor.withCore(state, (core) => relayoutState(core, from, built.core))
          : relayoutState(state, from, built.core),
    );
    this.built = built;
    this.given = Object.freeze(given);
  }

  /** Frees the state, scratch buffers and the optimizer's copies of its `masks`. */
  override dispose(): void {
    super.dispose();
    this.preprocessor?.dispose();
    this.preprocessor = undefined;
  }

  /**
   * The options, schedules replaced by their JSON configs, `_` and `%` escaped (see the class).
   *
   * @throws DescentError `BAD_ARGUMENT` for an option that cannot be saved (a function, a tensor).
   */
  override getConfig(): tf.serialization.ConfigDict {
    const { masks: _notSaved, ...saved } = this.given as PreprocessingOptions;
    return optionsToConfig(saved);
  }

  /** Rebuilds an optimizer from {@link getConfig}'s output (schedules through `scheduleFromConfig`). */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return fromOptionsConfig(cls, config);
  }
}

/** The class {@link defineOptimizer} makes: `new Adam(options)`, `Adam.className`. */
export interface NamedOptimizerClass<O extends object> {
  new (options?: O): NamedOptimizer<O>;
  readonly className: string;
  /** Rebuilds an optimizer from the output of its `getConfig()`, as `tf.serialization` does. */
  fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T;
}

/**
 * The `tf.Optimizer` subclass of a description, registered with `tf.serialization` (so
 * `model.save({ includeOptimizer: true })` and `tf.loadLayersModel` know it).
 *
 * @throws DescentError `BAD_ARGUMENT` for a description that is not one: no plain object, a
 *   `name` or `className` that is no non-empty string, `options` that are not option specs,
 *   `chain` (or `check`, `fused`) not a function.
 */
export function defineOptimizer<O extends object>(
  description: OptimizerDescription<O>,
): NamedOptimizerClass<O> {
  checkDescription(description);
  const cls = class extends NamedOptimizer<O> {
    static override get className(): string {
      return description.className;
    }

    constructor(options: O = {} as O) {
      super(options, description);
    }
  };
  registerOptimizer(cls);
  return cls;
}

/**
 * Registers an optimizer class for `tf.serialization` (idempotent across repeated imports).
 *
 * @throws DescentError `BAD_ARGUMENT` when `cls` is no class with a static, non-empty `className`.
 */
export function registerOptimizer(
  cls: tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
): void {
  const className = (cls as { className?: unknown } | null)?.className;
  if (typeof cls !== 'function' || typeof className !== 'string' || className === '') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `registerOptimizer: cls must be a tf.Optimizer class with a static className, got ${describeValue(cls)}.`,
    );
  }
  tf.serialization.registerClass(cls);
}

/** Asserts `description` has the form of an {@link OptimizerDescription}. */
function checkDescription(description: unknown): void {
  const d = description as Record<string, unknown> | null;
  const fail = (field: string, expected: string, got: unknown): never => {
    throw new DescentError(
      'BAD_ARGUMENT',
      `defineOptimizer: ${field} must be ${expected}, got ${describeValue(got)}.`,
    );
  };
  if (typeof d !== 'object' || d === null || Array.isArray(d)) {
    fail('description', 'an OptimizerDescription object', description);
  }
  const described = d as Record<string, unknown>;
  for (const field of ['name', 'className']) {
    const value = described[field];
    if (typeof value !== 'string' || value === '') {
      fail(`description.${field}`, 'a non-empty string', value);
    }
  }
  const options = described.options;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    fail('description.options', 'an object of option specs', options);
  }
  for (const [key, spec] of Object.entries(options as object)) {
    if (typeof (spec as Partial<OptionSpec<unknown>> | null)?.check !== 'function') {
      fail(`description.options.${key}`, 'an option spec { default?, check }', spec);
    }
  }
  if (typeof described.chain !== 'function') {
    fail('description.chain', 'a function', described.chain);
  }
  for (const field of ['check', 'fused']) {
    const value = described[field];
    if (value !== undefined && typeof value !== 'function') {
      fail(`description.${field}`, 'a function', value);
    }
  }
}
