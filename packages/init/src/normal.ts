import * as tf from '@tensorflow/tfjs-core';
import { NORMAL_Z_BOUND } from './float32-range';
import {
  SCHEME_KEYS,
  type SchemeOptions,
  allocating,
  checkLayoutFits,
  checkShapeArg,
  readSchemeOptions,
} from './options';

/** Options of {@link normal}. */
export interface NormalOptions extends SchemeOptions {
  /** Mean μ (default 0). */
  mean?: number;
  /** Standard deviation σ ≥ 0 (default 0.05, Keras' `RandomNormal`). */
  stddev?: number;
}

/** {@link normal}'s options, read and checked as far as they do not depend on the shape. */
export function readNormalOptions(fn: string, options: unknown) {
  const { read, layout, rng } = readSchemeOptions(fn, options, [...SCHEME_KEYS, 'mean', 'stddev']);
  const mean = read.float32('mean', 0);
  const stddev = read.float32('stddev', 0.05, { min: 0 });
  read.fitsFloat32('stddev', stddev, Math.abs(mean) + NORMAL_Z_BOUND * stddev);
  return { mean, stddev, layout, rng };
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
 * @throws DescentError `BAD_ARGUMENT` (malformed or too large shape, missing or bad generator,
 *   options not an object), `UNKNOWN_PARAM` (unknown option),
 *   `BAD_HYPERPARAM`/`NON_FINITE` (negative or non-finite σ, non-finite μ, or values that would
 *   overflow float32).
 * @example
 * ```ts
 * const w = normal([784, 300], { stddev: 0.01, seed: 1 });
 * ```
 */
export function normal(shape: readonly number[], options?: NormalOptions): tf.Tensor {
  const size = checkShapeArg('normal', shape);
  const { mean, stddev, layout, rng } = readNormalOptions('normal', options);
  checkLayoutFits('normal', shape, layout);
  return allocating('normal', shape, () =>
    tf.tensor(rng().normalArray(size, mean, stddev), [...shape], 'float32'),
  );
}
