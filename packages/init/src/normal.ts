import * as tf from '@tensorflow/tfjs-core';
import { checkNumber } from '@descent/core';
import {
  SCHEME_KEYS,
  type SchemeOptions,
  checkLayoutFits,
  checkShapeArg,
  readOptions,
  resolveRng,
} from './options';

/** Options of {@link normal}. */
export interface NormalOptions extends SchemeOptions {
  /** Mean μ (default 0). */
  mean?: number;
  /** Standard deviation σ ≥ 0 (default 0.05, Keras' `RandomNormal`). */
  stddev?: number;
}

/**
 * Gaussian initialization `W_ij ~ N(μ, σ²)`, i.i.d. (Keras' `RandomNormal`, torch's `normal_`).
 * The "naive" initialization of the survey (§4.1): with a fixed σ such as 0.01 the signal of a
 * deep net shrinks or grows geometrically with depth; the fan-scaled schemes fix σ instead.
 *
 * Values are polar-method normals from `@descent/core`'s `Rng`, computed in JS and uploaded, so
 * a seed gives the same tensor on every backend.
 *
 * @param shape - the tensor's shape.
 * @param options - `mean` (0), `stddev` (0.05), `rng` or `seed` (one is required), `layout` (checked only).
 * @returns a new float32 tensor; the caller disposes it.
 * @throws DescentError `BAD_ARGUMENT` (shape, missing generator, unknown option),
 *   `BAD_HYPERPARAM`/`NON_FINITE` (negative or non-finite σ, non-finite μ).
 * @example
 * ```ts
 * const w = normal([784, 300], { stddev: 0.01, seed: 1 });
 * ```
 */
export function normal(shape: readonly number[], options?: NormalOptions): tf.Tensor {
  const size = checkShapeArg('normal', shape);
  const o = readOptions('normal', options, [...SCHEME_KEYS, 'mean', 'stddev']);
  const { mean = 0, stddev = 0.05 } = o;
  checkNumber('normal: mean', mean);
  checkNumber('normal: stddev', stddev, { min: 0 });
  checkLayoutFits('normal', shape, o.layout);
  const rng = resolveRng('normal', o);
  return tf.tensor(rng.normalArray(size, mean, stddev), [...shape], 'float32');
}
