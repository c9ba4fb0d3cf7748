import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { DescentError, describeValue } from '@descent/core';
import { weightNorm } from '@descent/norm';
import { KernelWrapper, type KernelWrapperArgs, wrapperArgsFromConfig } from './kernel-wrapper';
import { paramsArePresented } from '../model/present-params';

type Kwargs = Parameters<tfl.layers.Layer['call']>[1];

/** Arguments of {@link weightNormalization}. */
export interface WeightNormalizationArgs extends KernelWrapperArgs {
  /**
   * Data-dependent initialization (Salimans & Kingma 2016, §3): at the first training call, set
   * `g = 1/σ[t]` and the bias to `−μ[t]/σ[t]`, where `μ`, `σ` are the per-unit mean and standard
   * deviation over the batch of the pre-activations `t = x·v/‖v‖`, so that the layer's
   * pre-activations start standardized. Done once per model: a non-trainable flag weight
   * `initialized` (saved with the model) records it. Default `false`: `g = ‖v‖`, the wrapped layer
   * starts as the unwrapped one.
   */
  dataInit?: boolean;
}

/** The part of tfjs-layers' Dense and Conv layers data-dependent initialization swaps. */
interface BiasAndActivation {
  bias: tfl.LayerVariable | null;
  activation: unknown;
}

const LINEAR = { getClassName: () => 'linear', apply: (x: tf.Tensor) => x };
const VARIANCE_FLOOR = 1e-10;

/**
 * Weight normalization (Salimans & Kingma 2016) of a tfjs-layers `dense` or `conv` layer: the
 * layer computes with `w = g·v/‖v‖` per output unit — the norm over every axis of the kernel but
 * the last, where tfjs keeps the output units — instead of its stored kernel. The inner layer's
 * kernel variable is `v`; the wrapper adds the gains `g` (shape `[units]`, initialized to `‖v‖`,
 * so the wrapped layer starts as the unwrapped one). Gradients reach `g` and `v` through
 * `@descent/norm`'s `weightNorm`; tfjs-layers' weight constraints are not needed.
 *
 * Weights, in order: the inner layer's (`kernel` = `v`, `bias`), then `g` (and the non-trainable
 * flag `initialized` with `dataInit`), named under the wrapper's name.
 *
 * @example
 * ```ts
 * const model = tf.sequential();
 * model.add(weightNormalization({ layer: tf.layers.dense({ units: 16, inputShape: [8] }) }));
 * ```
 */
export class WeightNormalization extends KernelWrapper {
  /** The name tfjs's serialization registry knows this class by. */
  static className = 'descent.WeightNormalization';
  /** Whether the first training call initializes `g` and the bias from the data. */
  readonly dataInit: boolean;
  private gain: tfl.LayerVariable | null = null;
  private initializedFlag: tfl.LayerVariable | null = null;
  private dataInitDone = false;

  /** Prefer the {@link weightNormalization} factory. */
  constructor(args: WeightNormalizationArgs) {
    super('weightNormalization', checkDataInit(args));
    this.dataInit = args.dataInit ?? false;
  }

  protected override buildOwn(kernel: tfl.LayerVariable): void {
    const units = kernel.shape[kernel.shape.length - 1] as number;
    this.gain = this.addWeight('g', [units], 'float32', tfl.initializers.ones(), undefined, true);
    const gain = this.gain;
    tf.tidy(() => {
      gain.write(unitNorms(kernel.read()));
    });
    if (this.dataInit) {
      this.initializedFlag = this.addWeight(
        'initialized',
        [],
        'float32',
        tfl.initializers.zeros(),
        undefined,
        false,
      );
    }
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    return tf.tidy(() => {
      if (this.dataInit && kwargs.training === true && !this.dataInitDone) {
        this.initializeFromData(inputs, kwargs);
      }
      const w = weightNorm(this.innerKernel.read(), (this.gain as tfl.LayerVariable).read());
      return this.callWithKernel(w, inputs, kwargs);
    });
  }

  /**
   * Sets `g` and the bias from the pre-activations of `inputs`, unless the `initialized` flag
   * says it was done (chosen on the device: no value is read).
   */
  private initializeFromData(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): void {
    const gain = this.gain as tfl.LayerVariable;
    const flag = this.initializedFlag as tfl.LayerVariable;
    const v = this.innerKernel.read();
    const direction = weightNorm(v, tf.onesLike(gain.read()));
    const t = this.preActivations(direction, inputs, kwargs);
    const axes = t.shape.map((_, i) => i).slice(0, -1);
    const { mean, variance } = tf.moments(t, axes);
    const scale = tf.rsqrt(tf.add(variance, VARIANCE_FLOOR));
    const done = tf.greater(flag.read(), 0.5);
    gain.write(tf.where(done, gain.read(), scale));
    const bias = (this.layer as unknown as BiasAndActivation).bias;
    if (bias != null) bias.write(tf.where(done, bias.read(), tf.neg(tf.mul(mean, scale))));
    flag.write(tf.onesLike(flag.read()));
    // Under fromLayersModel's apply the writes above were dropped: the next real call must redo it.
    if (!paramsArePresented()) this.dataInitDone = true;
  }

  /** The inner layer's output for `kernel` with no bias and a linear activation. */
  private preActivations(
    kernel: tf.Tensor,
    inputs: tf.Tensor | tf.Tensor[],
    kwargs: Kwargs,
  ): tf.Tensor {
    const inner = this.layer as unknown as BiasAndActivation;
    const { bias, activation } = inner;
    inner.bias = null;
    inner.activation = LINEAR;
    try {
      return this.callWithKernel(kernel, inputs, kwargs) as tf.Tensor;
    } finally {
      inner.bias = bias;
      inner.activation = activation;
    }
  }

  /** The inner layer's config under `layer`, `dataInit`, then the base layer's config. */
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), dataInit: this.dataInit };
  }

  /** Rebuilds the wrapper and its inner layer from {@link getConfig}'s output. */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(wrapperArgsFromConfig('weightNormalization', config));
  }
}
tf.serialization.registerClass(WeightNormalization);

/**
 * Wraps a `dense` or `conv` layer in {@link WeightNormalization}: `w = g·v/‖v‖` per output unit
 * (Salimans & Kingma 2016).
 *
 * @param args - `layer`: the layer to wrap (its `inputShape`, if any, becomes the wrapper's);
 *   `dataInit`: data-dependent initialization at the first training call (default `false`); and
 *   tfjs-layers' layer arguments (`name`, `inputShape`, `trainable`, …).
 * @throws DescentError `BAD_ARGUMENT` for a layer without a kernel (or a transposed convolution),
 *   a non-boolean `dataInit`, args not a plain object.
 *
 * @example
 * ```ts
 * model.add(weightNormalization({ layer: tf.layers.conv2d({ filters: 8, kernelSize: 3 }) }));
 * ```
 */
export function weightNormalization(args: WeightNormalizationArgs): WeightNormalization {
  return new WeightNormalization(args);
}

function checkDataInit(args: WeightNormalizationArgs): WeightNormalizationArgs {
  const dataInit: unknown = (args as Partial<WeightNormalizationArgs> | null)?.dataInit;
  if (dataInit !== undefined && typeof dataInit !== 'boolean') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `weightNormalization: args.dataInit must be a boolean, got ${describeValue(dataInit)}.`,
    );
  }
  return args;
}

function unitNorms(kernel: tf.Tensor): tf.Tensor {
  const axes = kernel.shape.map((_, i) => i).slice(0, -1);
  return tf.sqrt(tf.sum(tf.square(kernel), axes));
}
