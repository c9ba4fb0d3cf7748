import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  DescentError,
  OptionReader,
  Rng,
  checkFiniteTensor,
  checkTensor,
  describeValue,
  formatShape,
} from '@descent/core';
import { type LsuvLayerReport, orthogonal } from '@descent/init';
import { type KernelLayer, activationName, hasKernel, preActivation } from './pre-activation';

/** Options of {@link lsuvInit} (those of `@descent/init`'s `lsuv`, plus `zeroBiases`). */
export interface LsuvInitOptions {
  /** Stop rescaling a layer once `|Var − 1| < tolVar` (default 0.1, Mishkin & Matas). */
  tolVar?: number;
  /** At most this many rescalings per layer (default 10). */
  maxIters?: number;
  /**
   * Start from an orthogonal kernel in every processed layer (default `true`, the paper's step
   * 1); `seed` or `rng` is then required, and the kernel of `model.layers[i]` draws from
   * `rng.child('layers[i].kernel')` (positions, not layer names, which tfjs-layers numbers per
   * process). With `false` the current kernels are rescaled.
   */
  orthogonalStart?: boolean;
  /** Set the bias of every processed layer to zero first (default `true`, as in the paper). */
  zeroBiases?: boolean;
  /** The generator of the orthogonal start (advanced); give this or `seed`. */
  rng?: Rng;
  /** A seed for a fresh generator of the orthogonal start (`new Rng(seed)`); or give `rng`. */
  seed?: number | string;
}

/** The result of {@link lsuvInit}. */
export interface LsuvInitResult {
  /** One entry per processed layer, in `model.layers` order; `layer` is the layer's name. */
  report: LsuvLayerReport[];
}

const FN = 'lsuvInit';
const KEYS = ['tolVar', 'maxIters', 'orthogonalStart', 'zeroBiases', 'rng', 'seed'];

/**
 * Layer-sequential unit-variance initialization (LSUV, Mishkin & Matas 2016) of a built
 * tfjs-layers model, in place:
 *
 * 1. every layer with a `kernel` weight (dense, conv1d/2d/3d, …) gets an orthogonal kernel
 *    (`orthogonalStart`) and a zero bias (`zeroBiases`);
 * 2. for each such layer in `model.layers` order, compute `v = Var(z)`, the variance over all
 *    elements of the layer's output `z` on `batch`, and divide its kernel by `√v`; repeat until
 *    `|v − 1| < tolVar` or `maxIters` rescalings.
 *
 * `z` is the pre-activation: a layer with a fused activation (`dense({ activation: 'relu' })`)
 * is measured with its activation replaced by `'linear'`, because the paper normalizes the
 * output of the convolution or inner product, before the nonlinearity (in Caffe a separate
 * layer), as `@descent/init`'s `lsuv` does with its taps. Everything runs in inference mode
 * (`predict`, batch normalization on its moving statistics). A layer's input comes from a
 * sub-model `tfl.model({ inputs: model.inputs, outputs: layer.input })` with the earlier layers
 * already final. Layers inside a nested model, and layers whose weights have other names
 * (depthwise or separable convolutions), are not visited; other weights are not touched.
 * A layer whose output has zero variance cannot be rescaled and is reported with
 * `converged: false`. Kernel constraints apply on every write, as they do in `fit`.
 *
 * Every argument is checked before any weight is written, and if a later step fails (a
 * non-finite variance) every kernel and bias is restored.
 *
 * @param model - a built `tfl.LayersModel` (or `Sequential`) with one input, each kernel layer
 *   called once in the graph.
 * @param batch - a representative input batch, shaped like `model.inputs[0]` with its `null`
 *   dimensions free, of the input's dtype.
 * @param options - `tolVar` (0.1), `maxIters` (10), `orthogonalStart` (true), `zeroBiases`
 *   (true), `seed` or `rng` (required with `orthogonalStart`).
 * @returns the per-layer report (the same shape as `lsuv`'s).
 * @throws DescentError `BAD_ARGUMENT` (not a layers model, not built, several inputs, no kernel
 *   layer, a kernel layer used twice, a missing or bad generator), `SHAPE_MISMATCH` or
 *   `DTYPE_MISMATCH` for a batch that does not fit the model's input, `BAD_HYPERPARAM` (tolVar
 *   outside (0, 1), maxIters not a positive integer), `NON_FINITE` for a batch holding NaN or
 *   ±Infinity or a layer whose output variance is not finite, `UNKNOWN_PARAM`.
 * @example
 * ```ts
 * const { report } = await lsuvInit(model, xBatch, { seed: 0 });
 * console.table(report); // iterations and final variance per layer
 * ```
 * @see D. Mishkin & J. Matas, All you need is a good init, ICLR 2016.
 */
export async function lsuvInit(
  model: tfl.LayersModel,
  batch: tf.Tensor,
  options?: LsuvInitOptions,
): Promise<LsuvInitResult> {
  const { tolVar, maxIters, zeroBiases, rng } = readOptions(options);
  const input = checkModelInput(model);
  checkBatch(batch, input);
  const layers = kernelLayers(model);
  await checkFiniteTensor(`${FN}: batch`, batch);

  const saved = layers.flatMap((l) =>
    writableWeights(l.layer).map((v) => ({ v, copy: tf.clone(v.read()) })),
  );
  try {
    layers.forEach(({ layer, index }) => {
      if (rng)
        write(
          layer.kernel,
          orthogonal(layer.kernel.shape as number[], { rng: rng.child(`layers[${index}].kernel`) }),
        );
      if (zeroBiases && layer.bias) write(layer.bias, tf.zerosLike(layer.bias.read()));
    });
    const report: LsuvLayerReport[] = [];
    for (const { layer } of layers) {
      report.push(await normalizeLayer(model, input, layer, batch, tolVar, maxIters));
    }
    return { report };
  } catch (error) {
    for (const { v, copy } of saved) v.write(copy);
    throw error;
  } finally {
    for (const { copy } of saved) copy.dispose();
  }
}

function readOptions(options: unknown) {
  const read = new OptionReader(FN, options === undefined ? {} : options, KEYS);
  const tolVar = read.number('tolVar', 0.1, {
    min: 0,
    max: 1,
    minExclusive: true,
    maxExclusive: true,
  });
  const maxIters = read.integer('maxIters', 10, { min: 1 });
  const orthogonalStart = read.boolean('orthogonalStart', true);
  const zeroBiases = read.boolean('zeroBiases', true);
  const rng = orthogonalStart ? readGenerator(read) : undefined;
  return { tolVar, maxIters, zeroBiases, rng };
}

function readGenerator(read: OptionReader): Rng {
  const [rng, seed] = [read.raw('rng'), read.raw('seed')];
  if ((rng === undefined) === (seed === undefined)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${FN}: orthogonalStart needs exactly one of ${read.name('rng')} (an Rng) or ${read.name('seed')} (a number or string), got ${rng === undefined ? 'neither' : 'both'}.`,
    );
  }
  if (rng !== undefined) return read.generator('rng');
  try {
    return new Rng(seed as number | string);
  } catch (error) {
    const code = (error as DescentError).code ?? 'BAD_ARGUMENT';
    throw new DescentError(code, `${read.name('seed')}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function checkModelInput(model: unknown): tfl.SymbolicTensor {
  if (!(model instanceof tfl.LayersModel)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${FN}: model must be a tfjs-layers LayersModel (tfl.model or tfl.sequential), got ${describeValue(model)}.`,
    );
  }
  const inputs = model.inputs as tfl.SymbolicTensor[] | undefined;
  if (!inputs || inputs.length === 0) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${FN}: model ${JSON.stringify(model.name)} is not built; give its first layer an inputShape or call model.build(shape) first.`,
    );
  }
  if (inputs.length !== 1) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${FN}: model ${JSON.stringify(model.name)} has ${inputs.length} inputs; LSUV takes one batch for a one-input model.`,
    );
  }
  return inputs[0]!;
}

function checkBatch(batch: unknown, input: tfl.SymbolicTensor): asserts batch is tf.Tensor {
  checkTensor(`${FN}: batch`, batch);
  const expected = input.shape;
  const fits =
    batch.rank === expected.length && expected.every((d, i) => d === null || d === batch.shape[i]);
  if (!fits || batch.shape[0] === 0) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `${FN}: batch has shape ${formatShape(batch.shape)}; the model's input is [${expected.map((d) => (d === null ? 'null' : d)).join(', ')}] (null: any size), with at least one example.`,
    );
  }
  if (batch.dtype !== input.dtype) {
    throw new DescentError(
      'DTYPE_MISMATCH',
      `${FN}: batch has dtype ${batch.dtype}; the model's input is ${input.dtype}.`,
    );
  }
}

function kernelLayers(model: tfl.LayersModel): { layer: KernelLayer; index: number }[] {
  const found = model.layers.flatMap((layer, index) =>
    hasKernel(layer) ? [{ layer, index }] : [],
  );
  if (found.length === 0) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${FN}: model ${JSON.stringify(model.name)} has no layer with a kernel (dense, conv2d, …) to initialize.`,
    );
  }
  for (const { layer } of found) {
    if (layer.inboundNodes.length !== 1) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${FN}: layer ${JSON.stringify(layer.name)} is called ${layer.inboundNodes.length} times in the graph; LSUV needs one output per layer.`,
      );
    }
  }
  return found;
}

function writableWeights(layer: KernelLayer): tfl.LayerVariable[] {
  return layer.bias ? [layer.kernel, layer.bias] : [layer.kernel];
}

/** Writes `value` into `v` and disposes it. */
function write(v: tfl.LayerVariable, value: tf.Tensor): void {
  v.write(value);
  value.dispose();
}

async function normalizeLayer(
  model: tfl.LayersModel,
  modelInput: tfl.SymbolicTensor,
  layer: KernelLayer,
  batch: tf.Tensor,
  tolVar: number,
  maxIters: number,
): Promise<LsuvLayerReport> {
  const x = layerInput(model, modelInput, layer, batch);
  try {
    let iterations = 0;
    let variance = await outputVariance(layer, x);
    while (Math.abs(variance - 1) >= tolVar && iterations < maxIters && variance > 0) {
      const factor = 1 / Math.sqrt(variance);
      write(
        layer.kernel,
        tf.tidy(() => tf.mul(layer.kernel.read(), tf.scalar(factor))),
      );
      iterations++;
      variance = await outputVariance(layer, x);
    }
    return { layer: layer.name, iterations, variance, converged: Math.abs(variance - 1) < tolVar };
  } finally {
    if (x !== batch) x.dispose();
  }
}

/** `layer`'s input on `batch` (the batch itself for a layer fed by the model's input). */
function layerInput(
  model: tfl.LayersModel,
  modelInput: tfl.SymbolicTensor,
  layer: KernelLayer,
  batch: tf.Tensor,
): tf.Tensor {
  const symbolic = layer.input as tfl.SymbolicTensor;
  if (symbolic.id === modelInput.id) return batch;
  const sub = tfl.model({ inputs: model.inputs, outputs: symbolic });
  return sub.predict(batch, { batchSize: batch.shape[0] }) as tf.Tensor;
}

async function outputVariance(layer: KernelLayer, x: tf.Tensor): Promise<number> {
  const v = tf.tidy(() => tf.moments(preActivation(layer, x)).variance);
  const value = (await v.data())[0]!;
  v.dispose();
  if (!Number.isFinite(value)) {
    throw new DescentError(
      'NON_FINITE',
      `${FN}: the variance of layer ${JSON.stringify(layer.name)}'s output (before its ${activationName(layer)} activation) is ${value}.`,
    );
  }
  return value;
}
