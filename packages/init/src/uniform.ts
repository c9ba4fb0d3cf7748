import * as tf from '@tensorflow/tfjs-core';
import {
  SCHEME_KEYS,
  type SchemeOptions,
  allocating,
  checkLayoutFits,
  checkShapeArg,
  readSchemeOptions,
} from './options';

/** Options of {@link uniform}. */
export interface UniformOptions extends SchemeOptions {
  /** Lower bound (default −0.05, Keras' `RandomUniform`). */
  minval?: number;
  /** Upper bound, greater than `minval` (default 0.05). */
  maxval?: number;
}

/** {@link uniform}'s options, read and checked as far as they do not depend on the shape. */
export function readUniformOptions(fn: string, options: unknown) {
  const { read, layout, rng } = readSchemeOptions(fn, options, [
    ...SCHEME_KEYS,
    'minval',
    'maxval',
  ]);
  const minval = read.float32('minval', -0.05);
  const maxval = read.float32('maxval', 0.05, { min: minval, minExclusive: true });
  return { minval, maxval, layout, rng };
}

/**
 * Uniform initialization `W_ij ~ U[a, b)`, i.i.d., variance `(b − a)²/12` (Keras' `RandomUniform`,
 * torch's `uniform_`). Values are 24-bit uniforms from `@descent/core`'s `Rng`, the same on every
 * backend.
 *
 * @param shape - the tensor's shape.
 * @param options - `minval` (−0.05), `maxval` (0.05), `rng` or `seed` (one is required), `layout` (checked only).
 * @returns a new float32 tensor; the caller disposes it.
 * @throws DescentError `BAD_ARGUMENT` (malformed or too large shape, missing or bad generator,
 *   options not an object), `UNKNOWN_PARAM` (unknown option), `BAD_HYPERPARAM` if
 *   `maxval ≤ minval` or a bound is not a number or beyond float32's range, `NON_FINITE` for
 *   non-finite bounds.
 * @example
 * ```ts
 * const w = uniform([3, 3, 16, 32], { minval: -0.1, maxval: 0.1, seed: 'conv1' });
 * ```
 */
export function uniform(shape: readonly number[], options?: UniformOptions): tf.Tensor {
  const size = checkShapeArg('uniform', shape);
  const { minval, maxval, layout, rng } = readUniformOptions('uniform', options);
  checkLayoutFits('uniform', shape, layout);
  return allocating('uniform', shape, () =>
    tf.tensor(rng().uniformArray(size, minval, maxval), [...shape], 'float32'),
  );
}
