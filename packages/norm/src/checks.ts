import type * as tf from '@tensorflow/tfjs-core';
import {
  DescentError,
  OptionReader,
  checkDtype,
  checkKnownKeys,
  checkTensor,
  describeValue,
  formatShape,
  isPlainObject,
  sameShape,
} from '@descent/core';
import { resolveAxis } from './axes';

/**
 * Asserts `x` is a live float32 tensor of rank ≥ `minRank`; `layout` describes the expected axes
 * for the message (e.g. `'[N, …, C]'`).
 */
export function checkInput(
  name: string,
  x: unknown,
  minRank: number,
  layout: string,
): asserts x is tf.Tensor {
  checkDtype(name, x, 'float32');
  if (x.rank < minRank) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `${name} has shape ${formatShape(x.shape)} (rank ${x.rank}); expected rank ≥ ${minRank}, ${layout}.`,
    );
  }
}

/**
 * Reads `fn`'s options with core's `OptionReader` (fields named `<fn>.<field>` in errors; `null`
 * reads as absent); `undefined` options read as `{}`.
 *
 * @throws DescentError `BAD_ARGUMENT` when `options` is not a plain object, `UNKNOWN_PARAM` for a
 * key outside `known`.
 */
export function readOptions(fn: string, options: unknown, known: readonly string[]): OptionReader {
  return new OptionReader(fn, options === undefined ? {} : options, known);
}

/** The required `training` option of the stateful ops (the caller must say which mode). */
export function trainingOption(read: OptionReader): boolean {
  if (read.raw('training') === undefined) {
    throw new DescentError(
      'BAD_HYPERPARAM',
      `${read.name('training')} is required: true uses (and updates from) batch statistics, false uses the running ones.`,
    );
  }
  return read.boolean('training', false);
}

/** The epsilon of every normalization: finite and > 0. */
export function epsilonOption(read: OptionReader, fallback = 1e-3): number {
  return read.number('epsilon', fallback, { min: 0, minExclusive: true });
}

/** The running-statistics momentum: in [0, 1]. */
export function momentumOption(read: OptionReader): number {
  return read.number('momentum', 0.99, { min: 0, max: 1 });
}

/** The channel axis option (default `-1`), resolved against `shape`. */
export function axisOption(read: OptionReader, shape: readonly number[]): number {
  return resolveAxis(read.name('axis'), read.raw('axis') ?? -1, shape);
}

/** The most channels (or output units) a state may have: 2²⁴, a 64 MiB float32 vector. */
export const MAX_CHANNELS = 2 ** 24;

/** Affine parameters shared by every normalization: a scale `gamma` and a shift `beta`, both optional. */
export interface AffineParams {
  /** Scale γ, one per normalized feature (see each op for its shape); omitted = 1. */
  gamma?: tf.Tensor;
  /** Shift β, same shape as `gamma`; omitted = 0. */
  beta?: tf.Tensor;
}

/**
 * Asserts `params` is an object whose `gamma` and `beta` (each optional) have `shape`, and that
 * it has no other keys than `known`.
 */
export function checkAffine(
  name: string,
  params: unknown,
  shape: readonly number[],
  what: string,
  known: readonly string[] = ['gamma', 'beta'],
): asserts params is AffineParams {
  checkRecord(
    name,
    params,
    `{ ${known.map((k) => (k === 'gamma' || k === 'beta' ? `${k}?` : k)).join(', ')} }`,
  );
  checkKnownKeys(name, Object.keys(params), known);
  for (const key of ['gamma', 'beta'] as const) {
    const t = (params as Record<string, unknown>)[key];
    if (t === undefined) continue;
    checkParamShape(`${name}.${key}`, t, shape, what);
  }
}

/** Asserts a float32 parameter tensor of exactly `shape`; `what` explains the shape in the message. */
export function checkParamShape(
  name: string,
  t: unknown,
  shape: readonly number[],
  what: string,
): asserts t is tf.Tensor {
  checkTensor(name, t);
  if (!sameShape(t.shape, shape)) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `${name} has shape ${formatShape(t.shape)}, expected ${formatShape(shape)} (${what}).`,
    );
  }
  checkDtype(name, t, 'float32');
}

/** Asserts a `{ mean, variance }` running-statistics state of `shape`. */
export function checkMomentsState(
  name: string,
  state: unknown,
  shape: readonly number[],
  what: string,
): asserts state is { mean: tf.Tensor; variance: tf.Tensor } {
  checkRecord(name, state, '{ mean, variance } (see batchNormState)');
  checkKnownKeys(name, Object.keys(state), ['mean', 'variance']);
  const s = state as Record<string, unknown>;
  checkParamShape(`${name}.mean`, s.mean, shape, what);
  checkParamShape(`${name}.variance`, s.variance, shape, what);
}

/**
 * Asserts `value` is a plain object of named entries (core's `isPlainObject`: not null, an array,
 * a tensor, a Map, a function or a class instance);
 * `expected` describes it for the message, e.g. `'{ mean, variance }'`.
 */
export function checkRecord(
  name: string,
  value: unknown,
  expected: string,
): asserts value is Record<string, unknown> {
  if (!isPlainObject(value)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name} must be an object ${expected}, got ${describeValue(value)}.`,
    );
  }
}
