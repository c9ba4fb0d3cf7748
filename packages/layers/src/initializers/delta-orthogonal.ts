import * as tf from '@tensorflow/tfjs-core';
import type { DeltaOrthogonalOptions } from '@descent/init';
import { DescentInitializer, type InitializerArgs } from './descent-initializer';

/**
 * Delta-orthogonal initializer for conv2d kernels `[kh, kw, in, out]` (`in ≤ out`): zero
 * everywhere but the spatial centre, which holds an `[in, out]` orthogonal matrix times `g`, so
 * the convolution starts as an orthogonal 1×1 map and a very deep CNN is dynamically isometric
 * at initialization. `@descent/init`'s `deltaOrthogonal`, bit for bit. Options: `seed`, `gain`
 * (1), `layout`. Each `apply` advances the instance's generator (see {@link DescentInitializer}).
 *
 * @example
 * ```ts
 * tfl.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', kernelInitializer: deltaOrthogonal({ seed: 1 }) });
 * ```
 * @see L. Xiao, Y. Bahri, J. Sohl-Dickstein, S. Schoenholz, J. Pennington, Dynamical Isometry and a Mean Field Theory of CNNs, ICML 2018.
 */
export class DeltaOrthogonal extends DescentInitializer<DeltaOrthogonalOptions> {
  /** The name tfjs-layers saves and loads it under. */
  static className = 'descent.DeltaOrthogonal';

  /** @throws DescentError for an unknown key or a bad value (see `@descent/init`'s `deltaOrthogonal`). */
  constructor(args?: InitializerArgs<DeltaOrthogonalOptions>) {
    super('deltaOrthogonal', args);
  }
}
tf.serialization.registerClass(DeltaOrthogonal);

/** `new DeltaOrthogonal(args)`: delta-orthogonal initializer for tfjs-layers conv2d kernels. */
export function deltaOrthogonal(args?: InitializerArgs<DeltaOrthogonalOptions>): DeltaOrthogonal {
  return new DeltaOrthogonal(args);
}
