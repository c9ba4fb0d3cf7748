import type * as tf from '@tensorflow/tfjs-core';
import { SCHEME_KEYS, type SchemeOptions, readSchemeOptions } from './options';
import {
  type Distribution,
  DISTRIBUTIONS,
  checkScaledFits,
  drawScaled,
  fanDenominator,
  fansOf,
} from './variance-scaling';

/** Options of {@link geometricMean}. */
export interface GeometricMeanOptions extends SchemeOptions {
  /** The constant `c > 0` (default 1; 2 suits ReLU networks as in He's scheme). */
  c?: number;
  /** The distribution (default `'truncatedNormal'`); every one has variance `c/√(fanIn·fanOut)`. */
  distribution?: Distribution;
}

/** {@link geometricMean}'s options, read and checked as far as they do not depend on the shape. */
export function readGeometricMeanOptions(fn: string, options: unknown) {
  const { read, layout, rng } = readSchemeOptions(fn, options, [
    ...SCHEME_KEYS,
    'c',
    'distribution',
  ]);
  const c = read.number('c', 1, { min: 0, minExclusive: true });
  const distribution = read.choice('distribution', DISTRIBUTIONS, 'truncatedNormal');
  return { c, distribution, layout, rng };
}

/**
 * Geometric-mean initialization: `Var(W) = c / √(fanIn · fanOut)`, which balances forward and
 * backward signal like Glorot's arithmetic mean but is exact for both when fan-in and fan-out
 * differ by a constant factor per layer (survey §4.1; flax's `fan_geo_avg`).
 *
 * @param shape - dense `[in, out]`, conv2d `[kh, kw, in, out]` or vector.
 * @param options - `c` (1), `distribution` (`'truncatedNormal'`), `rng` or `seed` (one is required), `layout`.
 * @returns a new float32 tensor; the caller disposes it.
 * @throws DescentError `SHAPE_MISMATCH` for a shape without fans, `BAD_ARGUMENT`/`BAD_HYPERPARAM`/
 *   `NON_FINITE` for a bad shape or options (including a multiplier so large the draws would
 *   overflow float32), `UNKNOWN_PARAM` for an unknown option.
 * @example
 * ```ts
 * const w = geometricMean([784, 100], { c: 2, distribution: 'normal', seed: 1 }); // var 2/280
 * ```
 * @see R. Sun, Optimization for Deep Learning: Theory and Algorithms, 2019, §4.1.
 */
export function geometricMean(shape: readonly number[], options?: GeometricMeanOptions): tf.Tensor {
  const fn = 'geometricMean';
  const { c, distribution, layout, rng } = readGeometricMeanOptions(fn, options);
  const { size, fans } = fansOf(fn, shape, layout);
  const variance = c / fanDenominator(fans, 'fanGeoAvg');
  checkScaledFits(`${fn}.c`, c, variance, distribution);
  return drawScaled(fn, shape, size, variance, distribution, rng());
}
