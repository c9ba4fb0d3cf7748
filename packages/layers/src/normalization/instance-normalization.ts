import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { DescentError } from '@descent/core';
import { instanceNorm } from '@descent/norm';
import { AffineNormalization, type AffineNormalizationArgs } from './affine-normalization';
import { alongChannelAxis, checkAxisOption, resolveChannelAxis } from './channel-axis';

/** Arguments of {@link instanceNormalization}. */
export interface InstanceNormalizationArgs extends AffineNormalizationArgs {
  /** The channel axis. Default `-1` (channels last, NHWC). */
  axis?: number;
}

/**
 * Instance normalization (Ulyanov, Vedaldi & Lempitsky, 2016) as a tfjs-layers layer: every
 * sample and channel is normalized over the spatial axes,
 * `y = γ_c·(x − μ_{n,c})/√(σ²_{n,c} + ε) + β_c` (biased variance); group normalization with
 * one channel per group. No moving statistics: training and inference compute the same function.
 *
 * Computes with `instanceNorm` of `@descent/norm`. Inputs of rank ≥ 3 (`[N, …spatial, C]`).
 * Weights `[gamma, beta]`, each `[C]`. Defaults: `axis` −1, `epsilon` 1e-3, `center` and
 * `scale` true, `beta` zeros, `gamma` ones.
 *
 * @example
 * ```ts
 * model.add(instanceNormalization());   // after a conv2d, NHWC
 * ```
 */
export class InstanceNormalization extends AffineNormalization {
  /** The name tfjs-layers saves and loads this class under. */
  static className = 'descent.InstanceNormalization';
  /** The channel axis as given (negative counts from the end). */
  readonly axis: number;
  private channelAxis = -1;

  /**
   * @throws DescentError `BAD_HYPERPARAM` for a non-integer `axis`, ε ≤ 0; `NON_FINITE`;
   *   `BAD_ARGUMENT` (see {@link AffineNormalization}).
   */
  constructor(args: InstanceNormalizationArgs = {}) {
    const axis = args.axis ?? -1;
    checkAxisOption('instanceNormalization', axis);
    super('instanceNormalization', args);
    this.axis = axis;
  }

  /**
   * Adds `gamma` and `beta` of shape `[C]`.
   *
   * @throws DescentError `SHAPE_MISMATCH` for an input of rank < 3 or an undefined channel
   *   count; `BAD_HYPERPARAM` for an `axis` out of range.
   */
  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const axis = resolveChannelAxis(
      'instanceNormalization',
      this.axis,
      shape,
      3,
      '[N, …spatial, C] (e.g. NHWC)',
    );
    const channels = shape[axis];
    if (channels === null || channels === undefined) {
      throw new DescentError(
        'SHAPE_MISMATCH',
        `instanceNormalization: the input's channel axis ${axis} has no defined size.`,
      );
    }
    this.channelAxis = axis;
    this.addAffineWeights([channels]);
    this.built = true;
  }

  /** The instance-normalized input (the same in training and inference). */
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const options = { epsilon: this.epsilon };
    return alongChannelAxis(x, this.channelAxis, (c) =>
      instanceNorm(c, this.affineParams(), options),
    );
  }

  /** `axis`, ε, `center`, `scale`, the initializers, regularizers and constraints, and the base layer's keys. */
  override getConfig(): tf.serialization.ConfigDict {
    return { axis: this.axis, ...this.affineConfig(), ...super.getConfig() };
  }
}
tf.serialization.registerClass(InstanceNormalization);

/**
 * An {@link InstanceNormalization} layer (Ulyanov et al., 2016), in tfjs-layers' factory style.
 *
 * @example
 * ```ts
 * model.add(instanceNormalization({ epsilon: 1e-5 }));
 * ```
 */
export function instanceNormalization(args?: InstanceNormalizationArgs): InstanceNormalization {
  return new InstanceNormalization(args);
}
