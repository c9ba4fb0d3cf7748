import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  type ApplyFn,
  DescentError,
  type Model,
  OptionReader,
  type ParamInfo,
  type Params,
  checkDtype,
  checkModel,
  checkParamInfo,
  checkSameStructure,
  checkTensor,
  describeValue,
  formatShape,
  isPlainObject,
} from '@descent/core';
import { layerParamInfo } from './layer-param-info';
import { withLayerTaps } from './layer-taps';
import { withPresentedParams } from './present-params';

/** Options of {@link fromLayersModel}. */
export interface FromLayersModelOptions {
  /**
   * `ParamInfo` by variable name, replacing the inferred one: for weights the naming rules get
   * wrong or cannot place (a rank-3 `Conv1D` kernel). Default: none.
   */
  info?: Record<string, ParamInfo>;
}

const FN = 'fromLayersModel';

/**
 * A tfjs-layers model as a functional `Model` of `@descent/core`, so descent's NTK, Hessian,
 * landscape, init diagnostics and pruning tools work on existing layers code.
 *
 * - `params`: every weight of the model (`model.weights`, trainable and not), keyed by its
 *   variable name (`"dense_Dense1/kernel"`), holding the layers' **own** variables — live:
 *   `model.fit`, `setWeights` and optimizers change them, and disposing the layers model disposes
 *   them.
 * - `info`: from each weight's name, shape and layer: `kernel` →
 *   `weight` (`dense` `[in, out]`, `conv2d` `[kh, kw, in, out]`, Keras fans), `bias` → `bias`,
 *   `gamma`/`beta` → `scale`/`shift`, moving statistics and other non-trainable variables →
 *   `stat`; `options.info` overrides entries by name.
 * - `apply(params, x, { training, tap })`: `y = f(θ, x)` computed by the layers' own `call`s with
 *   the **given** `params` in place of the variables' values (each is presented through its
 *   `LayerVariable` for the duration of the call, then the variable is put back), so gradients,
 *   second derivatives (`withSecondOrder`), NTKs and surfaces at `θ + αd` are those of the layers
 *   model. `training: true` runs the layers in training mode (dropout, batch statistics) but
 *   writes no weight: the moving averages of batch normalization and batch renormalization and
 *   spectral normalization's power-iteration vector `u` are computed for the call and dropped, so
 *   the given tensors and the variables stay as they were (`weightNormalization({ dataInit: true })`
 *   still initializes from data at its first real training call). `tap(layer, z)` is called with the pre-activation output of every layer
 *   that has a `weight` (Dense, Conv2D, and the layer a weight- or spectral-normalization
 *   wrapper wraps: before their activation), `layer` being its `ParamInfo.layer`, in forward
 *   order. `apply` reads other options of `ApplyOptions` as absent.
 *
 * One input and one output only: a model with several inputs or outputs is refused.
 *
 * @param model - a built `tf.LayersModel` (`tf.sequential`, `tf.model`, a loaded model) with one
 *   input and one output.
 * @param options - `info` (none).
 * @returns a `Model` whose `params` belong to `model` (do not dispose them).
 * @throws DescentError `BAD_ARGUMENT` (not a layers model, several inputs or outputs, a bad
 *   option), `UNKNOWN_PARAM` (an `options.info` name that is no weight, two weights of one name),
 *   `SHAPE_MISMATCH` (a weight of a rank no layout fits, an `options.info` entry whose fans do not
 *   fit its weight), `DTYPE_MISMATCH` (a weight that is not float32), `DISPOSED`. `apply` throws
 *   `UNKNOWN_PARAM` (missing or extra params), `SHAPE_MISMATCH` (a param or `x` of the wrong
 *   shape), `BAD_ARGUMENT`/`DISPOSED`/`DTYPE_MISMATCH` before any layer runs.
 * @example
 * ```ts
 * const net = tfl.sequential({ layers: [tfl.layers.dense({ units: 8, inputShape: [4], activation: 'relu' }),
 *   tfl.layers.dense({ units: 1 })] });
 * const model = fromLayersModel(net);
 * const ntk = empiricalNtk(model, model.params, x); // @descent/ntk, [N, N]
 * const loss = (p: Params) => mse(model.apply(p, x), y);
 * const { eigenvalues } = await hessianEigs(loss, model.params); // @descent/landscape
 * const masks = await prune(magnitudeScores(model.params), { info: model.info, rate: 0.5 });
 * ```
 * @see A. Jacot, F. Gabriel, C. Hongler, Neural Tangent Kernel: Convergence and Generalization in
 *   Neural Networks, NeurIPS 2018 (what `empiricalNtk` computes on it); J. Frankle, M. Carbin,
 *   The Lottery Ticket Hypothesis, ICLR 2019 (pruning by the masks `prune` gives).
 */
export function fromLayersModel(
  model: tfl.LayersModel,
  options: FromLayersModelOptions = {},
): Model {
  checkLayersModel(model);
  const overrides = readInfoOverrides(options);
  const weights = model.weights;
  checkWeights(weights);
  const owners = ownersOf(model);
  const params: Params = {};
  const info: Record<string, ParamInfo> = {};
  for (const weight of weights) {
    params[weight.name] = weight.read();
    const owner = owners.get(weight);
    info[weight.name] =
      overrides[weight.name] ??
      layerParamInfo({
        name: weight.name,
        shape: weight.shape as number[],
        trainable: weight.trainable,
        layer: owner?.name ?? '',
        className: owner?.getClassName() ?? '',
      });
  }
  checkOverrideNames(overrides, params);
  const result: Model = { params, info, apply: applyOf(model, params, info, owners) };
  checkModel(FN, result);
  return result;
}

function applyOf(
  model: tfl.LayersModel,
  own: Params,
  info: Record<string, ParamInfo>,
  owners: Map<tfl.LayerVariable, tfl.layers.Layer>,
): ApplyFn {
  const variables = model.weights;
  const tapped = [
    ...new Set(
      variables
        .filter((v) => info[v.name]?.role === 'weight')
        .flatMap((v) => {
          const owner = owners.get(v);
          return owner === undefined ? [] : [owner];
        }),
    ),
  ];
  const inputShape = (model.inputs[0] as tfl.SymbolicTensor).shape;
  return (params, x, opts) => {
    const fn = `${FN}(…).apply`;
    checkSameStructure(`${FN}(…).params`, own, `${fn}: params`, params);
    for (const key of Object.keys(own)) {
      checkDtype(`${fn}: params[${JSON.stringify(key)}]`, params[key], 'float32');
    }
    checkInput(fn, x, inputShape);
    const { training, tap } = readApplyOptions(fn, opts);
    const given = variables.map((v) => params[v.name] as tf.Tensor);
    return withPresentedParams(variables, given, () =>
      withLayerTaps(tapped, tap, () => model.apply(x, { training }) as tf.Tensor),
    );
  };
}

function checkLayersModel(model: unknown): asserts model is tfl.LayersModel {
  if (!(model instanceof tfl.LayersModel)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${FN}: model must be a tf.LayersModel (tf.sequential, tf.model or a loaded model), got ${describeValue(model)}.`,
    );
  }
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${FN}: model ${JSON.stringify(model.name)} has ${model.inputs.length} inputs and ` +
        `${model.outputs.length} outputs; only models with one input and one output are supported.`,
    );
  }
}

function checkWeights(weights: readonly tfl.LayerVariable[]): void {
  const seen = new Set<string>();
  for (const weight of weights) {
    if (seen.has(weight.name)) {
      throw new DescentError(
        'UNKNOWN_PARAM',
        `${FN}: two weights of the model are named ${JSON.stringify(weight.name)}; params are keyed by variable name, which must be unique.`,
      );
    }
    seen.add(weight.name);
    const value = (weight as unknown as { val: tf.Tensor }).val;
    checkTensor(`${FN}: weight ${JSON.stringify(weight.name)}`, value);
  }
}

/** Each variable's layer, searching nested models too. */
function ownersOf(model: tfl.LayersModel): Map<tfl.LayerVariable, tfl.layers.Layer> {
  const owners = new Map<tfl.LayerVariable, tfl.layers.Layer>();
  const visit = (layer: tfl.layers.Layer) => {
    const nested = (layer as unknown as { layers?: unknown }).layers;
    if (Array.isArray(nested)) {
      for (const inner of nested as tfl.layers.Layer[]) visit(inner);
      return;
    }
    for (const weight of layer.weights) if (!owners.has(weight)) owners.set(weight, layer);
  };
  for (const layer of model.layers) visit(layer);
  return owners;
}

function readInfoOverrides(options: unknown): Record<string, ParamInfo> {
  const read = new OptionReader(FN, options, ['info']);
  const info = read.raw('info');
  if (info === undefined) return {};
  if (!isPlainObject(info)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${read.name('info')} must be an object mapping weight names to ParamInfo, got ${describeValue(info)}.`,
    );
  }
  for (const [key, entry] of Object.entries(info)) {
    checkParamInfo(`${read.name('info')}[${JSON.stringify(key)}]`, entry);
  }
  return info as Record<string, ParamInfo>;
}

function checkOverrideNames(overrides: Record<string, ParamInfo>, params: Params): void {
  const unknown = Object.keys(overrides).filter((key) => !Object.hasOwn(params, key));
  if (unknown.length > 0) {
    throw new DescentError(
      'UNKNOWN_PARAM',
      `${FN}: options.info names no weight of the model: ${unknown.map((k) => JSON.stringify(k)).join(', ')} (weights: ${Object.keys(
        params,
      )
        .map((k) => JSON.stringify(k))
        .join(', ')}).`,
    );
  }
}

function checkInput(fn: string, x: unknown, inputShape: readonly (number | null)[]): void {
  checkTensor(`${fn}: x`, x);
  const fits =
    x.shape.length === inputShape.length &&
    inputShape.every((d, i) => d === null || d === x.shape[i]);
  if (!fits) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `${fn}: x has shape ${formatShape(x.shape)}, expected [${inputShape.map((d) => (d === null ? 'N' : String(d))).join(', ')}] (the model's input).`,
    );
  }
}

function readApplyOptions(
  fn: string,
  opts: unknown,
): { training: boolean; tap?: (layer: string, z: tf.Tensor) => tf.Tensor } {
  if (opts === undefined || opts === null) return { training: false };
  if (typeof opts !== 'object') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: options must be an object ({ training, tap }), got ${describeValue(opts)}.`,
    );
  }
  const { training = false, tap } = opts as { training?: unknown; tap?: unknown };
  if (typeof training !== 'boolean') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: options.training must be a boolean, got ${describeValue(training)}.`,
    );
  }
  if (tap !== undefined && typeof tap !== 'function') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: options.tap must be a function (layer, z) => tensor, got ${describeValue(tap)}.`,
    );
  }
  return tap === undefined
    ? { training }
    : { training, tap: tap as (layer: string, z: tf.Tensor) => tf.Tensor };
}
