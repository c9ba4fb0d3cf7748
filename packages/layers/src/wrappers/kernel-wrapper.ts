import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { DescentError, describeValue } from '@descent/core';
import { defaultLayerName } from '../default-layer-name';

type Layer = tfl.layers.Layer;
type LayerArgs = NonNullable<ConstructorParameters<typeof tfl.layers.Layer>[0]>;
type Kwargs = Parameters<Layer['call']>[1];
type Shape = Parameters<Layer['build']>[0];

/** Arguments shared by the kernel wrappers: the wrapped layer and tfjs-layers' own layer arguments. */
export interface KernelWrapperArgs extends LayerArgs {
  /**
   * The layer to wrap: a layer that owns a `kernel` weight whose last axis is its output units and
   * that reads it with `kernel.read()` in `call` — tfjs-layers' `dense`, `conv1d`, `conv2d`,
   * `conv3d`. The wrapper owns it from then on (do not add it to a model yourself).
   */
  layer: Layer;
}

/** The part of tfjs-layers' Dense and Conv layers the wrappers rely on. */
interface KernelOwner {
  kernel: { read(): tf.Tensor } | null;
}

/**
 * The base of {@link WeightNormalization} and {@link SpectralNormalization}: owns an inner layer
 * that computes with its `kernel`, and runs the inner layer's `call` with a kernel computed from
 * the wrapper's weights in place of the stored one, so that gradients reach those weights.
 *
 * The wrapper's `weights` are the inner layer's trainable weights (inner order), the wrapper's own
 * trainable weights, then the inner layer's non-trainable weights and the wrapper's own.
 * Not registered for serialization itself.
 */
export abstract class KernelWrapper extends tfl.layers.Layer {
  /** The wrapped layer. */
  readonly layer: Layer;
  private readonly owner: string;

  /** `owner` names the factory in error messages (e.g. `'weightNormalization'`). */
  constructor(owner: string, args: KernelWrapperArgs) {
    super(checkWrapperArgs(owner, args));
    this.layer = args.layer;
    this.owner = owner;
    this.supportsMasking = this.layer.supportsMasking;
  }

  /** The inner layer's stored kernel (built by {@link build}). */
  protected get innerKernel(): tfl.LayerVariable {
    return (this.layer as unknown as KernelOwner).kernel as unknown as tfl.LayerVariable;
  }

  /** Builds the inner layer (if it is not built) under this wrapper's name; then {@link buildOwn}. */
  override build(inputShape: Shape): void {
    if (!this.layer.built) {
      this.layer.build(inputShape);
      this.layer.built = true;
    }
    checkBuiltKernel(this.owner, this.layer);
    this.buildOwn(this.innerKernel);
    this.built = true;
  }

  /** Adds the wrapper's own weights, given the inner layer's kernel. */
  protected abstract buildOwn(kernel: tfl.LayerVariable): void;

  override computeOutputShape(inputShape: Shape): Shape {
    return this.layer.computeOutputShape(inputShape) as Shape;
  }

  /** Runs the inner layer's `call` with `kernel` in place of its stored kernel. */
  protected callWithKernel(
    kernel: tf.Tensor,
    inputs: tf.Tensor | tf.Tensor[],
    kwargs: Kwargs,
  ): tf.Tensor | tf.Tensor[] {
    const inner = this.layer as unknown as KernelOwner;
    const stored = inner.kernel;
    inner.kernel = { read: () => kernel };
    try {
      return this.layer.call(inputs, kwargs);
    } finally {
      inner.kernel = stored;
    }
  }

  override get trainable(): boolean {
    return this.layer == null ? super.trainable : this.layer.trainable;
  }

  override set trainable(value: boolean) {
    super.trainable = value;
    if (this.layer != null) this.layer.trainable = value;
  }

  override get trainableWeights(): tfl.LayerVariable[] {
    if (this.layer == null) return super.trainableWeights;
    return [...this.layer.trainableWeights, ...super.trainableWeights];
  }

  override set trainableWeights(weights: tfl.LayerVariable[]) {
    super.trainableWeights = weights;
  }

  override get nonTrainableWeights(): tfl.LayerVariable[] {
    if (this.layer == null) return super.nonTrainableWeights;
    return [...this.layer.nonTrainableWeights, ...super.nonTrainableWeights];
  }

  override set nonTrainableWeights(weights: tfl.LayerVariable[]) {
    super.nonTrainableWeights = weights;
  }

  /** The inner layer's regularization losses (on its stored kernel and bias), then the wrapper's. */
  override calculateLosses(): tf.Scalar[] {
    return [...this.layer.calculateLosses(), ...super.calculateLosses()];
  }

  override setFastWeightInitDuringBuild(value: boolean): void {
    super.setFastWeightInitDuringBuild(value);
    this.layer?.setFastWeightInitDuringBuild(value);
  }

  /** The wrapped layer as `{ className, config }`, then the base layer's config. */
  override getConfig(): tf.serialization.ConfigDict {
    return {
      layer: { className: this.layer.getClassName(), config: this.layer.getConfig() },
      ...super.getConfig(),
    };
  }
}

/**
 * Internal: the arguments of a wrapper's constructor from its serialized config: the inner layer rebuilt
 * from `config.layer` through tfjs's serialization registry (the one tfjs-layers reads), the other
 * keys as they are.
 */
export function wrapperArgsFromConfig(
  owner: string,
  config: tf.serialization.ConfigDict,
): KernelWrapperArgs {
  const { layer, customObjects: _, ...rest } = config;
  return { ...(rest as LayerArgs), layer: deserializeLayer(owner, layer) };
}

function deserializeLayer(owner: string, value: unknown): Layer {
  const entry = value as { className?: unknown; config?: unknown } | null;
  if (typeof entry?.className !== 'string' || typeof entry.config !== 'object') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${owner}.fromConfig: config.layer must be { className, config }, got ${describeValue(value)}.`,
    );
  }
  const registered = tf.serialization.SerializationMap.getMap().classNameMap[entry.className];
  if (registered === undefined) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${owner}.fromConfig: config.layer.className ${entry.className} is not a registered class (import the package that registers it first).`,
    );
  }
  const [cls, fromConfig] = registered;
  const inner = fromConfig(cls, { ...(entry.config as tf.serialization.ConfigDict) });
  return inner as unknown as Layer;
}

function checkWrapperArgs(owner: string, args: KernelWrapperArgs): KernelWrapperArgs {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${owner}: args must be a plain object such as { layer }, got ${describeValue(args)}.`,
    );
  }
  const layer: unknown = args.layer;
  if (!(layer instanceof tfl.layers.Layer)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${owner}: args.layer must be a tfjs-layers Layer such as tf.layers.dense(…), got ${describeValue(layer)}.`,
    );
  }
  const className = layer.getClassName();
  if (!('kernel' in layer) || className.includes('Transpose')) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${owner}: args.layer must be a layer with a kernel whose last axis is its output units (Dense, Conv1D, Conv2D, Conv3D), got a ${className}.`,
    );
  }
  if (layer.built) checkBuiltKernel(owner, layer);
  const inherit = args.inputShape == null && args.batchInputShape == null;
  return {
    ...args,
    name: args.name || defaultLayerName(owner),
    ...(inherit && layer.batchInputShape != null ? { batchInputShape: layer.batchInputShape } : {}),
  };
}

function checkBuiltKernel(owner: string, layer: Layer): void {
  const kernel = (layer as unknown as KernelOwner).kernel as { read?: unknown; shape?: unknown };
  const shape = kernel?.shape;
  if (typeof kernel?.read !== 'function' || !Array.isArray(shape) || shape.length < 2) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${owner}: args.layer (${layer.getClassName()} ${layer.name}) has no kernel weight of rank ≥ 2 after build.`,
    );
  }
}
