import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { checkBoolean, checkNumber } from '@descent/core';
import type { AffineParams } from '@descent/norm';
import {
  type Constraint,
  type ConstraintArg,
  type Initializer,
  type InitializerArg,
  type LayerArgs,
  type Regularizer,
  type RegularizerArg,
  resolveKerasObject,
  serializeKerasObject,
} from './keras-objects';
import { defaultLayerName } from '../default-layer-name';

/** The arguments shared by descent's normalization layers: ε and the affine part `γ·x̂ + β`. */
export interface AffineNormalizationArgs extends LayerArgs {
  /** Added to the variance inside the square root: finite and > 0. Default `1e-3` (Keras). */
  epsilon?: number;
  /** Add the learned shift `beta`. Default `true`. */
  center?: boolean;
  /** Multiply by the learned scale `gamma`. Default `true` (turn off before a linear layer). */
  scale?: boolean;
  /** Initializer of `beta`. Default `'zeros'`. */
  betaInitializer?: InitializerArg;
  /** Initializer of `gamma`. Default `'ones'`. */
  gammaInitializer?: InitializerArg;
  /** Regularizer of `beta`. Default none. */
  betaRegularizer?: RegularizerArg;
  /** Regularizer of `gamma`. Default none. */
  gammaRegularizer?: RegularizerArg;
  /** Constraint of `beta`. Default none. */
  betaConstraint?: ConstraintArg;
  /** Constraint of `gamma`. Default none. */
  gammaConstraint?: ConstraintArg;
}

/**
 * The common part of descent's normalization layers: validates and keeps ε, `center`, `scale`
 * and the initializers, regularizers and constraints of `gamma` and `beta`, adds the two weights
 * in Keras' order (`gamma`, then `beta`) and writes them into the config. Subclasses build their
 * statistics and compute with `@descent/norm`.
 */
export abstract class AffineNormalization extends tfl.layers.Layer {
  /** ε, added to the variance inside the square root. */
  readonly epsilon: number;
  /** Whether the layer has the shift `beta`. */
  readonly center: boolean;
  /** Whether the layer has the scale `gamma`. */
  readonly scale: boolean;
  /** The scale γ once built (`null` without `scale`). */
  gamma: tfl.LayerVariable | null = null;
  /** The shift β once built (`null` without `center`). */
  beta: tfl.LayerVariable | null = null;
  protected readonly betaInitializer: Initializer;
  protected readonly gammaInitializer: Initializer;
  protected readonly betaRegularizer: Regularizer | null;
  protected readonly gammaRegularizer: Regularizer | null;
  protected readonly betaConstraint: Constraint | null;
  protected readonly gammaConstraint: Constraint | null;

  /**
   * @param layer - the factory's name, for error messages (e.g. `'groupNormalization'`).
   * @throws DescentError `BAD_HYPERPARAM` / `NON_FINITE` for ε ≤ 0 or not finite, a non-boolean
   *   `center`/`scale`; `BAD_ARGUMENT` for an initializer, regularizer or constraint tfjs-layers
   *   does not know.
   */
  protected constructor(layer: string, args: AffineNormalizationArgs) {
    const epsilon = args.epsilon ?? 1e-3;
    checkNumber(`${layer}: epsilon`, epsilon, { min: 0, minExclusive: true });
    const center = args.center ?? true;
    const scale = args.scale ?? true;
    checkBoolean(`${layer}: center`, center);
    checkBoolean(`${layer}: scale`, scale);
    const resolve = <T>(
      key: keyof AffineNormalizationArgs,
      kind: Parameters<typeof resolveKerasObject>[1],
      fallback?: string,
    ) => resolveKerasObject<T>(`${layer}: ${key}`, kind, args[key], fallback);
    const betaInitializer = resolve<Initializer>('betaInitializer', 'initializer', 'zeros');
    const gammaInitializer = resolve<Initializer>('gammaInitializer', 'initializer', 'ones');
    const betaRegularizer = resolve<Regularizer>('betaRegularizer', 'regularizer');
    const gammaRegularizer = resolve<Regularizer>('gammaRegularizer', 'regularizer');
    const betaConstraint = resolve<Constraint>('betaConstraint', 'constraint');
    const gammaConstraint = resolve<Constraint>('gammaConstraint', 'constraint');
    super({ ...args, name: args.name || defaultLayerName(layer) });
    this.supportsMasking = true;
    this.epsilon = epsilon;
    this.center = center;
    this.scale = scale;
    this.betaInitializer = betaInitializer as Initializer;
    this.gammaInitializer = gammaInitializer as Initializer;
    this.betaRegularizer = betaRegularizer;
    this.gammaRegularizer = gammaRegularizer;
    this.betaConstraint = betaConstraint;
    this.gammaConstraint = gammaConstraint;
  }

  /** Adds `gamma` (if `scale`) and `beta` (if `center`), both of `shape`, in that order. */
  protected addAffineWeights(shape: number[]): void {
    if (this.scale) {
      this.gamma = this.addWeight(
        'gamma',
        shape,
        'float32',
        this.gammaInitializer,
        this.gammaRegularizer ?? undefined,
        true,
        this.gammaConstraint ?? undefined,
      );
    }
    if (this.center) {
      this.beta = this.addWeight(
        'beta',
        shape,
        'float32',
        this.betaInitializer,
        this.betaRegularizer ?? undefined,
        true,
        this.betaConstraint ?? undefined,
      );
    }
  }

  /** The current `{ gamma, beta }` for `@descent/norm`'s ops (absent ones left out). */
  protected affineParams(): AffineParams {
    const params: AffineParams = {};
    if (this.gamma) params.gamma = this.gamma.read() as tf.Tensor;
    if (this.beta) params.beta = this.beta.read() as tf.Tensor;
    return params;
  }

  /** ε, `center`, `scale` and the initializers and regularizers (and constraints unless `withConstraints` is false). */
  protected affineConfig(withConstraints = true): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: serializeKerasObject(this.betaInitializer),
      gammaInitializer: serializeKerasObject(this.gammaInitializer),
      betaRegularizer: serializeKerasObject(this.betaRegularizer),
      gammaRegularizer: serializeKerasObject(this.gammaRegularizer),
    };
    if (withConstraints) {
      config.betaConstraint = serializeKerasObject(this.betaConstraint);
      config.gammaConstraint = serializeKerasObject(this.gammaConstraint);
    }
    return config;
  }
}
