import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { BAD_INPUT_RUNS } from '../testing/bad-values';

/** Bad-input cases of some exports: each registers its `it`s (inside the backend's `describe`). */
export type CaseGroup = Record<string, () => void>;

/** Runs an async property over `BAD_INPUT_RUNS` generated values. */
export function property<T>(arbitrary: fc.Arbitrary<T>, check: (value: T) => Promise<void>) {
  return fc.assert(fc.asyncProperty(arbitrary, check), { numRuns: BAD_INPUT_RUNS });
}

/** A float32 tensor that was disposed (made and disposed outside any property run). */
export function disposedTensor(shape: number[] = [2]): tf.Tensor {
  const t = tf.zeros(shape);
  t.dispose();
  return t;
}

/** A variable that owns its buffer, with the values `0, 1, …`. */
export function ownedVariable(shape: number[] = [2]): tf.Variable {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tidy(() => tf.variable(tf.reshape(tf.range(0, size), shape)));
}

/** Anything at all, tensors excluded (none is allocated), for total functions. */
export const anything: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything(),
  fc.constant(Object.create(null) as unknown),
  fc.constant(() => 1),
  fc.constant(Symbol('s')),
);
