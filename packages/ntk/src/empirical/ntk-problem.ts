/**
 * Shared by the empirical kernels and per-example gradients: reading a model or apply function
 * with its parameters, and evaluating it as a function of the differentiated parameters.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  type ApplyFn,
  DescentError,
  type Model,
  type Params,
  checkDtype,
  checkModel,
  checkParams,
  checkTensor,
  describeValue,
  formatShape,
  isDescentError,
  isModel,
  isTensor,
} from '@descent/core';

/** A model's forward pass as the empirical kernels take it: `(params, x) => f(x)`, `[N, O]` or `[N]`. */
export type NtkFn = (params: Params, x: tf.Tensor) => tf.Tensor;

/** A tap as core's `ApplyOptions.tap` describes it. */
export type Tap = (layer: string, z: tf.Tensor) => tf.Tensor;

/** What the empirical tools read from `(modelOrFn, params)`, checked. */
export interface NtkProblem {
  /** The calling function's name, for messages. */
  fn: string;
  /** The model, when a `Model` was given. */
  model: Model | undefined;
  /** The apply function given (when not a model). */
  apply: NtkFn | undefined;
  /** Every parameter passed to the forward pass. */
  params: Params;
  /** The differentiated keys, in `params` order (a model's `'stat'` entries are held fixed). */
  keys: string[];
}

/**
 * Checks `modelOrFn` and `params`, allocating nothing.
 *
 * @throws DescentError `BAD_ARGUMENT` (neither a model nor a function, params not a record of
 *   tensors, no parameter to differentiate), `DISPOSED`, `DTYPE_MISMATCH` (a differentiated
 *   parameter that is not float32), or whatever core's `checkModel` throws.
 */
export function readNtkProblem(fn: string, modelOrFn: unknown, params: unknown): NtkProblem {
  let model: Model | undefined;
  let apply: NtkFn | undefined;
  if (typeof modelOrFn === 'function') {
    apply = modelOrFn as NtkFn;
  } else if (isModel(modelOrFn)) {
    checkModel(`${fn}: model`, modelOrFn);
    model = modelOrFn;
  } else {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: modelOrFn must be a Model ({ params, info, apply }) or a function (params, x) => tensor, ` +
        `got ${describeValue(modelOrFn)}.`,
    );
  }
  checkParams(`${fn}: params`, params);
  const keys = Object.keys(params).filter((key) => model?.info[key]?.role !== 'stat');
  if (keys.length === 0) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: params has no parameter to differentiate (got ${describeValue(params)}).`,
    );
  }
  for (const key of keys)
    checkDtype(`${fn}: params[${JSON.stringify(key)}]`, params[key], 'float32');
  return { fn, model, apply, params, keys };
}

/**
 * Checks an input batch: a live tensor `[n, …]` with `n ≥ 1`.
 *
 * @throws DescentError `BAD_ARGUMENT`, `DISPOSED`, `SHAPE_MISMATCH` naming `what`.
 */
export function checkBatch(fn: string, what: string, x: unknown): asserts x is tf.Tensor {
  checkTensor(`${fn}: ${what}`, x);
  if (x.rank === 0 || (x.shape[0] as number) === 0) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `${fn}: ${what} must be a batch [n, …] with n ≥ 1 examples, got ${formatShape(x.shape)}.`,
    );
  }
}

/** The differentiated parameters in key order. */
export function paramList(p: NtkProblem): tf.Tensor[] {
  return p.keys.map((key) => p.params[key] as tf.Tensor);
}

/** `params` with the differentiated entries replaced by `theta` (in key order) and `replace` on top. */
export function withValues(
  p: NtkProblem,
  theta: readonly tf.Tensor[],
  replace: Params = {},
): Params {
  const out: Params = { ...p.params };
  p.keys.forEach((key, i) => {
    out[key] = theta[i] as tf.Tensor;
  });
  return { ...out, ...replace };
}

/**
 * The raw forward pass: a model's `apply(params, x, { training: false, tap })` or the function's
 * `fn(params, x)`.
 */
export function rawForward(p: NtkProblem, params: Params, x: tf.Tensor, tap?: Tap): tf.Tensor {
  if (p.model !== undefined) {
    return p.model.apply(
      params,
      x,
      tap === undefined ? { training: false } : { training: false, tap },
    );
  }
  return (p.apply as ApplyFn)(params, x);
}

/** The outputs `[n, O]` at `theta` (a 1-D output `[n]` counts as `O = 1`). */
export function outputs(
  p: NtkProblem,
  theta: readonly tf.Tensor[],
  x: tf.Tensor,
  tap?: Tap,
): tf.Tensor {
  const y = rawForward(p, withValues(p, theta), x, tap);
  return y.rank === 1 ? tf.reshape(y, [y.shape[0] as number, 1]) : y;
}

/** Example `i` of `x` as a batch of one. */
export function exampleOf(x: tf.Tensor, i: number): tf.Tensor {
  return rowsOf(x, i, 1);
}

/** Rows `[start, start + count)` of `x`. */
export function rowsOf(x: tf.Tensor, start: number, count: number): tf.Tensor {
  const begin = x.shape.map((_, k) => (k === 0 ? start : 0));
  const size = x.shape.map((d, k) => (k === 0 ? count : (d as number)));
  return tf.slice(x, begin, size);
}

/**
 * Runs the forward pass once on the first example of `x`, without a gradient tape, and returns
 * the number of outputs `O`: a model or input that is refused throws here, before any tape
 * records anything (tfjs keeps a tape's saved tensors when the forward pass throws). An error of
 * tfjs is reported as `SHAPE_MISMATCH` naming `what`; a DescentError of the model passes as is.
 *
 * @throws DescentError `SHAPE_MISMATCH` (the model refuses the input, or its output is not
 *   `[n, O]` or `[n]`), `BAD_ARGUMENT` (the output is not a tensor), `DTYPE_MISMATCH` (not float32).
 */
export function probeOutputs(p: NtkProblem, x: tf.Tensor, what: string): number {
  return tf.tidy(() => {
    const one = exampleOf(x, 0);
    let y: unknown;
    try {
      y = rawForward(p, p.params, one);
    } catch (error) {
      if (isDescentError(error) || !(error instanceof Error)) throw error;
      throw new DescentError(
        'SHAPE_MISMATCH',
        `${p.fn}: the model refused ${what} (examples of shape ${formatShape(one.shape)}): ${error.message.split('\n')[0]}`,
        { cause: error },
      );
    }
    if (!isTensor(y)) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${p.fn}: the model must return a tensor, got ${describeValue(y)}.`,
      );
    }
    if ((y.rank !== 1 && y.rank !== 2) || y.shape[0] !== 1 || (y.rank === 2 && y.shape[1] === 0)) {
      throw new DescentError(
        'SHAPE_MISMATCH',
        `${p.fn}: the model must return outputs [n, O] or [n] for n examples of ${what}; one example gave ${formatShape(y.shape)}.`,
      );
    }
    if (y.dtype !== 'float32') {
      throw new DescentError(
        'DTYPE_MISMATCH',
        `${p.fn}: the model's outputs must be float32, got ${y.dtype}.`,
      );
    }
    return y.rank === 1 ? 1 : (y.shape[1] as number);
  });
}
