import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { type DescentError, type DescentErrorCode, isDescentError } from '../errors/descent-error';
import { isTensor } from '../validate/is-tensor';

/** Something that keeps state by name, as a tfjs optimizer does (`getWeights`). */
export interface WeightsOwner {
  getWeights(): Promise<readonly { name: string; tensor: tf.Tensor }[]>;
}

/**
 * State a failed call must leave bit-identical: a tensor or variable, an optimizer (any
 * `getWeights` owner), or arrays and records of them. Numbers, strings and booleans inside records
 * are compared too.
 */
export type Watched =
  | tf.Tensor
  | WeightsOwner
  | number
  | string
  | boolean
  | null
  | undefined
  | readonly Watched[]
  | { readonly [key: string]: Watched };

/** What {@link expectBadInput} requires of a call given bad input. */
export interface BadInputExpectation {
  /** The code (or any of the codes) the `DescentError` must carry. */
  code: DescentErrorCode | readonly DescentErrorCode[];
  /** Fragments the message must contain: the argument's name, its shape, … */
  mentions?: readonly string[];
  /** State the call must not change (compared bit for bit). */
  unchanged?: Watched;
}

/**
 * Runs a call given bad input and asserts that it is refused the way descent promises: it throws
 * (or rejects with) a `DescentError` with the expected code whose message names the argument,
 * `tf.memory().numTensors` is the same afterwards, and every watched tensor, variable and
 * optimizer state is bit-identical to what it was before. Returns the error.
 *
 * @example
 * ```ts
 * await expectBadInput(() => opt.applyGradients({ w: tf.zeros([3]) }), {
 *   code: 'SHAPE_MISMATCH', mentions: ['w', '[3]'], unchanged: [w, opt],
 * });
 * ```
 */
export async function expectBadInput(
  action: () => unknown,
  expectation: BadInputExpectation,
): Promise<DescentError> {
  const before = await snapshot(expectation.unchanged);
  const tensorsBefore = tf.memory().numTensors;
  let thrown: unknown;
  let returned: unknown;
  try {
    returned = await action();
  } catch (e) {
    thrown = e;
  }
  const tensorsAfter = tf.memory().numTensors;
  const codes = ([] as DescentErrorCode[]).concat(expectation.code);
  expect(
    isDescentError(thrown),
    `expected a DescentError ${codes.join(' | ')}, got ${thrown === undefined ? `a result (${describeResult(returned)})` : String(thrown)}`,
  ).toBe(true);
  const error = thrown as DescentError;
  expect(codes, error.message).toContain(error.code);
  for (const fragment of expectation.mentions ?? []) expect(error.message).toContain(fragment);
  expect(tensorsAfter - tensorsBefore, `the failed call leaked tensors: ${error.message}`).toBe(0);
  const after = await snapshot(expectation.unchanged);
  expect(after, `the failed call changed state: ${error.message}`).toEqual(before);
  return error;
}

function describeResult(value: unknown): string {
  if (isTensor(value)) return `a ${value.dtype} tensor of shape [${value.shape.join(', ')}]`;
  return typeof value === 'object' && value !== null ? 'an object' : String(value);
}

/**
 * A comparable copy of watched state: every tensor as its dtype, shape and raw bytes (so NaN and
 * -0 compare exactly), every optimizer as its named weights.
 */
export async function snapshot(watched: Watched): Promise<unknown> {
  if (watched === null || watched === undefined) return watched;
  if (typeof watched !== 'object') return watched;
  if (isTensor(watched)) return tensorSnapshot(watched);
  if (Array.isArray(watched)) return Promise.all(watched.map((w) => snapshot(w)));
  if (isWeightsOwner(watched)) {
    const weights = await watched.getWeights();
    return Promise.all(weights.map(async (w) => [w.name, await tensorSnapshot(w.tensor)]));
  }
  const entries = Object.entries(watched as Record<string, Watched>);
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) out[key] = await snapshot(value);
  return out;
}

async function tensorSnapshot(t: tf.Tensor): Promise<unknown> {
  if (t.isDisposed) return { disposed: true, shape: t.shape };
  const data = await t.data();
  const bytes = ArrayBuffer.isView(data)
    ? Array.from(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
    : data;
  return { dtype: t.dtype, shape: t.shape, bytes };
}

function isWeightsOwner(value: object): value is WeightsOwner {
  return typeof (value as { getWeights?: unknown }).getWeights === 'function';
}
