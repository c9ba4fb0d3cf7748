import * as tf from '@tensorflow/tfjs-core';
import {
  checkDtype,
  checkSameShape,
  checkTensor,
  DescentError,
  describeValue,
  isPlainObject,
  isTensor,
  type Params,
  sameShape,
} from '@descent/core';
import { checkTransformState } from './check-state';
import type { GradientTransformation, UpdateResult } from './gradient-transformation';
import type { TransformState } from './transform-state';

/**
 * Asserts the arguments of a transformation's `init`: a record of live tensors by name.
 *
 * @param what - The transformation, as its user knows it (`'scaleByAdam'`).
 * @throws DescentError `BAD_ARGUMENT` (not a record, an entry not a tensor), `DISPOSED`.
 */
export function checkInitParams(what: string, params: unknown): asserts params is Params {
  checkRecord(what, 'params', params);
  for (const name in params) {
    if (!isLive(params[name])) checkTensor(`params["${name}"] (${what})`, params[name]);
  }
}

/**
 * Asserts the arguments of a transformation's `update`, before it computes anything: `updates` a
 * record of live float32 tensors; `state` a {@link TransformState} of live tensors; `params`,
 * when given, a record of live tensors holding every updated name with the update's shape.
 * O(number of parameters) JavaScript work, no device read.
 *
 * @param what - The transformation, as its user knows it (`'scaleByAdam'`).
 * @throws DescentError `BAD_ARGUMENT`, `DISPOSED`, `DTYPE_MISMATCH` (an update not float32),
 *   `UNKNOWN_PARAM` (an update without a parameter of its name in `params`), `SHAPE_MISMATCH`
 *   (an update whose parameter has another shape), each naming the offending entry.
 */
export function checkUpdateArgs(
  what: string,
  updates: unknown,
  state: unknown,
  params: unknown,
): asserts updates is Params {
  checkRecord(what, 'updates', updates);
  // Messages (and their names) are built only on failure: this runs on every step.
  for (const name in updates) {
    const u = updates[name];
    if (!isLive(u) || u.dtype !== 'float32') {
      checkDtype(`updates["${name}"] (${what})`, u, 'float32');
    }
  }
  checkTransformState(`state (${what})`, state, true);
  if (params === undefined) return;
  checkRecord(what, 'params', params);
  for (const name in params) {
    if (!isLive(params[name])) checkTensor(`params["${name}"] (${what})`, params[name]);
  }
  for (const name in updates) {
    if (!Object.hasOwn(params, name)) {
      throw new DescentError(
        'UNKNOWN_PARAM',
        `updates["${name}"] (${what}) has no parameter of that name in params; params: ${listNames(params)}.`,
      );
    }
    const u = updates[name] as tf.Tensor;
    const p = params[name] as tf.Tensor;
    if (!sameShape(u.shape, p.shape)) {
      checkSameShape(`updates["${name}"] (${what})`, u, `params["${name}"]`, p);
    }
  }
}

function isLive(value: unknown): value is tf.Tensor {
  return isTensor(value) && !value.isDisposed;
}

/**
 * `transform` with its arguments checked on every call ({@link checkInitParams},
 * {@link checkUpdateArgs}) before it runs: how each transformation of this package refuses bad
 * input before computing anything. The update runs in its own `tf.tidy`, so one that fails further
 * in (a wrapped transformation's check, a callback's error) frees what it made.
 */
export function checkedTransformation<T extends GradientTransformation>(
  what: string,
  transform: T,
): T {
  return {
    ...transform,
    init(params: Params) {
      checkInitParams(what, params);
      return transform.init(params);
    },
    update(updates: Params, state: TransformState, params?: Params) {
      checkUpdateArgs(what, updates, state, params);
      return tf.tidy(() => {
        const r = transform.update(updates, state, params);
        return { updates: r.updates, state: r.state } as unknown as tf.TensorContainer;
      }) as unknown as UpdateResult;
    },
  };
}

/**
 * Asserts `value` is a record of tensors by name (an object literal: not null, an array, a tensor
 * or a class instance; its entries are checked by the caller).
 *
 * @param what - The function or transformation, as its user knows it (`'applyUpdates'`).
 * @param name - The argument (`'updates'`).
 * @throws DescentError `BAD_ARGUMENT` naming both.
 */
export function checkRecord(
  what: string,
  name: string,
  value: unknown,
): asserts value is Record<string, unknown> {
  if (!isPlainObject(value)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name} (${what}) must be a record of tensors by parameter name, got ${describeValue(value)}.`,
    );
  }
}

function listNames(record: object): string {
  const names = Object.keys(record);
  const shown = names.slice(0, 8).map((n) => JSON.stringify(n));
  return names.length > 8
    ? `${shown.join(', ')}, … (${names.length} in all)`
    : shown.join(', ') || '(none)';
}
