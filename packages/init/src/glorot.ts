import type * as tf from '@tensorflow/tfjs-core';
import { SCHEME_KEYS, type SchemeOptions, readSchemeOptions } from './options';
import {
  type Distribution,
  checkScaledFits,
  drawScaled,
  fanDenominator,
  fansOf,
} from './variance-scaling';

/** Options of {@link glorotUniform}. */
export interface GlorotOptions extends SchemeOptions {
  /** A gain `g > 0` multiplying the standard deviation (default 1; torch's `xavier_*_(gain)`). */
  gain?: number;
}

/** Options of {@link glorotNormal}. */
export interface GlorotNormalOptions extends GlorotOptions {
  /** `'truncatedNormal'` (default, Keras) or `'normal'` (torch); both have the Glorot variance. */
  distribution?: 'truncatedNormal' | 'normal';
}

/**
 * {@link glorotNormal}'s (`withDistribution`) or {@link glorotUniform}'s options, read and checked
 * as far as they do not depend on the shape.
 */
export function readGlorotOptions(fn: string, options: unknown, withDistribution: boolean) {
  const keys = [...SCHEME_KEYS, 'gain', ...(withDistribution ? ['distribution'] : [])];
  const { read, layout, rng } = readSchemeOptions(fn, options, keys);
  const gain = read.number('gain', 1, { min: 0, minExclusive: true });
  const allowed: Distribution[] = withDistribution ? ['truncatedNormal', 'normal'] : ['uniform'];
  const distribution = read.choice('distribution', allowed, allowed[0]!);
  return { gain, distribution, layout, rng };
}

/**
 * Glorot (Xavier) normal initialization: `Var(W) = g² · 2 / (fanIn + fanOut)`, the compromise
 * between keeping the forward variance (`1/fanIn`) and the backward variance (`1/fanOut`) of a
 * linear or tanh network. By default a variance-corrected ±2σ truncated normal (Keras).
 *
 * @param shape - dense `[in, out]`, conv2d `[kh, kw, in, out]` or vector.
 * @param options - `gain` (1), `distribution`, `rng` or `seed` (one is required), `layout`.
 * @returns a new float32 tensor; the caller disposes it.
 * @throws DescentError `SHAPE_MISMATCH` for a shape without fans, `BAD_ARGUMENT`/`BAD_HYPERPARAM`/
 *   `NON_FINITE` for a bad shape or options (including a multiplier so large the draws would
 *   overflow float32), `UNKNOWN_PARAM` for an unknown option.
 * @example
 * ```ts
 * const w = glorotNormal([784, 300], { seed: 3 }); // std = √(2/1084) ≈ 0.043
 * ```
 * @see X. Glorot & Y. Bengio, Understanding the difficulty of training deep feedforward neural networks, AISTATS 2010.
 */
export function glorotNormal(shape: readonly number[], options?: GlorotNormalOptions): tf.Tensor {
  const fn = 'glorotNormal';
  const { gain, distribution, layout, rng } = readGlorotOptions(fn, options, true);
  const { size, fans } = fansOf(fn, shape, layout);
  const variance = (gain * gain) / fanDenominator(fans, 'fanAvg');
  checkScaledFits(`${fn}.gain`, gain, variance, distribution);
  return drawScaled(fn, shape, size, variance, distribution, rng());
}

/**
 * Glorot (Xavier) uniform initialization: `W ~ U[−b, b]` with `b = g·√(6 / (fanIn + fanOut))`, so
 * `Var(W) = g² · 2 / (fanIn + fanOut)` (the default kernel initializer of Keras and tfjs-layers).
 *
 * @param shape - dense `[in, out]`, conv2d `[kh, kw, in, out]` or vector.
 * @param options - `gain` (1), `rng` or `seed` (one is required), `layout`.
 * @returns a new float32 tensor; the caller disposes it.
 * @throws DescentError `SHAPE_MISMATCH` for a shape without fans, `BAD_ARGUMENT`/`BAD_HYPERPARAM`/
 *   `NON_FINITE` for a bad shape or options (including a multiplier so large the draws would
 *   overflow float32), `UNKNOWN_PARAM` for an unknown option.
 * @example
 * ```ts
 * const w = glorotUniform([300, 100], { rng: rng.child('dense2/kernel') }); // b = √(6/400)
 * ```
 * @see X. Glorot & Y. Bengio, AISTATS 2010.
 */
export function glorotUniform(shape: readonly number[], options?: GlorotOptions): tf.Tensor {
  const fn = 'glorotUniform';
  const { gain, layout, rng } = readGlorotOptions(fn, options, false);
  const { size, fans } = fansOf(fn, shape, layout);
  const variance = (gain * gain) / fanDenominator(fans, 'fanAvg');
  checkScaledFits(`${fn}.gain`, gain, variance, 'uniform');
  return drawScaled(fn, shape, size, variance, 'uniform', rng());
}
