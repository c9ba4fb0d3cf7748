/**
 * Shared by the data-driven saliency scores (SNIP, GraSP): reading `{ x, y }` and the `loss`
 * option, and the loss of a model as a function of its parameter list.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  DescentError,
  type Model,
  OptionReader,
  type Params,
  checkDtype,
  checkModel,
  checkOptions,
  checkTensor,
  describeValue,
  formatShape,
  isDescentError,
  isTensor,
  sameShape,
  softmaxCrossEntropy,
} from '@descent/core';

/** A loss of a model's logits and the labels: a float32 scalar tensor (differentiable in `logits`). */
export type LossFn = (logits: tf.Tensor, y: tf.Tensor) => tf.Tensor;

/** One batch of data for a data-driven score. */
export interface Batch {
  /** Inputs, float32 `[n, …]`, as the model's `apply` takes them. */
  x: tf.Tensor;
  /** Labels: int32 class ids `[n]` or float32 targets `[n, C]` (for the default loss). */
  y: tf.Tensor;
}

/** Options of the data-driven scores. */
export interface LossOptions {
  /**
   * `(logits, y) => scalar`: the loss to score with. Default: `@descent/core`'s mean
   * `softmaxCrossEntropy` (int32 labels or float32 targets), which is differentiable to any order.
   */
  loss?: LossFn;
}

/** What a data-driven score reads from its arguments, checked. */
export interface LossProblem {
  model: Model;
  keys: string[];
  x: tf.Tensor;
  y: tf.Tensor;
  loss: LossFn;
  custom: boolean;
}

/**
 * Checks `model`, `batch` and `options` of the score `fn` and returns them, allocating nothing.
 *
 * @throws DescentError naming the argument: `BAD_ARGUMENT`, `UNKNOWN_PARAM`, `DISPOSED`,
 *   `DTYPE_MISMATCH`, `SHAPE_MISMATCH`, `BAD_HYPERPARAM`, or whatever `checkModel` throws.
 */
export function readLossProblem(
  fn: string,
  model: unknown,
  batch: unknown,
  options: unknown,
): LossProblem {
  checkModel(`${fn}: model`, model);
  checkOptions(`${fn}: batch`, batch, ['x', 'y']);
  const { x, y } = batch as Record<string, unknown>;
  checkDtype(`${fn}: batch.x`, x, 'float32');
  checkTensor(`${fn}: batch.y`, y);
  if (x.rank === 0 || (x.shape[0] as number) === 0) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `${fn}: batch.x must be [n, …] with n ≥ 1 examples, got ${formatShape(x.shape)}.`,
    );
  }
  const read = new OptionReader(fn, options === undefined ? {} : options, ['loss']);
  const custom = read.raw('loss') !== undefined;
  const loss = read.func<LossFn>('loss', defaultLoss);
  if (!custom) {
    if (y.dtype !== 'int32' && y.dtype !== 'float32') {
      throw new DescentError(
        'DTYPE_MISMATCH',
        `${fn}: batch.y must be int32 class ids or float32 targets for the default loss, got dtype ${y.dtype}.`,
      );
    }
    if (y.rank === 0 || y.shape[0] !== x.shape[0]) {
      throw new DescentError(
        'SHAPE_MISMATCH',
        `${fn}: batch.y must have one label per example of batch.x (${formatShape(x.shape)}), got ${formatShape(y.shape)}.`,
      );
    }
  }
  return { model, keys: Object.keys(model.params), x, y, loss, custom };
}

function defaultLoss(logits: tf.Tensor, y: tf.Tensor): tf.Tensor {
  return softmaxCrossEntropy(logits, y);
}

/**
 * The loss as a function of the parameter list (in `p.keys` order), for `tf.grads`. The logits'
 * shape is checked against the labels (default loss) and a custom loss's result must be a float32
 * scalar; a violation throws inside the caller's `tf.tidy`, which frees what was allocated.
 */
export function lossOf(fn: string, p: LossProblem): (...values: tf.Tensor[]) => tf.Tensor {
  return (...values) => {
    const params: Params = {};
    p.keys.forEach((key, i) => {
      params[key] = values[i] as tf.Tensor;
    });
    const logits = applyModel(fn, p.model, params, p.x, 'batch.x');
    if (!isTensor(logits)) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${fn}: model.apply must return a tensor, got ${describeValue(logits)}.`,
      );
    }
    if (!p.custom) checkLabelsFit(fn, logits, p.y);
    const value = p.loss(logits, p.y);
    if (!isTensor(value) || value.rank !== 0 || value.dtype !== 'float32') {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${fn}.loss must return a float32 scalar tensor, got ${
          isTensor(value)
            ? `a ${value.dtype} tensor of shape ${formatShape(value.shape)}`
            : describeValue(value)
        }.`,
      );
    }
    return value;
  };
}

/**
 * `model.apply(params, x, { training: false })`, with an error of tfjs (an input the model's ops
 * refuse) turned into a `SHAPE_MISMATCH` naming the input `what`; a DescentError passes as is.
 */
export function applyModel(
  fn: string,
  model: Model,
  params: Params,
  x: tf.Tensor,
  what: string,
): unknown {
  try {
    return model.apply(params, x, { training: false });
  } catch (error) {
    if (isDescentError(error) || !(error instanceof Error)) throw error;
    throw new DescentError(
      'SHAPE_MISMATCH',
      `${fn}: model.apply refused ${what} of shape ${formatShape(x.shape)}: ${error.message.split('\n')[0]}`,
      { cause: error },
    );
  }
}

function checkLabelsFit(fn: string, logits: tf.Tensor, y: tf.Tensor): void {
  const batchShape = logits.shape.slice(0, -1);
  const ok =
    logits.rank >= 1 &&
    (y.dtype === 'int32' ? sameShape(y.shape, batchShape) : sameShape(y.shape, logits.shape));
  if (!ok) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `${fn}: batch.y (${y.dtype} ${formatShape(y.shape)}) does not fit the model's logits ${formatShape(logits.shape)}: ` +
        "int32 class ids need the logits' shape without the class axis, float32 targets the logits' shape.",
    );
  }
}

/**
 * Runs the loss once without a gradient tape, so that a model or loss the checks of
 * {@link lossOf} refuse throws before any gradient is recorded (tfjs 4.22 keeps the tensors a
 * tape saves for the backward pass when the forward pass throws, and they would leak).
 */
export function checkForward(fn: string, p: LossProblem): void {
  tf.tidy(() => {
    lossOf(fn, p)(...paramList(p));
  });
}

/** The parameter values in key order. */
export function paramList(p: LossProblem): tf.Tensor[] {
  return p.keys.map((key) => p.model.params[key] as tf.Tensor);
}

/** Params from a list of tensors in `keys` order. */
export function toParams(keys: readonly string[], values: readonly tf.Tensor[]): Params {
  const out: Params = {};
  keys.forEach((key, i) => {
    out[key] = values[i] as tf.Tensor;
  });
  return out;
}
