import * as tf from '@tensorflow/tfjs-core';
import type { GradientTransformation } from '../transform/gradient-transformation';
import { fromOptionsConfig, optionsToConfig } from './config-codec';
import { makePreprocessor, type PreprocessingOptions } from './preprocessing';
import { TransformOptimizer } from './transform-optimizer';

/** Options of a named optimizer: numbers, booleans, strings, schedules, and arrays or records of them. */
export type OptimizerOptions = object;

/**
 * Base of the named optimizers (`adam`, `sgd`, …): a {@link TransformOptimizer} whose config is its
 * options, so it serializes with `model.save(…, { includeOptimizer: true })` and comes back with
 * `tf.loadLayersModel` (schedules travel as their JSON config and are rebuilt by
 * `scheduleFromConfig`, so their kind must be registered when loading). Subclasses set `className`
 * (`descent.<Name>`) and register themselves with {@link registerOptimizer}.
 *
 * tfjs-layers converts every key and every string of a loaded config from snake_case to camelCase
 * (`'exp_range'` → `'expRange'`); `getConfig` therefore writes `_` and `%` in keys and strings as
 * `%5F` and `%25`, and `fromConfig` reads them back, so every option round-trips unchanged. An
 * option that is a function (other than a schedule) or a tensor cannot be saved: `getConfig`
 * throws naming it.
 */
export abstract class NamedOptimizer<O extends OptimizerOptions> extends TransformOptimizer {
  /** The options as given (before defaults). */
  readonly options: Readonly<O>;

  constructor(options: O, transform: GradientTransformation) {
    const preprocessor = makePreprocessor(options as PreprocessingOptions);
    super(preprocessor ? preprocessor.wrap(transform) : transform);
    this.preprocessor = preprocessor;
    this.options = Object.freeze({ ...options });
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
    const { masks: _notSaved, ...saved } = this.options as PreprocessingOptions;
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

/** Registers an optimizer class for `tf.serialization` (idempotent across repeated imports). */
export function registerOptimizer(
  cls: tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
): void {
  tf.serialization.registerClass(cls);
}
