/**
 * Test support (not exported): drives optimizers with fixed gradient sequences and compares with
 * float64 references, and runs the convergence problems of optax's test suite.
 */
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { isDescentError, type Schedule } from '@descent/core';
import { expectClose, expectNoLeaks } from '@descent/core/testing';

/** A named float64 parameter with its shape. */
export interface Float64Param {
  name: string;
  shape: number[];
  values: Float64Array;
}

/** Three parameters of different shapes (a matrix, a vector, a scalar), deterministic values. */
export function sampleParams(prefix: string): Float64Param[] {
  const make = (name: string, shape: number[], phase: number): Float64Param => {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = Float64Array.from({ length: size }, (_, i) =>
      Math.fround(Math.sin(1.3 * i + phase) * 1.5),
    );
    return { name: `${prefix}/${name}`, shape, values };
  };
  return [make('kernel', [3, 5], 0.1), make('bias', [5], 0.7), make('scale', [], 1.9)];
}

/** The gradient of parameter `index` at `step`: deterministic, mixed signs and magnitudes, float32-exact. */
export function sampleGradient(param: Float64Param, index: number, step: number): Float64Array {
  return Float64Array.from(param.values, (_, i) =>
    Math.fround(Math.cos(0.7 * i + 1.1 * step + index) * (1 + ((i + step) % 3)) * 0.5),
  );
}

/**
 * Runs `steps` steps of `optimizer` on fresh variables built from `params`, feeding the gradients
 * of {@link sampleGradient}, and returns the final values (float32, read asynchronously).
 */
export async function runWithSampleGradients(
  optimizer: tf.Optimizer,
  params: Float64Param[],
  steps: number,
): Promise<Float64Array[]> {
  const variables = params.map((p) =>
    tf.variable(tf.tensor(Float32Array.from(p.values), p.shape), true, p.name),
  );
  for (let step = 0; step < steps; step++) {
    const grads: tf.NamedTensorMap = {};
    params.forEach((p, index) => {
      grads[p.name] = tf.tensor(Float32Array.from(sampleGradient(p, index, step)), p.shape);
    });
    optimizer.applyGradients(grads);
    tf.dispose(Object.values(grads));
  }
  const out = await Promise.all(variables.map(async (v) => Float64Array.from(await v.data())));
  tf.dispose(variables);
  return out;
}

/**
 * A float64 reference: given the values of every parameter (mutable), applies one step in place.
 * `grads[k]` is the gradient of parameter `k`; `step` is 0 at the first step.
 */
export type ReferenceStep = (values: Float64Array[], grads: Float64Array[], step: number) => void;

/** Runs a reference over the same gradient sequence. */
export function runReference(
  params: Float64Param[],
  steps: number,
  reference: ReferenceStep,
): Float64Array[] {
  const values = params.map((p) => Float64Array.from(p.values));
  for (let step = 0; step < steps; step++) {
    reference(
      values,
      params.map((p, index) => sampleGradient(p, index, step)),
      step,
    );
  }
  return values;
}

/** Asserts an optimizer follows a float64 reference for `steps` steps on {@link sampleParams}. */
export async function expectMatchesReference(
  makeOptimizer: () => tf.Optimizer,
  reference: ReferenceStep,
  {
    steps = 6,
    rtol = 1e-5,
    atol = 1e-6,
    prefix = 'ref',
  }: { steps?: number; rtol?: number; atol?: number; prefix?: string } = {},
): Promise<void> {
  const params = sampleParams(`${prefix}${uniqueSuffix()}`);
  const optimizer = makeOptimizer();
  const actual = await runWithSampleGradients(optimizer, params, steps);
  optimizer.dispose();
  const expected = runReference(params, steps, reference);
  for (let k = 0; k < params.length; k++) {
    await expectClose(actual[k] as Float64Array, expected[k] as Float64Array, { rtol, atol });
  }
}

/** A {@link Schedule} of `fn` whose config has kind `type` (tests never serialize it). */
export function testSchedule(fn: (step: number) => number, type = 'test'): Schedule {
  return Object.assign(fn, { config: { type } });
}

/** The message of the `DescentError` that `fn` throws, `undefined` if it throws none; rethrows any other error. */
export function descentErrorMessage(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (isDescentError(e)) return e.message;
    throw e;
  }
  return undefined;
}

let counter = 0;
/** Variable names are global in tfjs: every run gets its own. */
export function uniqueSuffix(): string {
  counter += 1;
  return `_${counter}`;
}

/** The two convergence problems of optax's optimizer tests. */
export const PROBLEMS = {
  /** `f(x) = Σ (x − [1, −2])²` from `[0, 0]`: optimum `[1, −2]`. */
  parabola: {
    start: [0, 0],
    optimum: [1, -2],
    loss: (x: tf.Tensor) => tf.sum(tf.square(tf.sub(x, tf.tensor([1, -2])))),
  },
  /** Rosenbrock `(a − x)² + b(y − x²)²`, a = 1, b = 100, from `[0, 0]`: optimum `[1, 1]`. */
  rosenbrock: {
    start: [0, 0],
    optimum: [1, 1],
    loss: (v: tf.Tensor) => {
      const x = tf.slice(v, 0, 1);
      const y = tf.slice(v, 1, 1);
      return tf.sum(
        tf.add(tf.square(tf.sub(1, x)), tf.mul(100, tf.square(tf.sub(y, tf.square(x))))),
      );
    },
  },
} as const;

/**
 * Minimizes a problem with `optimizer.minimize` for at most `maxSteps` steps and asserts the result
 * is within rtol = atol = 3e-2 of the optimum (optax's acceptance test). Returns the steps taken.
 */
export async function expectConverges(
  optimizer: tf.Optimizer,
  problem: keyof typeof PROBLEMS,
  maxSteps = 10_000,
): Promise<number> {
  const { start, optimum, loss } = PROBLEMS[problem];
  const x = tf.variable(tf.tensor(start), true, `${problem}${uniqueSuffix()}`);
  let steps = 0;
  const close = (values: ArrayLike<number>) =>
    optimum.every((o, i) => Math.abs((values[i] as number) - o) <= 3e-2 + 3e-2 * Math.abs(o));
  for (; steps < maxSteps; steps++) {
    optimizer.minimize(() => loss(x) as tf.Scalar, false, [x]);
    if (steps % 100 === 99 && close(await x.data())) break;
  }
  const final = Array.from(await x.data());
  x.dispose();
  optimizer.dispose();
  expect(
    close(final),
    `${problem}: reached ${final} after ${steps} steps, optimum ${optimum}`,
  ).toBe(true);
  return steps;
}

/**
 * Asserts that `steps` calls of `minimize` on `f(x) = Σ x²` leave `tf.memory().numTensors`
 * unchanged once the first call has created the state, and that `dispose()` then frees everything
 * the optimizer made. `initial` is the start value of `x` (its shape decides which slots exist).
 * With `steadyState: false`, only runs `steps` calls inside `expectNoLeaks` (no state-creating
 * first call, no count in between).
 */
export async function expectNoLeaksOverSteps(
  makeOptimizer: () => tf.Optimizer,
  {
    steps = 100,
    initial = [2, 4],
    name = 'leak',
    steadyState = true,
  }: { steps?: number; initial?: number[] | number[][]; name?: string; steadyState?: boolean } = {},
): Promise<void> {
  const x = tf.variable(tf.tensor(initial), true, `${name}${uniqueSuffix()}`);
  const loss = () => tf.sum(tf.square(x)) as tf.Scalar;
  await expectNoLeaks(() => {
    const opt = makeOptimizer();
    if (!steadyState) {
      for (let i = 0; i < steps; i++) opt.minimize(loss, false, [x]);
      opt.dispose();
      return;
    }
    opt.minimize(loss, false, [x]); // creates the state
    const before = tf.memory().numTensors;
    for (let i = 0; i < steps; i++) opt.minimize(loss, false, [x]);
    expect(tf.memory().numTensors).toBe(before);
    opt.dispose();
  });
  x.dispose();
}

/** One bad construction: the options, and what the `DescentError` message must match. */
export type ConstructionErrorCase<O> = readonly [options: O, message: RegExp];

/**
 * Asserts `make(options)` throws a `DescentError` whose message matches `message` for every case,
 * and that none of them created a tensor.
 */
export function expectConstructionErrors<O>(
  make: (options: O) => unknown,
  cases: readonly ConstructionErrorCase<NoInfer<O>>[],
): void {
  const before = tf.memory().numTensors;
  for (const [options, message] of cases) {
    expect(
      descentErrorMessage(() => make(options)),
      String(message),
    ).toMatch(message);
  }
  expect(tf.memory().numTensors).toBe(before);
}
