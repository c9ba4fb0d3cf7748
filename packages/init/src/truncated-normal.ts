import * as tf from '@tensorflow/tfjs-core';
import {
  SCHEME_KEYS,
  type SchemeOptions,
  allocating,
  checkLayoutFits,
  checkShapeArg,
  readSchemeOptions,
} from './options';

/**
 * The standard deviation of a standard normal truncated to [−2, 2]:
 * `√(1 − 4φ(2)/(2Φ(2) − 1)) = 0.87962566103423978` (`scipy.stats.truncnorm.std(-2, 2)`).
 * Variance-scaling schemes divide their σ by it so that the truncated draws have the intended
 * variance (Keras ≥ 2.3, JAX, flax).
 */
export const TRUNCATED_NORMAL_STD = 0.87962566103423978;

/** Options of {@link truncatedNormal}. */
export interface TruncatedNormalOptions extends SchemeOptions {
  /** Mean μ (default 0). */
  mean?: number;
  /** σ of the normal **before** truncation (default 0.05, Keras' `TruncatedNormal`). */
  stddev?: number;
}

/** {@link truncatedNormal}'s options, read and checked as far as they do not depend on the shape. */
export function readTruncatedNormalOptions(fn: string, options: unknown) {
  const { read, layout, rng } = readSchemeOptions(fn, options, [...SCHEME_KEYS, 'mean', 'stddev']);
  const mean = read.float32('mean', 0);
  const stddev = read.float32('stddev', 0.05, { min: 0 });
  read.fitsFloat32('stddev', stddev, Math.abs(mean) + 2 * stddev);
  return { mean, stddev, layout, rng };
}

/**
 * Truncated Gaussian initialization: draws of `N(μ, σ²)` farther than 2σ from μ are redrawn
 * (TensorFlow's `truncated_normal`, Keras' and tfjs-layers' `TruncatedNormal`).
 *
 * **`stddev` is the σ before truncation**, as in Keras and tfjs: the result's standard deviation
 * is `0.87962566·σ` (variance `0.77374·σ²`). The fan-scaled schemes with
 * `distribution: 'truncatedNormal'` correct for this (σ / 0.8796…) and hit their variance exactly.
 *
 * @param shape - the tensor's shape.
 * @param options - `mean` (0), `stddev` (0.05), `rng` or `seed` (one is required), `layout` (checked only).
 * @returns a new float32 tensor with every value in [μ − 2σ, μ + 2σ]; the caller disposes it.
 * @throws DescentError `BAD_ARGUMENT` (malformed or too large shape, missing or bad generator,
 *   options not an object), `UNKNOWN_PARAM` (unknown option),
 *   `BAD_HYPERPARAM`/`NON_FINITE` (negative or non-finite σ, non-finite μ, or values that would
 *   overflow float32).
 * @example
 * ```ts
 * const w = truncatedNormal([256, 256], { stddev: 0.02, seed: 7 }); // BERT-style
 * ```
 */
export function truncatedNormal(
  shape: readonly number[],
  options?: TruncatedNormalOptions,
): tf.Tensor {
  const size = checkShapeArg('truncatedNormal', shape);
  const { mean, stddev, layout, rng } = readTruncatedNormalOptions('truncatedNormal', options);
  checkLayoutFits('truncatedNormal', shape, layout);
  return allocating('truncatedNormal', shape, () =>
    tf.tensor(rng().truncatedNormalArray(size, mean, stddev, 2), [...shape], 'float32'),
  );
}
