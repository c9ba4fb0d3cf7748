import type * as tf from '@tensorflow/tfjs-core';
import { DescentError } from '../errors/descent-error';
import { describeValue } from '../validate/describe-value';
import { formatShape } from '../validate/format-shape';
import { type ParamInfo, checkParamInfo, computeFans } from '../params/param-info';
import { type Params, checkParams } from '../params/params';
import { checkDtype } from '../validate/tensor-checks';

/** Options of an {@link ApplyFn} call. */
export interface ApplyOptions {
  /**
   * Training mode (dropout active, batch norm uses batch statistics) when `true`; inference mode
   * when `false` or absent (default `false`).
   */
  training?: boolean;
  /**
   * Per-layer instrumentation (optional for models to support; `@descent/nets` models do): a model
   * that supports it calls `tap(layer, z)` with each layer's **pre-activation output** `z` (the
   * affine or conv output, before normalization and nonlinearity), `layer` being the
   * {@link ParamInfo.layer} of that layer's weight, in forward order, and continues with the
   * tensor `tap` returns. Returning `z` itself observes; returning `z + δ` with a zero `δ` lets
   * `tf.grads` read the gradient at `z` (what `@descent/init`'s `lsuv` and `signalPropagation`
   * do). `tap` must not dispose `z`.
   */
  tap?: (layer: string, z: tf.Tensor) => tf.Tensor;
}

/**
 * A model's forward pass as a pure function of its parameters: `y = f(θ, x)`. It must not dispose
 * or mutate `params` or `x`, and must depend on `params` only through the tensors passed (so
 * `tf.grad` with respect to them, NTKs and Hessians work).
 *
 * @example
 * ```ts
 * const linear: ApplyFn = (p, x) => tf.add(tf.matMul(x, p.w as tf.Tensor), p.b as tf.Tensor);
 * ```
 */
export type ApplyFn = (params: Params, x: tf.Tensor, opts?: ApplyOptions) => tf.Tensor;

/**
 * A functional model: its parameters, their {@link ParamInfo} (same keys) and its forward pass.
 * Lottery, NTK and landscape tools take a `Model` (or a bare {@link ApplyFn}); `@descent/nets`
 * builds them and `@descent/layers`' `fromLayersModel` adapts any tfjs-layers model to one.
 *
 * Recognized by shape ({@link isModel}), never by class, so any object literal qualifies.
 *
 * @example
 * ```ts
 * const model: Model = {
 *   params: { w: tf.randomNormal([2, 1]), b: tf.zeros([1]) },
 *   info: {
 *     w: { role: 'weight', layer: '', layout: 'dense', fanIn: 2, fanOut: 1 },
 *     b: { role: 'bias', layer: '', layout: 'vector', fanIn: 1, fanOut: 1 },
 *   },
 *   apply: (p, x) => tf.add(tf.matMul(x, p.w as tf.Tensor), p.b as tf.Tensor),
 * };
 * ```
 */
export interface Model {
  /** The current parameters (owned by the model's creator). */
  params: Params;
  /** Metadata for every key of `params`, and no other key. */
  info: Record<string, ParamInfo>;
  /** The forward pass, `apply(params, x, { training })`. */
  apply: ApplyFn;
}

/**
 * Duck-typed check for a {@link Model}: an object with `params` and `info` objects and an `apply`
 * function. Cheap and shallow (no tensor is inspected); use {@link checkModel} to validate.
 * Works across copies of `@descent/core` (no `instanceof`).
 *
 * @example
 * ```ts
 * const fn = isModel(m) ? m.apply : m;
 * ```
 */
export function isModel(value: unknown): value is Model {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof Model, unknown>>;
  return (
    typeof candidate.apply === 'function' && isObject(candidate.params) && isObject(candidate.info)
  );
}

/**
 * The forward pass of a {@link Model}, or a bare {@link ApplyFn} as is. The returned function
 * calls `model.apply` as a method, so `this` inside it is still the model. A model is validated
 * once here, with {@link checkModel} (so a model whose parameters are not float32 is refused).
 *
 * @throws DescentError `BAD_ARGUMENT` if `modelOrFn` is neither; whatever {@link checkModel}
 *   throws for a malformed model.
 *
 * @example
 * ```ts
 * const f = toApplyFn(modelOrFn);
 * const y = f(params, x, { training: false });
 * ```
 */
export function toApplyFn(modelOrFn: Model | ApplyFn): ApplyFn {
  if (typeof modelOrFn === 'function') return modelOrFn;
  if (isModel(modelOrFn)) {
    checkModel('model', modelOrFn);
    const model = modelOrFn;
    return (params, x, opts) => model.apply(params, x, opts);
  }
  throw new DescentError(
    'BAD_ARGUMENT',
    'expected a Model ({ params, info, apply }) or an apply function (params, x, opts?) => tensor, ' +
      `got ${describeValue(modelOrFn)}.`,
  );
}

/**
 * Validates a {@link Model}: its shape ({@link isModel}), its params (live float32 tensors: a
 * model's parameters are trained by gradients, which tfjs gives only for float32), that `info`
 * has exactly the keys of `params`, that every info entry is well formed, and that each tensor's
 * shape fits its layout and declared fans (`computeFans(shape, layout)` must equal
 * `{ fanIn, fanOut }`).
 *
 * @throws DescentError `BAD_ARGUMENT` (not a model, malformed info entry), `DISPOSED`,
 * `DTYPE_MISMATCH` (a parameter that is not float32, e.g. an int32 kernel),
 * `UNKNOWN_PARAM` (names of params without info and info without params), `SHAPE_MISMATCH`
 * (the key, its shape, the layout and both fans).
 *
 * @example
 * ```ts
 * checkModel('model', model);
 * // [SHAPE_MISMATCH] model.params["dense1/kernel"] has shape [784, 300], which gives fans (784, 300)
 * // in layout 'dense', but model.info["dense1/kernel"] says (300, 784).
 * ```
 */
export function checkModel(name: string, model: unknown): asserts model is Model {
  if (!isModel(model)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name} must be a Model ({ params, info, apply }), got ${describeValue(model)}.`,
    );
  }
  checkParams(`${name}.params`, model.params);
  for (const key of Object.keys(model.params)) {
    checkDtype(`${name}.params[${JSON.stringify(key)}]`, model.params[key], 'float32');
  }
  checkSameKeys(name, model.params, model.info);
  for (const key of Object.keys(model.params)) {
    const label = `${name}.info[${JSON.stringify(key)}]`;
    const info = model.info[key];
    checkParamInfo(label, info);
    checkFansMatch(
      `${name}.params[${JSON.stringify(key)}]`,
      model.params[key] as tf.Tensor,
      label,
      info,
    );
  }
}

function checkSameKeys(name: string, params: Params, info: Record<string, unknown>): void {
  const withoutInfo = Object.keys(params).filter((key) => !Object.hasOwn(info, key));
  const withoutParam = Object.keys(info).filter((key) => !Object.hasOwn(params, key));
  if (withoutInfo.length === 0 && withoutParam.length === 0) return;
  const parts = [
    withoutInfo.length > 0 ? `params without info: ${listKeys(withoutInfo)}` : '',
    withoutParam.length > 0 ? `info without params: ${listKeys(withoutParam)}` : '',
  ].filter(Boolean);
  throw new DescentError(
    'UNKNOWN_PARAM',
    `${name}.info must have exactly the keys of ${name}.params; ${parts.join('; ')}.`,
  );
}

function checkFansMatch(
  paramLabel: string,
  tensor: tf.Tensor,
  infoLabel: string,
  info: ParamInfo,
): void {
  let fans: { fanIn: number; fanOut: number };
  try {
    fans = computeFans(tensor.shape, info.layout);
  } catch (error) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `${paramLabel} has shape ${formatShape(tensor.shape)}, which does not fit ${infoLabel}.layout ` +
        `'${info.layout}' (dense [in, out], conv2d [kh, kw, in, out], vector [n]).`,
      { cause: error },
    );
  }
  if (fans.fanIn !== info.fanIn || fans.fanOut !== info.fanOut) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `${paramLabel} has shape ${formatShape(tensor.shape)}, which gives fans (${fans.fanIn}, ` +
        `${fans.fanOut}) in layout '${info.layout}', but ${infoLabel} says (${info.fanIn}, ${info.fanOut}).`,
    );
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function listKeys(keys: readonly string[]): string {
  const shown = keys.slice(0, 8).map((k) => JSON.stringify(k));
  return keys.length > 8 ? `${shown.join(', ')}, … (${keys.length} in all)` : shown.join(', ');
}
