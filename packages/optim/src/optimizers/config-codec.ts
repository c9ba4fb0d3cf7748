import type * as tf from '@tensorflow/tfjs-core';
import {
  DescentError,
  hyperFromConfig,
  isSchedule,
  isTensor,
  type ScheduleConfig,
} from '@descent/core';

/**
 * Key added by tfjs-layers' deserializer to every config it passes to `fromConfig`; not an option.
 */
const LAYERS_CUSTOM_OBJECTS = 'customObjects';

/** A config as tfjs-layers hands it to `fromConfig`, without the `customObjects` it adds. */
export function withoutLayersKeys(
  config: tf.serialization.ConfigDict,
): tf.serialization.ConfigDict {
  const { [LAYERS_CUSTOM_OBJECTS]: _customObjects, ...rest } = config;
  return rest;
}

/**
 * An optimizer's options as its config: schedules replaced by their JSON configs, `_` and `%` in
 * keys and strings written as `%5F` and `%25` (tfjs-layers converts every key and every string of
 * a loaded config from snake_case to camelCase, `'exp_range'` → `'expRange'`), `undefined` left out.
 * {@link optionsFromConfig} inverts it.
 *
 * @throws DescentError `BAD_ARGUMENT` for an option that cannot be saved (a function, a tensor).
 */
export function optionsToConfig(options: object): tf.serialization.ConfigDict {
  const config: tf.serialization.ConfigDict = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    config[escapeName(key)] = toConfigValue(key, value) as tf.serialization.ConfigDictValue;
  }
  return config;
}

/**
 * Inverse of {@link optionsToConfig}, also for a config as tfjs-layers hands it over: schedules
 * (records with a string `type`) are rebuilt through `scheduleFromConfig`.
 */
export function optionsFromConfig(config: tf.serialization.ConfigDict): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(withoutLayersKeys(config))) {
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
  return options;
}

/**
 * A `cls` built from the options in `config` (see {@link optionsFromConfig}): `fromConfig` of an
 * optimizer whose constructor takes its options and whose config is {@link optionsToConfig}'s.
 */
export function fromOptionsConfig<T extends tf.serialization.Serializable>(
  cls: tf.serialization.SerializableConstructor<T>,
  config: tf.serialization.ConfigDict,
): T {
  return new (cls as unknown as new (options: Record<string, unknown>) => T)(
    optionsFromConfig(config),
  );
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
