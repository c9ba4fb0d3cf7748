import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { DescentError, describeValue } from '@descent/core';

type BatchNormalizationArgs = NonNullable<Parameters<typeof tfl.layers.batchNormalization>[0]>;

/** The arguments every tfjs-layers layer takes (`name`, `trainable`, `inputShape`, …). */
export type LayerArgs = NonNullable<ConstructorParameters<typeof tfl.layers.Layer>[0]>;

/** An initializer as tfjs-layers takes one: an instance or an identifier such as `'ones'`. */
export type InitializerArg = NonNullable<BatchNormalizationArgs['gammaInitializer']>;

/** A regularizer as tfjs-layers takes one: an instance or an identifier such as `'l1l2'`. */
export type RegularizerArg = NonNullable<BatchNormalizationArgs['gammaRegularizer']>;

/** A constraint as tfjs-layers takes one: an instance or an identifier such as `'nonNeg'`. */
export type ConstraintArg = NonNullable<BatchNormalizationArgs['gammaConstraint']>;

/** A resolved initializer (tfjs-layers' `Initializer`). */
export type Initializer = Exclude<InitializerArg, string>;
/** A resolved regularizer (tfjs-layers' `Regularizer`). */
export type Regularizer = Exclude<RegularizerArg, string>;
/** A resolved constraint (tfjs-layers' `Constraint`). */
export type Constraint = Exclude<ConstraintArg, string>;

type Kind = 'initializer' | 'regularizer' | 'constraint';

/**
 * An initializer, regularizer or constraint from what tfjs-layers accepts for one: an instance,
 * an identifier (`'ones'`, `'glorotUniform'`, `'l1l2'`, `'nonNeg'`: tfjs-layers' identifiers are
 * its class names with a lower-case first letter, or in lower case; any registered class name
 * works too) or the `{ className, config }` form of a saved model. `null`/`undefined` give
 * `fallback` resolved (or `null` without one).
 *
 * @throws DescentError `BAD_ARGUMENT` for an unknown identifier or an object of another kind.
 */
export function resolveKerasObject<T>(
  name: string,
  kind: Kind,
  value: unknown,
  fallback?: string,
): T | null {
  if (value === undefined || value === null) {
    return fallback === undefined ? null : resolveKerasObject<T>(name, kind, fallback);
  }
  const resolved = isSerializable(value)
    ? value
    : typeof value === 'string'
      ? fromRegistry(name, kind, value, {})
      : isClassConfig(value)
        ? fromRegistry(name, kind, value.className, value.config)
        : undefined;
  if (resolved instanceof BASE_CLASSES[kind]()) return resolved as T;
  throw new DescentError(
    'BAD_ARGUMENT',
    `${name} must be a tfjs-layers ${kind}, an identifier such as ${example(kind)} or ` +
      `{ className, config }, got ${describeValue(value)}.`,
  );
}

/** tfjs-layers' saved form of an initializer, regularizer or constraint: `{ className, config }`, or `null`. */
export function serializeKerasObject(
  value: tf.serialization.Serializable | null,
): tf.serialization.ConfigDict | null {
  return value === null ? null : { className: value.getClassName(), config: value.getConfig() };
}

/** tfjs-layers' base classes, which it does not export: the parents of the classes it does. */
const BASE_CLASSES: Record<Kind, () => abstract new (...args: never[]) => unknown> = {
  initializer: () => Object.getPrototypeOf(tfl.initializers.zeros().constructor),
  regularizer: () => Object.getPrototypeOf(tfl.regularizers.l1l2().constructor),
  constraint: () => Object.getPrototypeOf(tfl.constraints.nonNeg().constructor),
};

function fromRegistry(name: string, kind: Kind, id: string, config: unknown): unknown {
  const registry = tf.serialization.SerializationMap.getMap().classNameMap;
  const candidates = [id, id.charAt(0).toUpperCase() + id.slice(1), id.toUpperCase()];
  const className = candidates.find((c) => c in registry);
  const entry = className === undefined ? undefined : registry[className];
  if (entry === undefined) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name} = ${JSON.stringify(id)} is not a registered ${kind}; expected e.g. ${example(kind)}.`,
    );
  }
  const [cls, fromConfig] = entry;
  return fromConfig(cls, { ...(config as tf.serialization.ConfigDict) });
}

function isSerializable(value: unknown): value is tf.serialization.Serializable {
  return value instanceof tf.serialization.Serializable;
}

function isClassConfig(value: unknown): value is { className: string; config: unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { className?: unknown }).className === 'string'
  );
}

function example(kind: Kind): string {
  return { initializer: "'ones'", regularizer: "'l1l2'", constraint: "'nonNeg'" }[kind];
}
