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

/** Options of {@link uniform}. */
export interface UniformOptions extends SchemeOptions {
  /** Lower bound (default −0.05, Keras' `RandomUniform`). */
  minval?: number;
  /** Upper bound, greater than `minval` (default 0.05). */
  maxval?: number;
}

/**
 * Uniform initialization `W_ij ~ U[a, b)`, i.i.d., variance `(b − a)²/12` (Keras' `RandomUniform`,
 * torch's `uniform_`). Values are 24-bit uniforms from `@descent/core`'s `Rng`, the same on every
 * backend.
 *
 * @param shape - the tensor's shape.
 * @param options - `minval` (−0.05), `maxval` (0.05), `rng` or `seed` (one is required), `layout` (checked only).
 * @returns a new float32 tensor; the caller disposes it.
 * @throws DescentError `BAD_ARGUMENT` (shape, generator, unknown option), `BAD_HYPERPARAM` if
 *   `maxval ≤ minval`, `NON_FINITE` for infinite bounds.
 * @example
 * ```ts
 * const w = uniform([3, 3, 16, 32], { minval: -0.1, maxval: 0.1, seed: 'conv1' });
 * ```
 */
export function uniform(shape: readonly number[], options?: UniformOptions): tf.Tensor {
  const size = checkShapeArg('uniform', shape);
  const o = readOptions('uniform', options, [...SCHEME_KEYS, 'minval', 'maxval']);
  const { minval = -0.05, maxval = 0.05 } = o;
  checkNumber('uniform: minval', minval);
  checkNumber('uniform: maxval', maxval, { min: minval, minExclusive: true });
  checkNumber('uniform: maxval − minval', maxval - minval);
  checkLayoutFits('uniform', shape, o.layout);
  const rng = resolveRng('uniform', o);
  return tf.tensor(rng.uniformArray(size, minval, maxval), [...shape], 'float32');
}
