import type * as tf from '@tensorflow/tfjs-core';
import { SCHEME_KEYS, type SchemeOptions, readSchemeOptions } from './options';
import { drawScaled, fanDenominator, fansOf } from './variance-scaling';

/** Options of {@link lecunNormal}. */
export interface LecunNormalOptions extends SchemeOptions {
  /** `'truncatedNormal'` (default, Keras) or `'normal'` (untruncated); both have variance 1/fanIn. */
  distribution?: 'truncatedNormal' | 'normal';
}

/** {@link lecunNormal}'s options, read and checked as far as they do not depend on the shape. */
export function readLecunNormalOptions(fn: string, options: unknown) {
  const { read, layout, rng } = readSchemeOptions(fn, options, [...SCHEME_KEYS, 'distribution']);
  const distribution = read.choice(
    'distribution',
    ['truncatedNormal', 'normal'],
    'truncatedNormal',
  );
  return { distribution, layout, rng };
}

/**
 * LeCun normal initialization: `Var(W) = 1 / fanIn`, zero mean (LeCun et al. 1998; the init of
 * SELU networks). By default a ±2σ truncated normal whose σ is corrected so the variance is exact
 * (Keras ≥ 2.3); `distribution: 'normal'` draws an untruncated one.
 *
 * @param shape - dense `[in, out]`, conv2d `[kh, kw, in, out]` or vector.
 * @param options - `distribution`, `rng` or `seed` (one is required), `layout` (inferred from the rank).
 * @returns a new float32 tensor; the caller disposes it.
 * @throws DescentError `SHAPE_MISMATCH` for a shape without fans, `BAD_ARGUMENT` for bad options.
 * @example
 * ```ts
 * const w = lecunNormal([784, 300], { seed: 1 }); // std ≈ 1/√784 ≈ 0.0357
 * ```
 * @see Y. LeCun, L. Bottou, G. Orr, K.-R. Müller, Efficient BackProp, 1998.
 */
export function lecunNormal(shape: readonly number[], options?: LecunNormalOptions): tf.Tensor {
  const fn = 'lecunNormal';
  const { distribution, layout, rng } = readLecunNormalOptions(fn, options);
  const { size, fans } = fansOf(fn, shape, layout);
  return drawScaled(fn, shape, size, 1 / fanDenominator(fans, 'fanIn'), distribution, rng());
}

/**
 * LeCun uniform initialization: `W ~ U[−√(3/fanIn), √(3/fanIn)]`, so `Var(W) = 1 / fanIn`.
 *
 * @param shape - dense `[in, out]`, conv2d `[kh, kw, in, out]` or vector.
 * @param options - `rng` or `seed` (one is required), `layout` (inferred from the rank).
 * @returns a new float32 tensor; the caller disposes it.
 * @throws DescentError `SHAPE_MISMATCH` for a shape without fans, `BAD_ARGUMENT` for bad options.
 * @example
 * ```ts
 * const w = lecunUniform([3, 3, 16, 32], { seed: 'conv2' }); // bound √(3/144) = 0.144
 * ```
 * @see Y. LeCun et al., Efficient BackProp, 1998.
 */
export function lecunUniform(shape: readonly number[], options?: SchemeOptions): tf.Tensor {
  const fn = 'lecunUniform';
  const { layout, rng } = readSchemeOptions(fn, options, SCHEME_KEYS);
  const { size, fans } = fansOf(fn, shape, layout);
  return drawScaled(fn, shape, size, 1 / fanDenominator(fans, 'fanIn'), 'uniform', rng());
}
