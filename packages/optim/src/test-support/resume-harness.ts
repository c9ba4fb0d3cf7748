/**
 * Test support (not exported): checks that an optimizer saved with `getWeights()` mid-run and
 * restored into a fresh one with `setWeights()` follows the uninterrupted trajectory exactly.
 */
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { type Float64Param, sampleGradient, sampleParams, uniqueSuffix } from './optimizer-harness';

/** The gradient fed at `step` to parameter `index` (default: the harness' sample gradients). */
export type GradientFeed = (param: Float64Param, index: number, step: number) => Float64Array;

function feed(
  optimizer: tf.Optimizer,
  params: Float64Param[],
  from: number,
  to: number,
  gradient: GradientFeed,
): void {
  for (let step = from; step < to; step++) {
    const grads: tf.NamedTensorMap = {};
    params.forEach((p, index) => {
      grads[p.name] = tf.tensor(Float32Array.from(gradient(p, index, step)), p.shape);
    });
    optimizer.applyGradients(grads);
    tf.dispose(Object.values(grads));
  }
}

function makeVariables(params: Float64Param[]): tf.Variable[] {
  return params.map((p) =>
    tf.variable(tf.tensor(Float32Array.from(p.values), p.shape), true, p.name),
  );
}

/**
 * Runs `steps` steps uninterrupted, then the same with a `getWeights()` → `setWeights()` hand-over
 * to a fresh optimizer after `splitAt` steps, on variables of the same names, and asserts the
 * final values are bit-for-bit equal.
 */
export async function expectResumes(
  makeOptimizer: () => tf.Optimizer,
  {
    steps = 7,
    splitAt = 3,
    gradient = sampleGradient,
  }: { steps?: number; splitAt?: number; gradient?: GradientFeed } = {},
): Promise<void> {
  const params = sampleParams(`resume${uniqueSuffix()}`);
  let variables = makeVariables(params);
  const straight = makeOptimizer();
  feed(straight, params, 0, steps, gradient);
  const expected = await Promise.all(variables.map(async (v) => Array.from(await v.data())));
  straight.dispose();
  tf.dispose(variables);

  variables = makeVariables(params);
  const first = makeOptimizer();
  feed(first, params, 0, splitAt, gradient);
  const saved = await first.getWeights();
  const second = makeOptimizer();
  await second.setWeights(saved);
  first.dispose();
  feed(second, params, splitAt, steps, gradient);
  const actual = await Promise.all(variables.map(async (v) => Array.from(await v.data())));
  second.dispose();
  tf.dispose(variables);
  expect(actual).toEqual(expected);
}
