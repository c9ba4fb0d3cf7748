import * as tf from '@tensorflow/tfjs-core';
import type { GeometricMeanOptions } from '@descent/init';
import { DescentInitializer, type InitializerArgs } from './descent-initializer';

/**
 * Geometric-mean initializer for tfjs-layers: `Var(W) = c / √(fanIn · fanOut)`, the geometric
 * instead of the arithmetic mean of the forward and backward fans (close to Glorot when the fans
 * are similar, better balanced when they are not); `@descent/init`'s `geometricMean`, bit for
 * bit. Options: `seed`, `c` (1; 2 for ReLU), `distribution` (`'truncatedNormal'`), `layout`.
 * Each `apply` advances the instance's generator (see {@link DescentInitializer}).
 *
 * @example
 * ```ts
 * tfl.layers.dense({ units: 64, activation: 'relu', kernelInitializer: geometricMean({ c: 2, seed: 1 }) });
 * ```
 * @see R. Sun, Optimization for Deep Learning: Theory and Algorithms, 2019, §4.1.
 */
export class GeometricMean extends DescentInitializer<GeometricMeanOptions> {
  /** The name tfjs-layers saves and loads it under. */
  static className = 'descent.GeometricMean';

  /** @throws DescentError for an unknown key or a bad value (see `@descent/init`'s `geometricMean`). */
  constructor(args?: InitializerArgs<GeometricMeanOptions>) {
    super('geometricMean', args);
  }
}
tf.serialization.registerClass(GeometricMean);

/** `new GeometricMean(args)`: geometric-mean initializer for tfjs-layers. */
export function geometricMean(args?: InitializerArgs<GeometricMeanOptions>): GeometricMean {
  return new GeometricMean(args);
}
