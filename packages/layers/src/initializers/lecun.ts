import * as tf from '@tensorflow/tfjs-core';
import type { LecunNormalOptions, SchemeOptions } from '@descent/init';
import { DescentInitializer, type InitializerArgs } from './descent-initializer';

/**
 * LeCun normal initializer for tfjs-layers: `Var(W) = 1 / fanIn`, a variance-corrected ±2σ
 * truncated normal by default (the init of SELU networks); `@descent/init`'s `lecunNormal`, bit
 * for bit. Options: `seed`, `distribution` (`'truncatedNormal'`), `layout` (from the rank). Each
 * `apply` advances the instance's generator (see {@link DescentInitializer}).
 *
 * @example
 * ```ts
 * tfl.layers.dense({ units: 64, activation: 'selu', kernelInitializer: lecunNormal({ seed: 1 }) });
 * ```
 * @see Y. LeCun, L. Bottou, G. Orr, K.-R. Müller, Efficient BackProp, 1998.
 */
export class LecunNormal extends DescentInitializer<LecunNormalOptions> {
  /** The name tfjs-layers saves and loads it under. */
  static className = 'descent.LecunNormal';

  /** @throws DescentError for an unknown key or a bad value (see `@descent/init`'s `lecunNormal`). */
  constructor(args?: InitializerArgs<LecunNormalOptions>) {
    super('lecunNormal', args);
  }
}
tf.serialization.registerClass(LecunNormal);

/**
 * LeCun uniform initializer for tfjs-layers: `W ~ U[−√(3/fanIn), √(3/fanIn)]`, so
 * `Var(W) = 1 / fanIn`; `@descent/init`'s `lecunUniform`, bit for bit. Options: `seed`, `layout`.
 *
 * @example
 * ```ts
 * tfl.layers.dense({ units: 64, kernelInitializer: lecunUniform({ seed: 'dense1' }) });
 * ```
 * @see Y. LeCun et al., Efficient BackProp, 1998.
 */
export class LecunUniform extends DescentInitializer<SchemeOptions> {
  /** The name tfjs-layers saves and loads it under. */
  static className = 'descent.LecunUniform';

  /** @throws DescentError for an unknown key or a bad value (see `@descent/init`'s `lecunUniform`). */
  constructor(args?: InitializerArgs<SchemeOptions>) {
    super('lecunUniform', args);
  }
}
tf.serialization.registerClass(LecunUniform);

/** `new LecunNormal(args)`: LeCun normal initializer for tfjs-layers. */
export function lecunNormal(args?: InitializerArgs<LecunNormalOptions>): LecunNormal {
  return new LecunNormal(args);
}

/** `new LecunUniform(args)`: LeCun uniform initializer for tfjs-layers. */
export function lecunUniform(args?: InitializerArgs<SchemeOptions>): LecunUniform {
  return new LecunUniform(args);
}
