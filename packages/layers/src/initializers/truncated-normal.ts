import * as tf from '@tensorflow/tfjs-core';
import type { TruncatedNormalOptions } from '@descent/init';
import { DescentInitializer, type InitializerArgs } from './descent-initializer';

/**
 * Truncated normal initializer for tfjs-layers: `N(mean, stddev²)` redrawn outside
 * `mean ± 2·stddev` (so the standard deviation is `0.88·stddev`); `@descent/init`'s
 * `truncatedNormal`, bit for bit. Options: `seed`, `mean` (0), `stddev` (0.05), `layout`. Each
 * `apply` advances the instance's generator (see {@link DescentInitializer}).
 *
 * @example
 * ```ts
 * tfl.layers.dense({ units: 64, kernelInitializer: truncatedNormal({ stddev: 0.02, seed: 1 }) });
 * ```
 */
export class TruncatedNormal extends DescentInitializer<TruncatedNormalOptions> {
  /** The name tfjs-layers saves and loads it under. */
  static className = 'descent.TruncatedNormal';

  /** @throws DescentError for an unknown key or a bad value (see `@descent/init`'s `truncatedNormal`). */
  constructor(args?: InitializerArgs<TruncatedNormalOptions>) {
    super('truncatedNormal', args);
  }
}
tf.serialization.registerClass(TruncatedNormal);

/** `new TruncatedNormal(args)`: truncated normal initializer for tfjs-layers. */
export function truncatedNormal(args?: InitializerArgs<TruncatedNormalOptions>): TruncatedNormal {
  return new TruncatedNormal(args);
}
