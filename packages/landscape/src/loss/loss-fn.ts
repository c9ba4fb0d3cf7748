import * as tf from '@tensorflow/tfjs-core';
import {
  DescentError,
  type Params,
  checkParams,
  describeValue,
  formatShape,
  isTensor,
} from '@descent/core';

/**
 * A loss as a function of the parameters: `(params) => L(θ)`, a float32 scalar tensor built from
 * `params` with tfjs ops (e.g. `(p) => softmaxCrossEntropy(model.apply(p, x), y)`). It must not
 * dispose or keep what it is given; what it allocates is freed by the caller's `tf.tidy`.
 */
export type LossFn = (params: Params) => tf.Tensor;

/** Asserts `loss` is a function; `fn` names the caller. */
export function checkLossFn(fn: string, loss: unknown): asserts loss is LossFn {
  if (typeof loss !== 'function') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: loss must be a function (params) => scalar tensor, got ${describeValue(loss)}.`,
    );
  }
}

/**
 * Asserts `params` is a non-empty map of live float32 tensors (what can be differentiated).
 *
 * @throws DescentError `BAD_ARGUMENT` (not a map, empty, not tensors), `DISPOSED`, `DTYPE_MISMATCH`.
 */
export function checkFloatParams(name: string, params: unknown): asserts params is Params {
  checkParams(name, params);
  const keys = Object.keys(params);
  if (keys.length === 0) {
    throw new DescentError('BAD_ARGUMENT', `${name} must hold at least one tensor, got {}.`);
  }
  for (const key of keys) {
    const t = params[key] as tf.Tensor;
    if (t.dtype !== 'float32') {
      throw new DescentError(
        'DTYPE_MISMATCH',
        `${name}["${key}"] must be float32 (it is differentiated), got ${t.dtype} of shape ${formatShape(t.shape)}.`,
      );
    }
  }
}

/** `undefined` for a float32 scalar `value`, else the `DescentError` that says why it is none. */
export function lossValueError(fn: string, value: unknown): DescentError | undefined {
  if (!isTensor(value)) {
    return new DescentError(
      'BAD_ARGUMENT',
      `${fn}: loss must return a float32 scalar tensor, got ${describeValue(value)}.`,
    );
  }
  if (value.rank !== 0 || value.dtype !== 'float32') {
    return new DescentError(
      'SHAPE_MISMATCH',
      `${fn}: loss must return a float32 scalar tensor (shape []), got a ${value.dtype} tensor of shape ${formatShape(value.shape)}; reduce it (e.g. tf.mean) first.`,
    );
  }
  return undefined;
}

/**
 * The loss as a function of the parameter list (in `keys` order), safe to differentiate:
 * a loss that throws or returns no float32 scalar does not throw inside the gradient tape (tfjs
 * then keeps the tensors the tape saved, a leak); the failure is recorded in `failure.error` (a
 * `DescentError`, or `{ thrown }` holding the loss's own exception), a zero connected to the
 * first input is returned so the tape completes and frees its tensors (`tf.variableGrads` needs
 * one connection; differentiate with `gradientsOrNone` where some inputs may have none), and the caller throws it
 * afterwards, the loss's own exception unchanged (see {@link throwIfFailed}).
 */
export function guardedLoss(
  fn: string,
  loss: LossFn,
  keys: readonly string[],
  failure: { error?: unknown },
): (...values: tf.Tensor[]) => tf.Scalar {
  return (...values) => {
    const params: Params = {};
    keys.forEach((key, i) => {
      params[key] = values[i] as tf.Tensor;
    });
    let value: unknown;
    try {
      value = loss(params);
      failure.error ??= lossValueError(fn, value);
    } catch (error) {
      failure.error ??= { thrown: error };
    }
    if (failure.error !== undefined) return tf.mul(tf.sum(values[0] as tf.Tensor), 0) as tf.Scalar;
    return value as tf.Scalar;
  };
}

/** Throws what {@link guardedLoss} recorded, if anything: the loss's own exception unchanged. */
export function throwIfFailed(failure: { error?: unknown }): void {
  if (failure.error === undefined) return;
  throw failure.error instanceof DescentError
    ? failure.error
    : (failure.error as { thrown: unknown }).thrown;
}

/**
 * `L(θ)` as a number, checked: one forward pass inside `tf.tidy` and one device read.
 *
 * @throws DescentError as {@link guardedLoss} records.
 */
export async function lossValue(fn: string, loss: LossFn, params: Params): Promise<number> {
  const failure: { error?: unknown } = {};
  const keys = Object.keys(params);
  const t = tf.tidy(() =>
    guardedLoss(fn, loss, keys, failure)(...keys.map((k) => params[k] as tf.Tensor)),
  );
  try {
    throwIfFailed(failure);
    return (await t.data())[0] as number;
  } finally {
    t.dispose();
  }
}
