import * as tf from '@tensorflow/tfjs-core';
import { DescentError, type Params, describeValue, isPlainObject, isTensor } from '@descent/core';
import { lossValueError } from '../loss/loss-fn';

/** What an evaluation returns: named numbers, e.g. `{ loss, accuracy }`. */
export type Evaluation = Record<string, number>;

/** How the first call of a loss-or-evaluation turned out. */
export type Probe = { kind: 'loss'; value: number } | { kind: 'evaluation'; value: Evaluation };

/**
 * Calls `f(params)` once and tells a loss from an evaluation by what it returns: a float32 scalar
 * tensor is a loss (its value is read, and whatever the call allocated is freed, as `tf.tidy`
 * would); a promise or a plain object is an evaluation (awaited and checked; what the call
 * allocated is left to it, since an async function still uses it after returning).
 *
 * @throws DescentError `BAD_ARGUMENT` (`f` returned neither), `SHAPE_MISMATCH` (a tensor that
 *   is not a float32 scalar), `DISPOSED`, and what {@link checkEvaluation} throws; what `f` throws
 *   or rejects with passes through unchanged.
 */
export async function probeEvaluation(
  fn: string,
  f: (params: Params) => unknown,
  params: Params,
): Promise<Probe> {
  const engine = tf.engine();
  engine.startScope();
  let result: unknown;
  try {
    result = f(params);
  } catch (error) {
    engine.endScope();
    throw error;
  }
  if (isTensor(result)) {
    const problem = scalarProblem(fn, result);
    const kept = problem === undefined ? tf.reshape(result, [1]) : undefined;
    engine.endScope(kept);
    if (kept === undefined) throw problem;
    try {
      return { kind: 'loss', value: (await kept.data())[0] as number };
    } finally {
      kept.dispose();
    }
  }
  engine.endScope(engine.state.activeScope.track.slice());
  return { kind: 'evaluation', value: await settledEvaluation(fn, result) };
}

/** An evaluation's awaited, checked result (a rejection passes through unchanged). */
export async function settledEvaluation(
  fn: string,
  result: unknown,
  expectedKeys?: readonly string[],
): Promise<Evaluation> {
  return checkEvaluation(fn, await result, expectedKeys);
}

/**
 * Asserts an evaluation result is a non-empty plain object of numbers (NaN and ±∞ allowed: a far
 * point may diverge) with exactly `expectedKeys`, when given.
 *
 * @throws DescentError `BAD_ARGUMENT`.
 */
export function checkEvaluation(
  fn: string,
  value: unknown,
  expectedKeys?: readonly string[],
): Evaluation {
  const expected =
    'lossOrEvaluate must return a float32 scalar tensor (a loss) or a record of numbers such as { loss, accuracy } (or a promise of one)';
  if (!isPlainObject(value) || Object.keys(value).length === 0) {
    throw new DescentError('BAD_ARGUMENT', `${fn}: ${expected}, got ${describeValue(value)}.`);
  }
  const bad = Object.keys(value).find((k) => typeof value[k] !== 'number');
  if (bad !== undefined) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: ${expected}; its entry ${JSON.stringify(bad)} is ${describeValue(value[bad])}.`,
    );
  }
  const keys = Object.keys(value);
  if (expectedKeys !== undefined && !sameKeys(keys, expectedKeys)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: every evaluation must return the same metrics; got ${listKeys(keys)} after ${listKeys(expectedKeys)}.`,
    );
  }
  return value as Evaluation;
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((k) => b.includes(k));
}

function listKeys(keys: readonly string[]): string {
  return `{ ${keys.map((k) => JSON.stringify(k)).join(', ')} }`;
}

function scalarProblem(fn: string, value: tf.Tensor): DescentError | undefined {
  if (value.isDisposed) {
    return new DescentError('DISPOSED', `${fn}: lossOrEvaluate returned a disposed tensor.`);
  }
  return lossValueError(fn, value);
}
