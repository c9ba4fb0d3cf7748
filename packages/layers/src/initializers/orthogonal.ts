import * as tf from '@tensorflow/tfjs-core';
import type { OrthogonalOptions } from '@descent/init';
import { DescentInitializer, type InitializerArgs } from './descent-initializer';

/**
 * Orthogonal initializer for tfjs-layers: the weight, flattened to `[∏ leading axes, last]`, is
 * `g·Q` with `Q` having orthonormal columns (or rows, when wider than tall), from the QR
 * decomposition of a Gaussian matrix; all singular values equal `g`, so a deep linear network
 * keeps the norm of every signal (dynamical isometry). `@descent/init`'s `orthogonal`, bit for
 * bit. Options: `seed`, `gain` (1), `layout`. Each `apply` advances the instance's generator
 * (see {@link DescentInitializer}).
 *
 * @example
 * ```ts
 * tfl.layers.dense({ units: 64, kernelInitializer: orthogonal({ gain: Math.SQRT2, seed: 1 }) });
 * ```
 * @see A. Saxe, J. McClelland, S. Ganguli, Exact solutions to the nonlinear dynamics of learning in deep linear neural networks, ICLR 2014.
 */
export class Orthogonal extends DescentInitializer<OrthogonalOptions> {
  /** The name tfjs-layers saves and loads it under. */
  static className = 'descent.Orthogonal';

  /** @throws DescentError for an unknown key or a bad value (see `@descent/init`'s `orthogonal`). */
  constructor(args?: InitializerArgs<OrthogonalOptions>) {
    super('orthogonal', args);
  }
}
tf.serialization.registerClass(Orthogonal);

/** `new Orthogonal(args)`: orthogonal initializer for tfjs-layers. */
export function orthogonal(args?: InitializerArgs<OrthogonalOptions>): Orthogonal {
  return new Orthogonal(args);
}
