import type * as tf from '@tensorflow/tfjs-core';
import {
  DescentError,
  checkBoolean,
  checkDtype,
  checkKnownKeys,
  checkNumber,
  checkOptions,
  checkTensor,
  describeValue,
  formatShape,
  sameShape,
} from '@descent/core';

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
 * Asserts `options` is a plain object (or undefined) with only `known` keys (core's
 * `checkOptions`, named after `fn`); returns it, `{}` for undefined.
 */
export function readOptions<T extends object>(
  fn: string,
  options: T | undefined,
  known: readonly string[],
): Partial<T> {
  if (options === undefined) return {};
  checkOptions(fn, options, known);
  return options;
}

/** Asserts `options.training` is given and boolean (stateful ops make the caller say which mode). */
export function checkTraining(name: string, value: unknown): asserts value is boolean {
  if (value === undefined) {
    throw new DescentError(
      'BAD_HYPERPARAM',
      `${name} is required: true uses (and updates from) batch statistics, false uses the running ones.`,
    );
  }
  checkBoolean(name, value);
}

/** Reads a number option with a default and a range. */
export function numberOption(
  name: string,
  value: unknown,
  fallback: number,
  range: Parameters<typeof checkNumber>[2],
): number {
  const v = value === undefined ? fallback : value;
  checkNumber(name, v, range);
  return v;
}

/** The epsilon of every normalization: finite and > 0. */
export function epsilonOption(name: string, value: unknown): number {
  return numberOption(name, value, 1e-3, { min: 0, minExclusive: true });
}

/** The running-statistics momentum: in [0, 1]. */
export function momentumOption(name: string, value: unknown): number {
  return numberOption(name, value, 0.99, { min: 0, max: 1 });
}

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
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name} must be an object { gamma?, beta? }, got ${describeValue(params)}.`,
    );
  }
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
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name} must be an object { mean, variance } (see batchNormState), got ${describeValue(state)}.`,
    );
  }
  checkKnownKeys(name, Object.keys(state), ['mean', 'variance']);
  const s = state as Record<string, unknown>;
  checkParamShape(`${name}.mean`, s.mean, shape, what);
  checkParamShape(`${name}.variance`, s.variance, shape, what);
}
