import * as tf from '@tensorflow/tfjs-core';
import type { Fans, Rng } from '@descent/core';
import { NORMAL_Z_BOUND, checkFitsFloat32 } from './float32-range';
import {
  SCHEME_KEYS,
  type SchemeOptions,
  allocating,
  checkShapeArg,
  readSchemeOptions,
  resolveFans,
} from './options';
import { TRUNCATED_NORMAL_STD } from './truncated-normal';

/** Which fan a variance-scaling scheme divides by. */
export type FanMode = 'fanIn' | 'fanOut' | 'fanAvg' | 'fanGeoAvg';

/** All {@link FanMode}s. */
export const FAN_MODES: readonly FanMode[] = ['fanIn', 'fanOut', 'fanAvg', 'fanGeoAvg'];

/**
 * How variance-scaling draws its values, all with variance exactly `scale / n`:
 * - `'normal'`: `N(0, s/n)` (PyTorch's `kaiming_normal_`, `xavier_normal_`);
 * - `'truncatedNormal'`: a normal truncated at ±2σ with σ = `√(s/n) / 0.8796…` (Keras ≥ 2.3,
 *   JAX, flax: the truncated draws have variance `s/n`);
 * - `'uniform'`: `U[−√(3s/n), √(3s/n)]`.
 */
export type Distribution = 'normal' | 'truncatedNormal' | 'uniform';

/** All {@link Distribution}s. */
export const DISTRIBUTIONS: readonly Distribution[] = ['normal', 'truncatedNormal', 'uniform'];

/** Options of {@link varianceScaling}. */
export interface VarianceScalingOptions extends SchemeOptions {
  /** The numerator `s > 0` of the variance (default 1). */
  scale?: number;
  /** The denominator `n` (default `'fanIn'`): fan-in, fan-out, their mean, or their geometric mean. */
  mode?: FanMode;
  /** The distribution (default `'truncatedNormal'`, Keras' `VarianceScaling`). */
  distribution?: Distribution;
}

/** {@link varianceScaling}'s options, read and checked as far as they do not depend on the shape. */
export function readVarianceScalingOptions(fn: string, options: unknown) {
  const { read, layout, rng } = readSchemeOptions(fn, options, [
    ...SCHEME_KEYS,
    'scale',
    'mode',
    'distribution',
  ]);
  const scale = read.number('scale', 1, { min: 0, minExclusive: true });
  const mode = read.choice('mode', FAN_MODES, 'fanIn');
  const distribution = read.choice('distribution', DISTRIBUTIONS, 'truncatedNormal');
  return { scale, mode, distribution, layout, rng };
}

/**
 * The general fan-scaled initialization every named scheme is a case of:
 * `Var(W_ij) = s / n`, with `n` = fan-in, fan-out, `(fanIn + fanOut)/2` or `√(fanIn·fanOut)`
 * from `computeFans(shape, layout)` (tfjs layouts: dense `[in, out]` → (in, out), conv
 * `[kh, kw, in, out]` → (kh·kw·in, kh·kw·out)); `n` is floored at 1 as in Keras.
 *
 * | scheme | `s` | `n` |
 * | --- | --- | --- |
 * | LeCun | 1 | fan-in |
 * | Glorot (Xavier) | 1 | fan average |
 * | He (Kaiming) | gain² (2 for ReLU) | fan-in or fan-out |
 * | geometric mean | c | √(fan-in·fan-out) |
 *
 * Differences from tfjs-layers 4.22: its `VarianceScaling` with `distribution: 'normal'` draws a
 * ±2σ truncated normal **without** the 0.8796 correction (so its `heNormal` has 77 % of the He
 * variance), and `'truncatedNormal'` silently draws a uniform. Here every distribution has the
 * stated variance.
 *
 * @param shape - a dense `[in, out]`, conv2d `[kh, kw, in, out]` or vector shape (or any shape
 *   fitting `layout`).
 * @param options - `scale` (1), `mode` (`'fanIn'`), `distribution` (`'truncatedNormal'`), `rng`
 *   or `seed` (one is required), `layout` (inferred from the rank).
 * @returns a new float32 tensor; the caller disposes it.
 * @throws DescentError `SHAPE_MISMATCH` if the shape has no fans (rank 3, ≥ 5, or not fitting
 *   `layout`); `BAD_ARGUMENT` (malformed or too large shape, generator, mode, distribution,
 *   options not an object); `UNKNOWN_PARAM` for an unknown option; `BAD_HYPERPARAM`/`NON_FINITE`
 *   for a scale that is not a positive finite number or so large the draws would overflow float32.
 * @example
 * ```ts
 * const w = varianceScaling([784, 300], { scale: 2, mode: 'fanIn', distribution: 'normal', seed: 0 });
 * ```
 * @see Keras `VarianceScaling`; Y. LeCun et al., Efficient BackProp, 1998.
 */
export function varianceScaling(
  shape: readonly number[],
  options?: VarianceScalingOptions,
): tf.Tensor {
  const fn = 'varianceScaling';
  const { scale, mode, distribution, layout, rng } = readVarianceScalingOptions(fn, options);
  const { size, fans } = fansOf(fn, shape, layout);
  const variance = scale / fanDenominator(fans, mode);
  checkScaledFits(`${fn}.scale`, scale, variance, distribution);
  return drawScaled(fn, shape, size, variance, distribution, rng());
}

/** Validates a shape (and layout) and returns its size and fans. */
export function fansOf(
  fn: string,
  shape: readonly number[],
  layout: unknown,
): { size: number; fans: Fans } {
  const size = checkShapeArg(fn, shape);
  return { size, fans: resolveFans(fn, shape, layout) };
}

/** The denominator `n` of `s/n` (floored at 1 as Keras does, so empty fans never divide by 0). */
export function fanDenominator(fans: Fans, mode: FanMode): number {
  const n =
    mode === 'fanIn'
      ? fans.fanIn
      : mode === 'fanOut'
        ? fans.fanOut
        : mode === 'fanAvg'
          ? (fans.fanIn + fans.fanOut) / 2
          : Math.sqrt(fans.fanIn * fans.fanOut);
  return Math.max(1, n);
}

/**
 * Asserts draws of variance `variance` from `distribution` fit in float32 (the largest is
 * `√variance` times 10 for a normal, 2/0.8796 for a truncated normal, √3 for a uniform).
 *
 * @throws DescentError `BAD_HYPERPARAM` naming `option` (the option that set the variance).
 */
export function checkScaledFits(
  option: string,
  value: number,
  variance: number,
  distribution: Distribution,
): void {
  const factor =
    distribution === 'uniform'
      ? Math.sqrt(3)
      : distribution === 'normal'
        ? NORMAL_Z_BOUND
        : 2 / TRUNCATED_NORMAL_STD;
  checkFitsFloat32(option, value, factor * Math.sqrt(variance));
}

/** Draws `size` values of variance `variance` from `distribution` and uploads them as float32. */
export function drawScaled(
  fn: string,
  shape: readonly number[],
  size: number,
  variance: number,
  distribution: Distribution,
  rng: Rng,
): tf.Tensor {
  return allocating(fn, shape, () => {
    let values: Float32Array;
    if (distribution === 'uniform') {
      const limit = Math.sqrt(3 * variance);
      values = rng.uniformArray(size, -limit, limit);
    } else if (distribution === 'normal') {
      values = rng.normalArray(size, 0, Math.sqrt(variance));
    } else {
      values = rng.truncatedNormalArray(size, 0, Math.sqrt(variance) / TRUNCATED_NORMAL_STD, 2);
    }
    return tf.tensor(values, [...shape], 'float32');
  });
}
