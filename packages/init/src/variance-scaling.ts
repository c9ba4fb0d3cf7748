import * as tf from '@tensorflow/tfjs-core';
import { DescentError, type Fans, type Rng, checkNumber } from '@descent/core';
import {
  SCHEME_KEYS,
  type SchemeOptions,
  checkShapeArg,
  readOptions,
  resolveFans,
  resolveRng,
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
 *   `layout`); `BAD_ARGUMENT` (shape, generator, mode, distribution, unknown option);
 *   `BAD_HYPERPARAM`/`NON_FINITE` for a scale that is not a positive finite number.
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
  const o = readOptions(fn, options, [...SCHEME_KEYS, 'scale', 'mode', 'distribution']);
  const { scale = 1, mode = 'fanIn', distribution = 'truncatedNormal' } = o;
  checkNumber(`${fn}: scale`, scale, { min: 0, minExclusive: true });
  checkMode(fn, mode);
  const { size, fans } = fansOf(fn, shape, o.layout);
  checkDistribution(fn, distribution, DISTRIBUTIONS);
  const variance = scale / fanDenominator(fans, mode);
  return drawScaled(shape, size, variance, distribution, resolveRng(fn, o));
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

/** Draws `size` values of variance `variance` from `distribution` and uploads them as float32. */
export function drawScaled(
  shape: readonly number[],
  size: number,
  variance: number,
  distribution: Distribution,
  rng: Rng,
): tf.Tensor {
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
}

/** Asserts `mode` is one of `allowed` (default all fan modes). */
export function checkMode(
  fn: string,
  mode: unknown,
  allowed: readonly FanMode[] = FAN_MODES,
): asserts mode is FanMode {
  if (!allowed.includes(mode as FanMode)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: fan mode must be one of ${allowed.map((m) => `'${m}'`).join(', ')}, got ${JSON.stringify(mode)}.`,
    );
  }
}

/** Asserts `distribution` is one of `allowed`. */
export function checkDistribution(
  fn: string,
  distribution: unknown,
  allowed: readonly Distribution[],
): asserts distribution is Distribution {
  if (!allowed.includes(distribution as Distribution)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: distribution must be one of ${allowed.map((d) => `'${d}'`).join(', ')}, got ${JSON.stringify(distribution)}.`,
    );
  }
}
