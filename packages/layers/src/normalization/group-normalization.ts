import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { DescentError, checkNumber } from '@descent/core';
import { groupNorm } from '@descent/norm';
import { AffineNormalization, type AffineNormalizationArgs } from './affine-normalization';
import { alongChannelAxis, checkAxisOption, resolveChannelAxis } from './channel-axis';

/** Arguments of {@link groupNormalization}. */
export interface GroupNormalizationArgs extends AffineNormalizationArgs {
  /** Number of channel groups `G`; must divide the channel count `C`. Default `32` (Keras). */
  groups?: number;
  /** The channel axis. Default `-1` (channels last, NHWC). */
  axis?: number;
}

/**
 * Group normalization (Wu & He, 2018) as a tfjs-layers layer: the `C` channels are split into
 * `G` groups of `C/G` consecutive channels, and every sample and group is normalized over its
 * spatial positions and channels, `y = γ_c·(x − μ_{n,g})/√(σ²_{n,g} + ε) + β_c` (biased
 * variance). No moving statistics: training and inference compute the same function.
 *
 * Computes with `groupNorm` of `@descent/norm` (fused kernels on wasm and webgpu). Weights
 * `[gamma, beta]`, each `[C]`. Defaults as Keras' `GroupNormalization`: `groups` 32, `axis` −1,
 * `epsilon` 1e-3, `center` and `scale` true, `beta` zeros, `gamma` ones.
 *
 * @example
 * ```ts
 * model.add(tfl.layers.conv2d({ filters: 16, kernelSize: 3 }));
 * model.add(groupNormalization({ groups: 4 }));
 * ```
 */
export class GroupNormalization extends AffineNormalization {
  /** The name tfjs-layers saves and loads this class under. */
  static className = 'descent.GroupNormalization';
  /** `G`. */
  readonly groups: number;
  /** The channel axis as given (negative counts from the end). */
  readonly axis: number;
  private channelAxis = -1;

  /**
   * @throws DescentError `BAD_HYPERPARAM` for `groups` not an integer ≥ 1, a non-integer `axis`,
   *   ε ≤ 0; `NON_FINITE`; `BAD_ARGUMENT` (see {@link AffineNormalization}).
   */
  constructor(args: GroupNormalizationArgs = {}) {
    const groups = args.groups ?? 32;
    const axis = args.axis ?? -1;
    checkNumber('groupNormalization: groups', groups, { integer: true, min: 1 });
    checkAxisOption('groupNormalization', axis);
    super('groupNormalization', args);
    this.groups = groups;
    this.axis = axis;
  }

  /**
   * Adds `gamma` and `beta` of shape `[C]`.
   *
   * @throws DescentError `SHAPE_MISMATCH` for an input of rank < 2 or an undefined channel
   *   count; `BAD_HYPERPARAM` when `groups` does not divide `C` or `axis` is out of range.
   */
  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const axis = resolveChannelAxis('groupNormalization', this.axis, shape, 2, '[N, …, C]');
    const channels = shape[axis];
    if (channels === null || channels === undefined) {
      throw new DescentError(
        'SHAPE_MISMATCH',
        `groupNormalization: the input's channel axis ${axis} has no defined size.`,
      );
    }
    if (channels % this.groups !== 0) {
      throw new DescentError(
        'BAD_HYPERPARAM',
        `groupNormalization: groups = ${this.groups} does not divide the C = ${channels} channels ` +
          `of the input (axis ${axis}); choose a divisor of ${channels}.`,
      );
    }
    this.channelAxis = axis;
    this.addAffineWeights([channels]);
    this.built = true;
  }

  /** The group-normalized input (the same in training and inference). */
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const options = { groups: this.groups, epsilon: this.epsilon };
    return alongChannelAxis(x, this.channelAxis, (c) => groupNorm(c, this.affineParams(), options));
  }

  /** `groups`, `axis`, ε, `center`, `scale`, the initializers, regularizers and constraints, and the base layer's keys. */
  override getConfig(): tf.serialization.ConfigDict {
    return {
      groups: this.groups,
      axis: this.axis,
      ...this.affineConfig(),
      ...super.getConfig(),
    };
  }
}
tf.serialization.registerClass(GroupNormalization);

/**
 * A {@link GroupNormalization} layer (Wu & He, 2018), in tfjs-layers' factory style.
 *
 * @example
 * ```ts
 * model.add(groupNormalization({ groups: 4 }));
 * ```
 */
export function groupNormalization(args?: GroupNormalizationArgs): GroupNormalization {
  return new GroupNormalization(args);
}
