import * as tf from '@tensorflow/tfjs-core';
import { hyperFromConfig, hyperToConfig, isSchedule, type ScheduleConfig } from '@descent/core';
import type { GradientTransformation } from '../transform/gradient-transformation';
import { TransformOptimizer } from './transform-optimizer';

/** Options of a named optimizer: numbers, booleans, strings and schedules. */
export type OptimizerOptions = object;

/**
 * Base of the named optimizers (`adam`, `sgd`, …): a {@link TransformOptimizer} whose config is its
 * options, so it serializes with `model.save({ includeOptimizer: true })` and comes back with
 * `tf.loadLayersModel` (schedules travel as their JSON config). Subclasses set `className`
 * (`descent.<Name>`) and register themselves with `tf.serialization.registerClass`.
 */
export abstract class NamedOptimizer<O extends OptimizerOptions> extends TransformOptimizer {
  /** The options as given (before defaults). */
  readonly options: Readonly<O>;

  constructor(options: O, transform: GradientTransformation) {
    super(transform);
    this.options = Object.freeze({ ...options });
  }

  /** The options, schedules replaced by their JSON configs. */
  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {};
    for (const [key, value] of Object.entries(this.options)) {
      if (value === undefined) continue;
      config[key] = (
        isSchedule(value) ? hyperToConfig(value) : value
      ) as tf.serialization.ConfigDictValue;
    }
    return config;
  }

  /** Rebuilds an optimizer from {@link getConfig}'s output (schedules through `scheduleFromConfig`). */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    const options: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(config)) {
      const isScheduleConfig =
        typeof value === 'object' &&
        value !== null &&
        typeof (value as { type?: unknown }).type === 'string';
      options[key] = isScheduleConfig ? hyperFromConfig(value as unknown as ScheduleConfig) : value;
    }
    return new (cls as unknown as new (o: Record<string, unknown>) => T)(options);
  }
}

/** Registers an optimizer class for `tf.serialization` (idempotent across repeated imports). */
export function registerOptimizer(
  cls: tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
): void {
  tf.serialization.registerClass(cls);
}
