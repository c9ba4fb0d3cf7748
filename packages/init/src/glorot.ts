import type * as tf from '@tensorflow/tfjs-core';
import { checkNumber } from '@descent/core';
import { SCHEME_KEYS, type SchemeOptions, readOptions, resolveRng } from './options';
import { checkDistribution, drawScaled, fanDenominator, fansOf } from './variance-scaling';

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
 * Glorot (Xavier) normal initialization: `Var(W) = g² · 2 / (fanIn + fanOut)`, the compromise
 * between keeping the forward variance (`1/fanIn`) and the backward variance (`1/fanOut`) of a
 * linear or tanh network. By default a variance-corrected ±2σ truncated normal (Keras).
 *
 * @param shape - dense `[in, out]`, conv2d `[kh, kw, in, out]` or vector.
 * @param options - `gain` (1), `distribution`, `rng` or `seed` (one is required), `layout`.
 * @returns a new float32 tensor; the caller disposes it.
 * @throws DescentError `SHAPE_MISMATCH` for a shape without fans, `BAD_ARGUMENT`/`BAD_HYPERPARAM` for bad options.
 * @example
 * ```ts
 * const w = glorotNormal([784, 300], { seed: 3 }); // std = √(2/1084) ≈ 0.043
 * ```
 * @see X. Glorot & Y. Bengio, Understanding the difficulty of training deep feedforward neural networks, AISTATS 2010.
 */
export function glorotNormal(shape: readonly number[], options?: GlorotNormalOptions): tf.Tensor {
  const fn = 'glorotNormal';
  const o = readOptions(fn, options, [...SCHEME_KEYS, 'gain', 'distribution']);
  const { gain = 1, distribution = 'truncatedNormal' } = o;
  checkNumber(`${fn}: gain`, gain, { min: 0, minExclusive: true });
  const { size, fans } = fansOf(fn, shape, o.layout);
  checkDistribution(fn, distribution, ['truncatedNormal', 'normal']);
  const variance = (gain * gain) / fanDenominator(fans, 'fanAvg');
  return drawScaled(shape, size, variance, distribution, resolveRng(fn, o));
}

/**
 * Glorot (Xavier) uniform initialization: `W ~ U[−b, b]` with `b = g·√(6 / (fanIn + fanOut))`, so
 * `Var(W) = g² · 2 / (fanIn + fanOut)` (the default kernel initializer of Keras and tfjs-layers).
 *
 * @param shape - dense `[in, out]`, conv2d `[kh, kw, in, out]` or vector.
 * @param options - `gain` (1), `rng` or `seed` (one is required), `layout`.
 * @returns a new float32 tensor; the caller disposes it.
 * @throws DescentError `SHAPE_MISMATCH` for a shape without fans, `BAD_ARGUMENT`/`BAD_HYPERPARAM` for bad options.
 * @example
 * ```ts
 * const w = glorotUniform([300, 100], { rng: rng.child('dense2/kernel') }); // b = √(6/400)
 * ```
 * @see X. Glorot & Y. Bengio, AISTATS 2010.
 */
export function glorotUniform(shape: readonly number[], options?: GlorotOptions): tf.Tensor {
  const fn = 'glorotUniform';
  const o = readOptions(fn, options, [...SCHEME_KEYS, 'gain']);
  const { gain = 1 } = o;
  checkNumber(`${fn}: gain`, gain, { min: 0, minExclusive: true });
  const { size, fans } = fansOf(fn, shape, o.layout);
  const variance = (gain * gain) / fanDenominator(fans, 'fanAvg');
  return drawScaled(shape, size, variance, 'uniform', resolveRng(fn, o));
}
