import * as tf from '@tensorflow/tfjs-core';
import {
  DescentError,
  hyperFromConfig,
  isSchedule,
  isTensor,
  type ScheduleConfig,
} from '@descent/core';
import type { GradientTransformation } from '../transform/gradient-transformation';
import { TransformOptimizer } from './transform-optimizer';

/** Options of a named optimizer: numbers, booleans, strings, schedules, and arrays or records of them. */
export type OptimizerOptions = object;

/**
 * Key added by tfjs-layers' deserializer to every config it passes to `fromConfig`; not an option.
 */
const LAYERS_CUSTOM_OBJECTS = 'customObjects';

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
    super(transform);
    this.options = Object.freeze({ ...options });
  }

  /**
   * The options, schedules replaced by their JSON configs, `_` and `%` escaped (see the class).
   *
   * @throws DescentError `BAD_ARGUMENT` for an option that cannot be saved (a function, a tensor).
   */
  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {};
    for (const [key, value] of Object.entries(this.options)) {
      if (value === undefined) continue;
      config[escapeName(key)] = toConfigValue(
        key,
        isSchedule(value) ? value.config : value,
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
    for (const [key, raw] of Object.entries(config)) {
      if (key === LAYERS_CUSTOM_OBJECTS) continue;
      const value = fromConfigValue(raw);
      const isScheduleConfig =
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        typeof (value as { type?: unknown }).type === 'string';
      options[unescapeName(key)] = isScheduleConfig
        ? hyperFromConfig(value as unknown as ScheduleConfig)
        : value;
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

function escapeName(s: string): string {
  return s.replace(/[%_]/g, (c) => (c === '%' ? '%25' : '%5F'));
}

function unescapeName(s: string): string {
  return s.replace(/%(25|5F)/g, (_, code: string) => (code === '25' ? '%' : '_'));
}

/** A JSON-safe copy of an option value, strings and keys escaped. */
function toConfigValue(path: string, value: unknown): unknown {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return escapeName(value);
  if (isSchedule(value)) return toConfigValue(path, value.config);
  if (Array.isArray(value)) return value.map((v, i) => toConfigValue(`${path}[${i}]`, v));
  if (typeof value === 'object' && !isTensor(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) out[escapeName(k)] = toConfigValue(`${path}.${k}`, v);
    }
    return out;
  }
  const what =
    typeof value === 'function' ? 'a function' : isTensor(value) ? 'a tensor' : typeof value;
  throw new DescentError(
    'BAD_ARGUMENT',
    `option ${path} is ${what}, which an optimizer config cannot hold, so this optimizer cannot be ` +
      'saved with its model; give it as data (numbers, strings, records, schedules) instead.',
  );
}

/** Inverse of {@link toConfigValue} (schedules are rebuilt by the caller). */
function fromConfigValue(value: unknown): unknown {
  if (typeof value === 'string') return unescapeName(value);
  if (Array.isArray(value)) return value.map(fromConfigValue);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[unescapeName(k)] = fromConfigValue(v);
    return out;
  }
  return value;
}
