import type * as tf from '@tensorflow/tfjs-core';
import { DescentError } from '@descent/core';
import { type ConstantOptions, constant } from './constant';
import { type DeltaOrthogonalOptions, deltaOrthogonal } from './delta-orthogonal';
import { type GeometricMeanOptions, geometricMean } from './geometric-mean';
import {
  type GlorotNormalOptions,
  type GlorotOptions,
  glorotNormal,
  glorotUniform,
} from './glorot';
import { type HeNormalOptions, type HeOptions, heNormal, heUniform } from './he';
import { type LecunNormalOptions, lecunNormal, lecunUniform } from './lecun';
import { type NormalOptions, normal } from './normal';
import type { LayoutOptions, SchemeOptions } from './options';
import { type OrthogonalOptions, orthogonal } from './orthogonal';
import { type TruncatedNormalOptions, truncatedNormal } from './truncated-normal';
import { type UniformOptions, uniform } from './uniform';
import { type VarianceScalingOptions, varianceScaling } from './variance-scaling';
import { zeros } from './zeros';

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

/** Every {@link InitializerName}. */
export const INITIALIZER_NAMES = Object.keys(SCHEMES) as InitializerName[];

/**
 * A scheme by name with its options bound, e.g. for a config file or a model builder that takes
 * `init: 'heNormal'`. Options are validated at each call (they depend on the shape). With
 * `rng` every call draws new values (the generator advances); with `seed` every call returns the
 * same values for the same shape.
 *
 * @param name - one of {@link INITIALIZER_NAMES}.
 * @param options - that scheme's options.
 * @returns `(shape) => tf.Tensor`.
 * @throws DescentError `BAD_ARGUMENT` for an unknown name (immediately); the scheme's own errors at each call.
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
      `initializer: unknown scheme ${JSON.stringify(name)}; known: ${INITIALIZER_NAMES.join(', ')}.`,
    );
  }
  const scheme = SCHEMES[name] as (s: readonly number[], o?: InitializerOptionsMap[N]) => tf.Tensor;
  return (shape) => scheme(shape, options);
}
