import * as tf from '@tensorflow/tfjs-core';
import type { GlorotNormalOptions, GlorotOptions } from '@descent/init';
import { DescentInitializer, type InitializerArgs } from './descent-initializer';

/**
 * Glorot (Xavier) normal initializer for tfjs-layers: `Var(W) = g² · 2 / (fanIn + fanOut)`, a
 * variance-corrected ±2σ truncated normal by default; `@descent/init`'s `glorotNormal`, bit for
 * bit. Options: `seed`, `gain` (1), `distribution` (`'truncatedNormal'`), `layout` (from the
 * rank). Each `apply` advances the instance's generator (see {@link DescentInitializer}).
 *
 * @example
 * ```ts
 * tfl.layers.dense({ units: 64, activation: 'tanh', kernelInitializer: glorotNormal({ seed: 1 }) });
 * ```
 * @see X. Glorot & Y. Bengio, Understanding the difficulty of training deep feedforward neural networks, AISTATS 2010.
 */
export class GlorotNormal extends DescentInitializer<GlorotNormalOptions> {
  /** The name tfjs-layers saves and loads it under. */
  static className = 'descent.GlorotNormal';

  /** @throws DescentError for an unknown key or a bad value (see `@descent/init`'s `glorotNormal`). */
  constructor(args?: InitializerArgs<GlorotNormalOptions>) {
    super('glorotNormal', args);
  }
}
tf.serialization.registerClass(GlorotNormal);

/**
 * Glorot (Xavier) uniform initializer for tfjs-layers: `W ~ U[−b, b]`,
 * `b = g·√(6 / (fanIn + fanOut))` (tfjs-layers' default kernel initializer, here seeded and the
 * same on every backend); `@descent/init`'s `glorotUniform`, bit for bit. Options: `seed`,
 * `gain` (1), `layout`.
 *
 * @example
 * ```ts
 * tfl.layers.dense({ units: 10, kernelInitializer: glorotUniform({ seed: 7 }) });
 * ```
 * @see X. Glorot & Y. Bengio, AISTATS 2010.
 */
export class GlorotUniform extends DescentInitializer<GlorotOptions> {
  /** The name tfjs-layers saves and loads it under. */
  static className = 'descent.GlorotUniform';

  /** @throws DescentError for an unknown key or a bad value (see `@descent/init`'s `glorotUniform`). */
  constructor(args?: InitializerArgs<GlorotOptions>) {
    super('glorotUniform', args);
  }
}
tf.serialization.registerClass(GlorotUniform);

/** `new GlorotNormal(args)`: Glorot normal initializer for tfjs-layers. */
export function glorotNormal(args?: InitializerArgs<GlorotNormalOptions>): GlorotNormal {
  return new GlorotNormal(args);
}

/** `new GlorotUniform(args)`: Glorot uniform initializer for tfjs-layers. */
export function glorotUniform(args?: InitializerArgs<GlorotOptions>): GlorotUniform {
  return new GlorotUniform(args);
}
