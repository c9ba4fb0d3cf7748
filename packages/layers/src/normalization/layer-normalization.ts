import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { DescentError, checkNumber } from '@descent/core';
import { layerNorm } from '@descent/norm';
import { AffineNormalization, type AffineNormalizationArgs } from './affine-normalization';

/** Arguments of {@link layerNormalization}: those of tfjs-layers' `layerNormalization`. */
export interface LayerNormalizationArgs
  extends Omit<AffineNormalizationArgs, 'betaConstraint' | 'gammaConstraint'> {
  /** The axis or axes normalized over (per sample). Default `-1` (the features). */
  axis?: number | number[];
}

/**
 * Layer normalization (Ba, Kiros & Hinton, 2016) as a tfjs-layers layer, a drop-in for
 * tfjs-layers' `LayerNormalization`: every sample is normalized over `axis`,
 * `y = γ·(x − μ)/√(σ² + ε) + β`, with `μ` and the biased `σ²` taken over the axes in `axis`.
 *
 * The same config keys and defaults as tfjs's layer (`axis` −1, `epsilon` 1e-3, `center` and
 * `scale` true, `beta` zeros, `gamma` ones, no regularizers) and the same weights (`gamma`, then
 * `beta`, of the input's shape on the normalized axes), so weights copy across both ways; it
 * computes with `layerNorm` of `@descent/norm`, whose fused kernels on wasm and webgpu (over the
 * last axis) make forward + backward a couple of hundred times faster than tfjs's layer. Several
 * axes are taken in increasing order (tfjs's layer would mislay `gamma` for an unsorted list).
 *
 * @example
 * ```ts
 * model.add(layerNormalization());          // instead of tfl.layers.layerNormalization()
 * ```
 */
export class LayerNormalization extends AffineNormalization {
  /** The name tfjs-layers saves and loads this class under. */
  static className = 'descent.LayerNormalization';
  /** The normalized axis or axes as given (negative counts from the end). */
  readonly axis: number | number[];
  private axes: number[] = [];

  /**
   * @throws DescentError `BAD_HYPERPARAM` for an `axis` that is not an integer or a non-empty
   *   array of them, ε ≤ 0; `NON_FINITE`; `BAD_ARGUMENT` (see {@link AffineNormalization}).
   */
  constructor(args: LayerNormalizationArgs = {}) {
    const axis = args.axis ?? -1;
    checkAxes(axis);
    super('layerNormalization', args);
    this.axis = Array.isArray(axis) ? [...axis] : axis;
  }

  /**
   * Adds `gamma` and `beta` of the input's shape on the normalized axes.
   *
   * @throws DescentError `BAD_HYPERPARAM` for an axis out of range, the batch axis or a repeated
   *   axis; `SHAPE_MISMATCH` for a normalized axis without a defined size.
   */
  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const axes = resolveAxes([this.axis].flat(), shape);
    const paramShape = axes.map((a) => shape[a]);
    if (paramShape.some((d) => d === null || d === undefined)) {
      throw new DescentError(
        'SHAPE_MISMATCH',
        `layerNormalization: the input's normalized axes [${axes.join(', ')}] must have defined ` +
          `sizes, got [${paramShape.map((d) => d ?? 'null').join(', ')}].`,
      );
    }
    this.axes = axes;
    this.addAffineWeights(paramShape as number[]);
    this.built = true;
  }

  /** The layer-normalized input (the same in training and inference). */
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    return layerNorm(x, this.affineParams(), { axis: this.axes, epsilon: this.epsilon });
  }

  /** tfjs-layers' `LayerNormalization` keys: `axis`, ε, `center`, `scale`, the initializers and regularizers, and the base layer's keys. */
  override getConfig(): tf.serialization.ConfigDict {
    return { axis: this.axis, ...this.affineConfig(false), ...super.getConfig() };
  }
}
tf.serialization.registerClass(LayerNormalization);

/**
 * A {@link LayerNormalization} layer (Ba et al., 2016), in tfjs-layers' factory style: a fused
 * drop-in for `tfl.layers.layerNormalization(args)`.
 *
 * @example
 * ```ts
 * model.add(layerNormalization({ epsilon: 1e-5 }));
 * ```
 */
export function layerNormalization(args?: LayerNormalizationArgs): LayerNormalization {
  return new LayerNormalization(args);
}

function checkAxes(axis: unknown): void {
  if (Array.isArray(axis)) {
    if (axis.length === 0) {
      throw new DescentError(
        'BAD_HYPERPARAM',
        'layerNormalization: axis = [] normalizes over nothing; expected an integer or a non-empty array of integers.',
      );
    }
    for (const [i, a] of axis.entries()) {
      checkNumber(`layerNormalization: axis[${i}]`, a, { integer: true });
    }
  } else {
    checkNumber('layerNormalization: axis', axis, { integer: true });
  }
}

function resolveAxes(axis: number[], shape: tfl.Shape): number[] {
  const rank = shape.length;
  const resolved = axis.map((a) => (a < 0 ? a + rank : a));
  resolved.forEach((a, i) => {
    if (a < 1 || a >= rank) {
      throw new DescentError(
        'BAD_HYPERPARAM',
        `layerNormalization: axis ${axis[i]} is not a feature axis of an input of rank ${rank}; ` +
          `expected 1 … ${rank - 1} or −1 … −${rank - 1} (axis 0 is the batch).`,
      );
    }
  });
  if (new Set(resolved).size !== resolved.length) {
    throw new DescentError(
      'BAD_HYPERPARAM',
      `layerNormalization: axis [${axis.join(', ')}] repeats an axis of an input of rank ${rank}.`,
    );
  }
  return resolved.sort((a, b) => a - b);
}
