import * as tf from '@tensorflow/tfjs-core';
import type { HeNormalOptions, HeOptions } from '@descent/init';
import { DescentInitializer, type InitializerArgs } from './descent-initializer';

/**
 * He (Kaiming) normal initializer for tfjs-layers: `Var(W) = g² / fan`, `g = gain(nonlinearity)`
 * (`2 / fanIn` for ReLU), a variance-corrected ±2σ truncated normal by default; `@descent/init`'s
 * `heNormal`, bit for bit. Options: `seed`, `fanMode` (`'fanIn'`), `nonlinearity` (`'relu'`), `a`
 * (leakyRelu slope), `distribution` (`'truncatedNormal'`), `layout` (from the rank). Each `apply`
 * advances the instance's generator (see {@link DescentInitializer}).
 *
 * @example
 * ```ts
 * model.add(tfl.layers.dense({ units: 64, activation: 'relu', kernelInitializer: heNormal({ seed: 1 }) }));
 * ```
 * @see K. He, X. Zhang, S. Ren, J. Sun, Delving Deep into Rectifiers, ICCV 2015.
 */
export class HeNormal extends DescentInitializer<HeNormalOptions> {
  /** The name tfjs-layers saves and loads it under. */
  static className = 'descent.HeNormal';

  /** @throws DescentError for an unknown key or a bad value (see `@descent/init`'s `heNormal`). */
  constructor(args?: InitializerArgs<HeNormalOptions>) {
    super('heNormal', args);
  }
}
tf.serialization.registerClass(HeNormal);

/**
 * He (Kaiming) uniform initializer for tfjs-layers: `W ~ U[−b, b]`, `b = g·√(3 / fan)`;
 * `@descent/init`'s `heUniform`, bit for bit. Options: `seed`, `fanMode` (`'fanIn'`),
 * `nonlinearity` (`'relu'`), `a`, `layout`.
 *
 * @example
 * ```ts
 * tfl.layers.conv2d({ filters: 16, kernelSize: 3, kernelInitializer: heUniform({ seed: 2 }) });
 * ```
 * @see K. He et al., ICCV 2015.
 */
export class HeUniform extends DescentInitializer<HeOptions> {
  /** The name tfjs-layers saves and loads it under. */
  static className = 'descent.HeUniform';

  /** @throws DescentError for an unknown key or a bad value (see `@descent/init`'s `heUniform`). */
  constructor(args?: InitializerArgs<HeOptions>) {
    super('heUniform', args);
  }
}
tf.serialization.registerClass(HeUniform);

/** `new HeNormal(args)`: He normal initializer for tfjs-layers. */
export function heNormal(args?: InitializerArgs<HeNormalOptions>): HeNormal {
  return new HeNormal(args);
}

/** `new HeUniform(args)`: He uniform initializer for tfjs-layers. */
export function heUniform(args?: InitializerArgs<HeOptions>): HeUniform {
  return new HeUniform(args);
}
