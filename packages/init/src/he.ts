import type * as tf from '@tensorflow/tfjs-core';
import type { Nonlinearity } from './gain';
import { SCHEME_KEYS, type SchemeOptions, readSchemeOptions } from './options';
import { type Distribution, drawScaled, fanDenominator, fansOf } from './variance-scaling';

/** Options of {@link heUniform}. */
export interface HeOptions extends SchemeOptions {
  /**
   * `'fanIn'` (default) preserves the forward second moment, `'fanOut'` the backward gradient
   * magnitude (He et al. §2.2 show either suffices).
   */
  fanMode?: 'fanIn' | 'fanOut';
  /** The nonlinearity whose {@link gain} is used (default `'relu'`, gain √2). */
  nonlinearity?: Nonlinearity;
  /** Negative slope of `'leakyRelu'` (default 0.01); only with that nonlinearity. */
  a?: number;
}

/** Options of {@link heNormal}. */
export interface HeNormalOptions extends HeOptions {
  /** `'truncatedNormal'` (default, Keras) or `'normal'` (torch's `kaiming_normal_`); same variance. */
  distribution?: 'truncatedNormal' | 'normal';
}

const HE_KEYS = [...SCHEME_KEYS, 'fanMode', 'nonlinearity', 'a'] as const;

/**
 * He (Kaiming) normal initialization: `Var(W) = g² / fan`, `g = gain(nonlinearity, a)`, so
 * `2 / fanIn` for ReLU. A ReLU zeroes half of a symmetric pre-activation, halving its second
 * moment; the factor 2 restores it, keeping `E[z²]` constant through any depth (He et al. 2015,
 * eq. 10). By default a variance-corrected ±2σ truncated normal (Keras' `he_normal`);
 * `distribution: 'normal'` gives torch's `kaiming_normal_`.
 *
 * @param shape - dense `[in, out]`, conv2d `[kh, kw, in, out]` or vector.
 * @param options - `fanMode` (`'fanIn'`), `nonlinearity` (`'relu'`), `a` (leakyRelu slope),
 *   `distribution`, `rng` or `seed` (one is required), `layout`.
 * @returns a new float32 tensor; the caller disposes it.
 * @throws DescentError `SHAPE_MISMATCH` for a shape without fans, `BAD_ARGUMENT` for a bad shape,
 *   generator, fan mode, distribution or nonlinearity (or `a` without `'leakyRelu'`),
 *   `BAD_HYPERPARAM`/`NON_FINITE` for a bad slope `a`, `UNKNOWN_PARAM` for an unknown option.
 * @example
 * ```ts
 * const w = heNormal([3, 3, 64, 64], { seed: 0 }); // std = √(2/576) ≈ 0.059
 * ```
 * @see K. He, X. Zhang, S. Ren, J. Sun, Delving Deep into Rectifiers, ICCV 2015.
 */
export function heNormal(shape: readonly number[], options?: HeNormalOptions): tf.Tensor {
  const fn = 'heNormal';
  const { g, fanMode, distribution, layout, rng } = readHeOptions(fn, options, true);
  const { size, fans } = fansOf(fn, shape, layout);
  const variance = (g * g) / fanDenominator(fans, fanMode);
  return drawScaled(fn, shape, size, variance, distribution, rng());
}

/**
 * He (Kaiming) uniform initialization: `W ~ U[−b, b]`, `b = g·√(3 / fan)`, so `Var(W) = g² / fan`
 * (torch's `kaiming_uniform_`; `g = √2` for ReLU).
 *
 * @param shape - dense `[in, out]`, conv2d `[kh, kw, in, out]` or vector.
 * @param options - `fanMode` (`'fanIn'`), `nonlinearity` (`'relu'`), `a`, `rng` or `seed` (one is required), `layout`.
 * @returns a new float32 tensor; the caller disposes it.
 * @throws DescentError `SHAPE_MISMATCH` for a shape without fans, `BAD_ARGUMENT` for a bad shape,
 *   generator, fan mode, distribution or nonlinearity (or `a` without `'leakyRelu'`),
 *   `BAD_HYPERPARAM`/`NON_FINITE` for a bad slope `a`, `UNKNOWN_PARAM` for an unknown option.
 * @example
 * ```ts
 * const w = heUniform([128, 128], { nonlinearity: 'leakyRelu', a: 0.2, seed: 5 });
 * ```
 * @see K. He et al., ICCV 2015.
 */
export function heUniform(shape: readonly number[], options?: HeOptions): tf.Tensor {
  const fn = 'heUniform';
  const { g, fanMode, layout, rng } = readHeOptions(fn, options, false);
  const { size, fans } = fansOf(fn, shape, layout);
  return drawScaled(fn, shape, size, (g * g) / fanDenominator(fans, fanMode), 'uniform', rng());
}

/**
 * {@link heNormal}'s (`withDistribution`) or {@link heUniform}'s options, read and checked as far
 * as they do not depend on the shape; `g` is the nonlinearity's gain.
 */
export function readHeOptions(fn: string, options: unknown, withDistribution: boolean) {
  const keys = [...HE_KEYS, ...(withDistribution ? ['distribution'] : [])];
  const { read, layout, rng } = readSchemeOptions(fn, options, keys);
  const fanMode = read.choice('fanMode', ['fanIn', 'fanOut'], 'fanIn');
  const g = read.gain('nonlinearity', 'a');
  const allowed: Distribution[] = withDistribution ? ['truncatedNormal', 'normal'] : ['uniform'];
  const distribution = read.choice('distribution', allowed, allowed[0]!);
  return { g, fanMode, distribution, layout, rng };
}
