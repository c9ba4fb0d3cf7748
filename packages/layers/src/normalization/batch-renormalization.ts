import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { DescentError, checkNumber } from '@descent/core';
import { batchRenorm } from '@descent/norm';
import { AffineNormalization, type AffineNormalizationArgs } from './affine-normalization';
import { checkAxisOption, resolveChannelAxis } from './channel-axis';
import {
  type Initializer,
  type InitializerArg,
  resolveKerasObject,
  serializeKerasObject,
} from './keras-objects';

/** Arguments of {@link batchRenormalization}. */
export interface BatchRenormalizationArgs extends AffineNormalizationArgs {
  /** Weight of the old moving value: `moving ← momentum·moving + (1 − momentum)·batch`, in [0, 1]. Default `0.99` (Keras). */
  momentum?: number;
  /** Clip of `r` to `[1/rMax, rMax]`, `rMax ≥ 1` (`1`: plain batch norm). Default `3` (the paper's final value). */
  rMax?: number;
  /** Clip of `d` to `[−dMax, dMax]`, `dMax ≥ 0` (`0`: plain batch norm). Default `5` (the paper's final value). */
  dMax?: number;
  /** The channel axis. Default `-1` (channels last). */
  axis?: number;
  /** Initializer of the moving mean. Default `'zeros'`. */
  movingMeanInitializer?: InitializerArg;
  /** Initializer of the moving variance. Default `'ones'`. */
  movingVarianceInitializer?: InitializerArg;
}

/**
 * Batch renormalization (Ioffe, 2017) as a tfjs-layers layer: batch normalization whose training
 * output is corrected towards the moving statistics, so that training and inference compute the
 * same function of the input. With `σ_B = √(σ²_B + ε)` of the batch and `σ = √(σ̂² + ε)` of the
 * moving statistics, in training `r = clip(σ_B/σ, 1/rMax, rMax)`,
 * `d = clip((μ_B − μ̂)/σ, −dMax, dMax)` (both constants in the backward pass) and
 * `y = γ·((x − μ_B)/σ_B·r + d) + β`; in inference `y = γ·(x − μ̂)/σ + β`.
 *
 * Computes with `batchRenorm` of `@descent/norm`. Weights `[gamma, beta, movingMean,
 * movingVariance]` (named `gamma`, `beta`, `moving_mean`, `moving_variance` as in Keras and
 * tfjs-layers' `BatchNormalization`; the last two not trainable). During `fit` (or any call with
 * `training: true`) the moving statistics are updated as tfjs-layers' `BatchNormalization`
 * updates its own, `moving ← moving − (1 − momentum)·(moving − batch)` with the biased batch
 * variance; `r` and `d` are taken against these same statistics (Keras keeps a second, renorm
 * pair with its own momentum; the clips here default to the paper's final `rMax` 3 and `dMax` 5,
 * where Keras leaves them unbounded). `rMax` and `dMax` are plain fields: a callback may raise them
 * during training (the paper starts from 1 and 0); their current values are saved.
 *
 * @example
 * ```ts
 * model.add(tfl.layers.dense({ units: 64 }));
 * model.add(batchRenormalization({ rMax: 3, dMax: 5 }));
 * ```
 */
export class BatchRenormalization extends AffineNormalization {
  /** The name tfjs-layers saves and loads this class under. */
  static className = 'descent.BatchRenormalization';
  /** Weight of the old moving value. */
  readonly momentum: number;
  /** The channel axis as given (negative counts from the end). */
  readonly axis: number;
  /** Moving mean μ̂ once built, `[C]`. */
  movingMean: tfl.LayerVariable | null = null;
  /** Moving variance σ̂² once built, `[C]`. */
  movingVariance: tfl.LayerVariable | null = null;
  private currentRMax: number;
  private currentDMax: number;
  private channelAxis = -1;
  private readonly movingMeanInitializer: Initializer;
  private readonly movingVarianceInitializer: Initializer;

  /**
   * @throws DescentError `BAD_HYPERPARAM` for a momentum outside [0, 1], `rMax < 1`, `dMax < 0`,
   *   a non-integer `axis`, ε ≤ 0; `NON_FINITE`; `BAD_ARGUMENT` (see {@link AffineNormalization}).
   */
  constructor(args: BatchRenormalizationArgs = {}) {
    const momentum = args.momentum ?? 0.99;
    const rMax = args.rMax ?? 3;
    const dMax = args.dMax ?? 5;
    const axis = args.axis ?? -1;
    checkNumber('batchRenormalization: momentum', momentum, { min: 0, max: 1 });
    checkRMax(rMax);
    checkDMax(dMax);
    checkAxisOption('batchRenormalization', axis);
    const meanInit = resolveKerasObject<Initializer>(
      'batchRenormalization: movingMeanInitializer',
      'initializer',
      args.movingMeanInitializer,
      'zeros',
    );
    const varianceInit = resolveKerasObject<Initializer>(
      'batchRenormalization: movingVarianceInitializer',
      'initializer',
      args.movingVarianceInitializer,
      'ones',
    );
    super('batchRenormalization', args);
    this.momentum = momentum;
    this.axis = axis;
    this.currentRMax = rMax;
    this.currentDMax = dMax;
    this.movingMeanInitializer = meanInit as Initializer;
    this.movingVarianceInitializer = varianceInit as Initializer;
  }

  /** The clip of `r` (≥ 1); setting it takes effect at the next training call. */
  get rMax(): number {
    return this.currentRMax;
  }
  set rMax(value: number) {
    checkRMax(value);
    this.currentRMax = value;
  }

  /** The clip of `d` (≥ 0); setting it takes effect at the next training call. */
  get dMax(): number {
    return this.currentDMax;
  }
  set dMax(value: number) {
    checkDMax(value);
    this.currentDMax = value;
  }

  /**
   * Adds `gamma`, `beta`, `moving_mean` and `moving_variance`, each `[C]`.
   *
   * @throws DescentError `SHAPE_MISMATCH` for an input of rank < 2 or an undefined channel
   *   count; `BAD_HYPERPARAM` for an `axis` out of range.
   */
  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const axis = resolveChannelAxis('batchRenormalization', this.axis, shape, 2, '[N, …, C]');
    const channels = shape[axis];
    if (channels === null || channels === undefined) {
      throw new DescentError(
        'SHAPE_MISMATCH',
        `batchRenormalization: the input's channel axis ${axis} has no defined size.`,
      );
    }
    this.channelAxis = axis;
    this.addAffineWeights([channels]);
    this.movingMean = this.addWeight(
      'moving_mean',
      [channels],
      'float32',
      this.movingMeanInitializer,
      undefined,
      false,
    );
    this.movingVariance = this.addWeight(
      'moving_variance',
      [channels],
      'float32',
      this.movingVarianceInitializer,
      undefined,
      false,
    );
    this.built = true;
  }

  /**
   * Training (`kwargs.training`, as in `fit`): the renormalized batch, and the moving statistics
   * updated. Otherwise: the input normalized with the moving statistics.
   */
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const training = kwargs?.training === true;
    const mean = this.movingMean as tfl.LayerVariable;
    const variance = this.movingVariance as tfl.LayerVariable;
    return tf.tidy(() => {
      const { y, state } = batchRenorm(
        x,
        this.affineParams(),
        { mean: mean.read(), variance: variance.read() },
        {
          training,
          rMax: this.currentRMax,
          dMax: this.currentDMax,
          momentum: this.momentum,
          epsilon: this.epsilon,
          axis: this.channelAxis,
        },
      );
      if (training) {
        mean.write(state.mean);
        variance.write(state.variance);
      }
      return y;
    });
  }

  /** `momentum`, `rMax`, `dMax`, `axis`, ε, `center`, `scale`, every initializer, regularizer and constraint, and the base layer's keys. */
  override getConfig(): tf.serialization.ConfigDict {
    return {
      momentum: this.momentum,
      rMax: this.currentRMax,
      dMax: this.currentDMax,
      axis: this.axis,
      ...this.affineConfig(),
      movingMeanInitializer: serializeKerasObject(this.movingMeanInitializer),
      movingVarianceInitializer: serializeKerasObject(this.movingVarianceInitializer),
      ...super.getConfig(),
    };
  }
}
tf.serialization.registerClass(BatchRenormalization);

/**
 * A {@link BatchRenormalization} layer (Ioffe, 2017), in tfjs-layers' factory style.
 *
 * @example
 * ```ts
 * model.add(batchRenormalization({ momentum: 0.99, rMax: 3, dMax: 5 }));
 * ```
 */
export function batchRenormalization(args?: BatchRenormalizationArgs): BatchRenormalization {
  return new BatchRenormalization(args);
}

function checkRMax(value: unknown): void {
  checkNumber('batchRenormalization: rMax', value, { min: 1 });
}

function checkDMax(value: unknown): void {
  checkNumber('batchRenormalization: dMax', value, { min: 0 });
}
