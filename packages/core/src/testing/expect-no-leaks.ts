import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

/**
 * Runs `fn` and asserts `tf.memory().numTensors` is the same afterwards. Whatever `fn` returns is
 * passed through, so dispose any tensor you create for the assertion inside `fn`.
 *
 * @example
 * ```ts
 * await expectNoLeaks(async () => { const y = tf.add(x, 1); await y.data(); y.dispose(); });
 * ```
 */
export async function expectNoLeaks<T>(fn: () => T | Promise<T>): Promise<T> {
  const before = tf.memory().numTensors;
  const result = await fn();
  const after = tf.memory().numTensors;
  expect(after - before, `tensors leaked (numTensors ${before} → ${after})`).toBe(0);
  return result;
}
