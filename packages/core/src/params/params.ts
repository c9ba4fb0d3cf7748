import * as tf from '@tensorflow/tfjs-core';
import { DescentError } from '../errors/descent-error';
import { checkOptions } from '../validate/check-options';
import { describeValue } from '../validate/describe-value';
import { formatShape } from '../validate/format-shape';
import { checkSameShape, checkShape, checkTensor, isTensor } from '../validate/tensor-checks';
import { checkCopyable, copyTensor } from './copy-tensor';

/**
 * A model's parameters: a **flat** map from variable name to tensor, keyed exactly as tfjs keys
 * `NamedTensorMap` and `optimizer.applyGradients` (`"dense1/kernel"`, `"dense1/bias"`, …).
 *
 * Gradients, optimizer updates, pruning masks and directions in parameter space are `Params` too,
 * with the same keys and shapes as the parameters they belong to ({@link checkSameStructure}).
 * The helpers in this module never mutate their inputs; whoever receives a new `Params` owns its
 * tensors and disposes them ({@link disposeParams}).
 *
 * @example
 * ```ts
 * const params: Params = { 'dense1/kernel': tf.zeros([784, 300]), 'dense1/bias': tf.zeros([300]) };
 * ```
 */
export type Params = Record<string, tf.Tensor>;

/** Options of {@link toVariables}. */
export interface ToVariablesOptions {
  /** Whether `tf.grad`/`optimizer.minimize` may differentiate the variables (default `true`). */
  trainable?: boolean;
  /**
   * Prepended verbatim to every variable's tfjs name (default: none, the name is the key). tfjs
   * names must be unique among live variables, so give a second copy of the same model one, e.g.
   * `'teacher/'`.
   */
  prefix?: string;
}

/**
 * Asserts `params` is a {@link Params} map: a plain object whose every value is a live tensor.
 * An empty map is valid. `name` is how the caller's user knows the argument (e.g. `'grads'`);
 * messages name the entry as `grads["dense1/kernel"]`.
 *
 * @throws DescentError `BAD_ARGUMENT` if `params` is not an object of tensors (a single tensor,
 * an array or a `Map` included), `DISPOSED` if one of its tensors was disposed.
 *
 * @example
 * ```ts
 * checkParams('grads', grads); // throws [DISPOSED] grads["dense1/bias"] (shape [300]) was disposed …
 * ```
 */
export function checkParams(name: string, params: unknown): asserts params is Params {
  checkParamsObject(name, params);
  for (const key of Object.keys(params)) {
    checkTensor(paramLabel(name, key), params[key]);
  }
}

/**
 * Asserts two {@link Params} maps have the same keys and, key by key, the same shapes — e.g.
 * gradients against the parameters they update. Key order does not matter; dtypes are not compared.
 *
 * @throws DescentError `UNKNOWN_PARAM` naming the keys of `a` missing from `b` and the extra keys
 * of `b`; `SHAPE_MISMATCH` naming the key and both shapes; and whatever {@link checkParams} throws.
 *
 * @example
 * ```ts
 * checkSameStructure('params', params, 'grads', grads);
 * // [SHAPE_MISMATCH] params["w"] has shape [2, 3] but grads["w"] has shape [3, 2]; they must match.
 * ```
 */
export function checkSameStructure(nameA: string, a: unknown, nameB: string, b: unknown): void {
  checkParams(nameA, a);
  checkParams(nameB, b);
  const missing = Object.keys(a).filter((key) => !Object.hasOwn(b, key));
  const extra = Object.keys(b).filter((key) => !Object.hasOwn(a, key));
  if (missing.length > 0 || extra.length > 0) {
    const parts = [
      missing.length > 0 ? `missing ${listKeys(missing)}` : '',
      extra.length > 0 ? `extra ${listKeys(extra)}` : '',
    ].filter(Boolean);
    throw new DescentError(
      'UNKNOWN_PARAM',
      `${nameB} must have the same names as ${nameA}: ${parts.join('; ')}.`,
    );
  }
  for (const key of Object.keys(a)) {
    checkSameShape(paramLabel(nameA, key), a[key], paramLabel(nameB, key), b[key]);
  }
}

/**
 * Applies `fn` to every tensor: `out[k] = fn(params[k], k)`. Pure; runs inside `tf.tidy`, so
 * intermediates `fn` creates are disposed and only the returned tensors survive (if `fn` throws,
 * the results made so far are disposed too). A result that *is* its input (`(t) => t`) is the same
 * tensor, not a copy.
 *
 * @param params - the map to transform; validated with {@link checkParams}.
 * @param fn - `(tensor, key) => tensor`; must return a live tensor (any shape).
 * @param name - how error messages call `params` (default `'params'`).
 * @returns a new map with the same keys.
 * @throws DescentError `BAD_ARGUMENT` if `fn` is not a function or returns a non-tensor, or
 * `name` is no string, and whatever {@link checkParams} throws — before `fn` is called.
 *
 * @example
 * ```ts
 * const halved = mapParams(params, (t) => tf.mul(t, 0.5));
 * ```
 */
export function mapParams(
  params: Params,
  fn: (tensor: tf.Tensor, name: string) => tf.Tensor,
  name = 'params',
): Params {
  checkLabelName('mapParams: name', name);
  checkParams(name, params);
  checkFunction('mapParams: fn', fn);
  return tf.tidy(() => {
    const out: Params = {};
    for (const key of Object.keys(params)) {
      out[key] = checkResult(fn(params[key] as tf.Tensor, key), key);
    }
    return out;
  });
}

/**
 * Combines two maps with the same structure key by key: `out[k] = fn(a[k], b[k], k)` — e.g. a
 * parameter and its gradient. Pure; runs inside `tf.tidy` like {@link mapParams}.
 *
 * @param a - the first map (e.g. params).
 * @param b - the second map; must have exactly `a`'s keys and, per key, `a`'s shape.
 * @param fn - `(x, y, key) => tensor`; must return a live tensor.
 * @param names - how error messages call `a` and `b` (default `['a', 'b']`).
 * @throws DescentError `UNKNOWN_PARAM` (missing/extra keys), `SHAPE_MISMATCH` (key and both
 * shapes), `BAD_ARGUMENT` (also for `names` that are no pair of strings), `DISPOSED` — before
 * `fn` is called.
 *
 * @example
 * ```ts
 * const next = zipParams(params, grads, (p, g) => tf.sub(p, tf.mul(g, 0.1)), ['params', 'grads']);
 * ```
 */
export function zipParams(
  a: Params,
  b: Params,
  fn: (x: tf.Tensor, y: tf.Tensor, name: string) => tf.Tensor,
  names: readonly [string, string] = ['a', 'b'],
): Params {
  if (!Array.isArray(names) || names.length !== 2) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `zipParams: names must be a pair of strings, got ${describeValue(names)}.`,
    );
  }
  checkLabelName('zipParams: names[0]', names[0]);
  checkLabelName('zipParams: names[1]', names[1]);
  checkSameStructure(names[0], a, names[1], b);
  checkFunction('zipParams: fn', fn);
  return tf.tidy(() => {
    const out: Params = {};
    for (const key of Object.keys(a)) {
      out[key] = checkResult(fn(a[key] as tf.Tensor, b[key] as tf.Tensor, key), key);
    }
    return out;
  });
}

/**
 * Total number of scalar entries: `Σ_k size(params[k])`.
 *
 * @throws DescentError whatever {@link checkParams} throws.
 *
 * @example
 * ```ts
 * paramCount({ w: tf.zeros([784, 300]), b: tf.zeros([300]) }); // 235500
 * ```
 */
export function paramCount(params: Params): number {
  checkParams('params', params);
  let count = 0;
  for (const tensor of Object.values(params)) count += tensor.size;
  return count;
}

/**
 * The Euclidean norm of all parameters taken as one vector: `‖θ‖ = √(Σ_k Σ_i θ_{k,i}²)`
 * (optax's `global_norm`, torch's `clip_grad_norm_` with p = 2).
 *
 * Computed with tfjs ops on the active backend in `float32` (`int32`/`bool` entries are cast),
 * inside `tf.tidy`: the one scalar returned is the only tensor left, owned by the caller. Keys are
 * summed in sorted order, so the result does not depend on insertion order. An empty map has norm 0.
 *
 * @throws DescentError whatever {@link checkParams} throws; `DTYPE_MISMATCH` for complex64/string.
 *
 * @example
 * ```ts
 * const n = globalNorm({ a: tf.tensor([3]), b: tf.tensor([[4]]) }); // scalar 5
 * ```
 */
export function globalNorm(params: Params): tf.Scalar {
  checkRealParams('params', params);
  return tf.tidy(() => {
    // Zero-size entries add nothing, and reducing them is unsafe: wasm returns uninitialized
    // memory and webgpu fails to allocate an empty buffer.
    const partials = sortedKeys(params)
      .map((key) => params[key] as tf.Tensor)
      .filter((tensor) => tensor.size > 0)
      .map((tensor) => tf.sum(tf.square(asFloat32(tensor))));
    if (partials.length === 0) return tf.scalar(0);
    // `stack` (not `addN`): webgpu's AddN binds every input at once and fails past ~8 of them.
    return tf.sqrt(tf.sum(tf.stack(partials))) as tf.Scalar;
  });
}

/**
 * {@link globalNorm} read back as a number (with `await data()`, so it works on webgpu in Node);
 * leaves no tensor behind.
 *
 * @example
 * ```ts
 * if ((await globalNormValue(grads)) > 1) console.warn('large gradients');
 * ```
 */
export async function globalNormValue(params: Params): Promise<number> {
  const norm = globalNorm(params);
  try {
    return (await norm.data())[0] as number;
  } finally {
    norm.dispose();
  }
}

/**
 * Deep copy: every tensor is copied into a **new buffer** (see {@link copyTensor}; `tf.clone` would
 * share the buffer). Disposing the original afterwards leaves the clone intact, and in-place
 * updates of one never show in the other. Dtypes and shapes are preserved.
 *
 * @throws DescentError whatever {@link checkParams} throws; `DTYPE_MISMATCH` for complex64/string
 * — before anything is copied.
 *
 * @example
 * ```ts
 * const theta0 = cloneParams(params); // e.g. the rewind point of lottery-ticket pruning
 * ```
 */
export function cloneParams(params: Params): Params {
  checkRealParams('params', params);
  return tf.tidy(() => {
    const out: Params = {};
    for (const key of Object.keys(params)) out[key] = copyTensor(params[key] as tf.Tensor);
    return out;
  });
}

/**
 * Disposes every tensor of the map (variables included: they are also unregistered). Idempotent:
 * entries already disposed are skipped, so it is safe on maps that share tensors.
 *
 * @throws DescentError `BAD_ARGUMENT` if `params` is not an object of tensors.
 *
 * @example
 * ```ts
 * const grads = tf.grads(f)(…); disposeParams(grads);
 * ```
 */
export function disposeParams(params: Params): void {
  checkParamsObject('params', params);
  for (const key of Object.keys(params)) {
    const tensor = params[key];
    if (!isTensor(tensor)) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${paramLabel('params', key)} must be a tf.Tensor, got ${describeValue(tensor)}.`,
      );
    }
  }
  for (const tensor of Object.values(params)) {
    if (!tensor.isDisposed) tensor.dispose();
  }
}

/**
 * Makes one `tf.Variable` per entry, keyed like `params`, whose tfjs name is `prefix + key`.
 * Each variable holds a **copy** of its tensor in its own buffer (`tf.variable(x)` alone would
 * share `x`'s buffer), so in-place updates of the variables never change `params`, and `params`
 * may be disposed afterwards.
 *
 * @param options.trainable - default `true`.
 * @param options.prefix - default none; tfjs variable names are global and must be unique.
 * @throws DescentError `BAD_ARGUMENT` if a variable of one of the names already exists (dispose
 * it or pass a `prefix`), options are no plain object or an option has the wrong type;
 * `UNKNOWN_PARAM` for an unknown option; `DTYPE_MISMATCH` for complex64/string;
 * and whatever {@link checkParams} throws — before any variable is created.
 *
 * @example
 * ```ts
 * const vars = toVariables(init, { prefix: 'student/' });
 * optimizer.minimize(() => loss(fromVariables(vars)));
 * ```
 */
export function toVariables(
  params: Params,
  options: ToVariablesOptions = {},
): Record<string, tf.Variable> {
  checkRealParams('params', params);
  checkOptions('toVariables', options, ['trainable', 'prefix']);
  const { trainable = true, prefix = '' } = options;
  checkOptionType('toVariables: options.trainable', trainable, 'boolean');
  checkOptionType('toVariables: options.prefix', prefix, 'string');
  checkVariableNamesFree(Object.keys(params), prefix);
  const vars: Record<string, tf.Variable> = {};
  try {
    for (const key of Object.keys(params)) {
      const copy = copyTensor(params[key] as tf.Tensor);
      try {
        vars[key] = tf.variable(copy, trainable, prefix + key);
      } finally {
        copy.dispose(); // the variable (if made) now holds the copy's only reference
      }
    }
  } catch (error) {
    disposeParams(vars); // all or nothing: no half-made set of registered variables
    throw error;
  }
  return vars;
}

/**
 * A read-only {@link Params} view of variables: a frozen map holding the **same** variables (no
 * copies), so `apply(fromVariables(vars), x)` differentiates with respect to them. Do not pass the
 * view to {@link disposeParams} unless you mean to dispose the variables.
 *
 * @throws DescentError whatever {@link checkParams} throws.
 *
 * @example
 * ```ts
 * const loss = () => mse(model.apply(fromVariables(vars), x), y);
 * ```
 */
export function fromVariables(vars: Record<string, tf.Variable>): Readonly<Params> {
  checkParams('vars', vars);
  return Object.freeze({ ...vars });
}

/**
 * Concatenates all parameters into one `float32` vector, entries in **sorted key order**
 * (`Object.keys(params).sort()`, JavaScript's default UTF-16 order), each flattened row-major.
 * Inverse: {@link unflattenParams}. Used for directions, Hessians and NTKs in parameter space.
 *
 * @returns a new `[paramCount(params)]` tensor (`int32`/`bool` entries cast to `float32`).
 * @throws DescentError whatever {@link checkParams} throws; `DTYPE_MISMATCH` for complex64/string.
 *
 * @example
 * ```ts
 * flattenParams({ b: tf.tensor([3]), a: tf.tensor([[1, 2]]) }); // [1, 2, 3]
 * ```
 */
export function flattenParams(params: Params): tf.Tensor1D {
  checkRealParams('params', params);
  return tf.tidy(() => {
    const parts = sortedKeys(params).map((key) => {
      const tensor = params[key] as tf.Tensor;
      return tf.reshape(asFloat32(tensor), [tensor.size]);
    });
    return parts.length === 0 ? tf.tensor1d([], 'float32') : (tf.concat(parts) as tf.Tensor1D);
  });
}

/**
 * Splits a vector made by {@link flattenParams} back into a map shaped like `like` (sorted key
 * order, row-major). Each entry takes `like[k]`'s dtype (cast from `float32`). `like` is read for
 * its keys, shapes and dtypes only. The results are new tensors (own `dataId`s); on the cpu backend
 * they may view `vector`'s memory (tfjs slices by `subarray` there), which is harmless because tfjs
 * never writes a cpu tensor in place — use {@link cloneParams} if you need separate buffers.
 *
 * @param vector - a live rank-1 tensor of length `paramCount(like)`.
 * @param like - the template map.
 * @throws DescentError `SHAPE_MISMATCH` naming the vector's shape and the expected one; whatever
 * {@link checkParams} throws; `DTYPE_MISMATCH` for complex64/string.
 *
 * @example
 * ```ts
 * const direction = unflattenParams(tf.randomNormal([paramCount(params)]), params);
 * ```
 */
export function unflattenParams(vector: tf.Tensor, like: Params): Params {
  checkRealParams('like', like);
  checkShape('unflattenParams: vector', vector, [paramCount(like)]);
  return tf.tidy(() => {
    const out: Params = {};
    let offset = 0;
    for (const key of sortedKeys(like)) {
      const template = like[key] as tf.Tensor;
      const piece = tf.reshape(tf.slice(vector, [offset], [template.size]), template.shape);
      out[key] = piece.dtype === template.dtype ? piece : tf.cast(piece, template.dtype);
      offset += template.size;
    }
    return out;
  });
}

function paramLabel(name: string, key: string): string {
  return `${name}[${JSON.stringify(key)}]`;
}

function sortedKeys(params: Params): string[] {
  return Object.keys(params).sort();
}

function asFloat32(tensor: tf.Tensor): tf.Tensor {
  return tensor.dtype === 'float32' ? tensor : tf.cast(tensor, 'float32');
}

function checkParamsObject(
  name: string,
  params: unknown,
): asserts params is Record<string, unknown> {
  const ok =
    typeof params === 'object' &&
    params !== null &&
    !Array.isArray(params) &&
    !isTensor(params) &&
    !(params instanceof Map) &&
    !(params instanceof Set);
  if (!ok) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name} must be a plain object mapping names to tensors (Params), got ${describeNotParams(params)}.`,
    );
  }
}

/** Every entry live and of a real dtype (float32, int32, bool): copyable and castable to float32. */
function checkRealParams(name: string, params: unknown): asserts params is Params {
  checkParams(name, params);
  for (const key of Object.keys(params)) checkCopyable(paramLabel(name, key), params[key]);
}

function checkLabelName(name: string, label: unknown): void {
  if (typeof label !== 'string') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name} must be a string, got ${describeValue(label)}.`,
    );
  }
}

function checkFunction(name: string, fn: unknown): void {
  if (typeof fn !== 'function') {
    throw new DescentError('BAD_ARGUMENT', `${name} must be a function, got ${describeValue(fn)}.`);
  }
}

function checkResult(result: unknown, key: string): tf.Tensor {
  checkTensor(`the result of fn for ${JSON.stringify(key)}`, result);
  return result;
}

function checkOptionType(name: string, value: unknown, type: 'boolean' | 'string'): void {
  if (typeof value !== type) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name} must be a ${type}, got ${describeValue(value)}.`,
    );
  }
}

function checkVariableNamesFree(keys: readonly string[], prefix: string): void {
  const registered = tf.engine().registeredVariables;
  const taken = keys.filter((key) => registered[prefix + key] !== undefined);
  if (taken.length > 0) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `tfjs already has variable${taken.length > 1 ? 's' : ''} named ${listKeys(taken.map((k) => prefix + k))} ` +
        '(variable names are global); dispose the old ones or pass a different options.prefix.',
    );
  }
}

function listKeys(keys: readonly string[]): string {
  const shown = keys.slice(0, 8).map((k) => JSON.stringify(k));
  return keys.length > 8 ? `${shown.join(', ')}, … (${keys.length} in all)` : shown.join(', ');
}

/** {@link describeValue}, with the fix for the two usual mistakes of passing one tensor or a Map. */
function describeNotParams(value: unknown): string {
  if (isTensor(value)) {
    return `a single tensor of shape ${formatShape(value.shape)} (wrap it in an object: { w: tensor })`;
  }
  if (value instanceof Map) {
    return `${describeValue(value)} (use a plain object, e.g. Object.fromEntries(map))`;
  }
  return describeValue(value);
}
