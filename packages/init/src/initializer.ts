import type * as tf from '@tensorflow/tfjs-core';
import { DescentError, describeValue } from '@descent/core';
import { type ConstantOptions, constant, readConstantOptions } from './constant';
import { type DeltaOrthogonalOptions, deltaOrthogonal } from './delta-orthogonal';
import {
  type GeometricMeanOptions,
  geometricMean,
  readGeometricMeanOptions,
} from './geometric-mean';
import {
  type GlorotNormalOptions,
  type GlorotOptions,
  glorotNormal,
  glorotUniform,
  readGlorotOptions,
} from './glorot';
import { type HeNormalOptions, type HeOptions, heNormal, heUniform, readHeOptions } from './he';
import {
  type LecunNormalOptions,
  lecunNormal,
  lecunUniform,
  readLecunNormalOptions,
} from './lecun';
import { type NormalOptions, normal, readNormalOptions } from './normal';
import { type LayoutOptions, SCHEME_KEYS, type SchemeOptions, readSchemeOptions } from './options';
import { type OrthogonalOptions, orthogonal, readGainOptions } from './orthogonal';
import {
  type TruncatedNormalOptions,
  readTruncatedNormalOptions,
  truncatedNormal,
} from './truncated-normal';
import { type UniformOptions, readUniformOptions, uniform } from './uniform';
import {
  type VarianceScalingOptions,
  readVarianceScalingOptions,
  varianceScaling,
} from './variance-scaling';
import { readZerosOptions, zeros } from './zeros';

/** Each scheme's name and options type, for {@link initializer}. */
export interface InitializerOptionsMap {
  zeros: LayoutOptions;
  constant: ConstantOptions;
  normal: NormalOptions;
  uniform: UniformOptions;
  truncatedNormal: TruncatedNormalOptions;
  varianceScaling: VarianceScalingOptions;
  lecunNormal: LecunNormalOptions;
  lecunUniform: SchemeOptions;
  glorotNormal: GlorotNormalOptions;
  glorotUniform: GlorotOptions;
  heNormal: HeNormalOptions;
  heUniform: HeOptions;
  geometricMean: GeometricMeanOptions;
  orthogonal: OrthogonalOptions;
  deltaOrthogonal: DeltaOrthogonalOptions;
}

/** The name of a scheme of this package. */
export type InitializerName = keyof InitializerOptionsMap;

/** A scheme with its options bound: `shape ↦ tensor` (the caller disposes the tensor). */
export type Initializer = (shape: readonly number[]) => tf.Tensor;

const SCHEMES: {
  [N in InitializerName]: (s: readonly number[], o?: InitializerOptionsMap[N]) => tf.Tensor;
} = {
  zeros,
  constant,
  normal,
  uniform,
  truncatedNormal,
  varianceScaling,
  lecunNormal,
  lecunUniform,
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  geometricMean,
  orthogonal,
  deltaOrthogonal,
};

/** Each scheme's option reader: every check that does not depend on the shape. */
const READERS: { [N in InitializerName]: (fn: string, options: unknown) => unknown } = {
  zeros: readZerosOptions,
  constant: readConstantOptions,
  normal: readNormalOptions,
  uniform: readUniformOptions,
  truncatedNormal: readTruncatedNormalOptions,
  varianceScaling: readVarianceScalingOptions,
  lecunNormal: readLecunNormalOptions,
  lecunUniform: (fn, options) => readSchemeOptions(fn, options, SCHEME_KEYS),
  glorotNormal: (fn, options) => readGlorotOptions(fn, options, true),
  glorotUniform: (fn, options) => readGlorotOptions(fn, options, false),
  heNormal: (fn, options) => readHeOptions(fn, options, true),
  heUniform: (fn, options) => readHeOptions(fn, options, false),
  geometricMean: readGeometricMeanOptions,
  orthogonal: readGainOptions,
  deltaOrthogonal: readGainOptions,
};

/** Every {@link InitializerName}. */
export const INITIALIZER_NAMES = Object.keys(SCHEMES) as InitializerName[];

/**
 * A scheme by name with its options bound, e.g. for a config file or a model builder that takes
 * `init: 'heNormal'`. The options are checked here, at once; what depends on the shape (fans,
 * layout fit, draws that would overflow float32) at each call. With
 * `rng` every call draws new values (the generator advances); with `seed` every call returns the
 * same values for the same shape.
 *
 * @param name - one of {@link INITIALIZER_NAMES}.
 * @param options - that scheme's options.
 * @returns `(shape) => tf.Tensor`.
 * @throws DescentError `BAD_ARGUMENT` for an unknown name, and the scheme's own errors for bad
 *   options (`BAD_ARGUMENT`, `UNKNOWN_PARAM`, `BAD_HYPERPARAM`, `NON_FINITE`), immediately; the
 *   scheme's shape errors at each call.
 * @example
 * ```ts
 * const init = initializer('heNormal', { rng: new Rng(0), distribution: 'normal' });
 * const w1 = init([784, 300]);
 * const w2 = init([300, 100]);
 * ```
 */
export function initializer<N extends InitializerName>(
  name: N,
  options?: InitializerOptionsMap[N],
): Initializer {
  if (!Object.hasOwn(SCHEMES, name)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `initializer: unknown scheme ${describeValue(name)}; known: ${INITIALIZER_NAMES.join(', ')}.`,
    );
  }
  READERS[name](name, options);
  const scheme = SCHEMES[name] as (s: readonly number[], o?: InitializerOptionsMap[N]) => tf.Tensor;
  return (shape) => scheme(shape, options);
}
